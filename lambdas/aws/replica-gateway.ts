// ReplicaGateway over RDS, CloudWatch and SSM for the failback. Reads into the primary region use the
// impaired-region client (a pre-check must answer "unreachable" in seconds, not minutes); writes use
// the patient one (the failback only writes there once the region is reachable).
import { CreateDBInstanceReadReplicaCommand, PromoteReadReplicaCommand, type DBInstance } from '@aws-sdk/client-rds';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { awsClients } from './clients.js';
import { AwsEndpointGateway } from './endpoints.js';
import { describeInstance } from './rds-databases.js';
import { AwsStandbyGateway } from './standby-gateway.js';
import type { CreateReplicaRequest, InstanceDetails, ReplicaGateway } from '../core/replicas.js';
import type { LagMetric } from '../core/standby.js';

export function instanceDetails(db: DBInstance, id: string): InstanceDetails {
  return {
    id: db.DBInstanceIdentifier ?? id,
    arn: db.DBInstanceArn ?? '',
    status: db.DBInstanceStatus ?? 'unknown',
    replicaSource: db.ReadReplicaSourceDBInstanceIdentifier || undefined,
    endpoint: db.Endpoint?.Address,
    storageEncrypted: db.StorageEncrypted === true,
    kmsKeyId: db.KmsKeyId || undefined,
    subnetGroupName: db.DBSubnetGroup?.DBSubnetGroupName || undefined,
    securityGroupIds: (db.VpcSecurityGroups ?? []).flatMap((g) => (g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [])),
    parameterGroupName: db.DBParameterGroups?.[0]?.DBParameterGroupName || undefined,
    tags: Object.fromEntries((db.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}

export class AwsReplicaGateway implements ReplicaGateway {
  private readonly metrics: AwsStandbyGateway;
  private readonly parameters: AwsEndpointGateway;

  constructor(private readonly primaryRegion: string) {
    this.metrics = new AwsStandbyGateway(primaryRegion);
    this.parameters = new AwsEndpointGateway(primaryRegion);
  }

  async describeInstance(region: string, id: string): Promise<InstanceDetails | undefined> {
    const db = await describeInstance(awsClients.rds(region, region === this.primaryRegion), id);
    return db ? instanceDetails(db, id) : undefined;
  }

  replicaLagSeconds(region: string, metric: LagMetric, windowMinutes: number): Promise<number | undefined> {
    return this.metrics.replicaLagSeconds(region, metric, windowMinutes);
  }

  async createReadReplica(r: CreateReplicaRequest): Promise<void> {
    // A source named by ARN in another region makes the SDK sign the source region's request (PreSignedUrl;
    // the current SDK has no SourceRegion input), as for cross-region snapshot copies (rds-snapshots.ts).
    await awsClients.rds(r.region).send(
      new CreateDBInstanceReadReplicaCommand({
        DBInstanceIdentifier: r.id,
        SourceDBInstanceIdentifier: r.sourceArn,
        KmsKeyId: r.kmsKeyId,
        DBSubnetGroupName: r.subnetGroupName,
        VpcSecurityGroupIds: r.securityGroupIds?.length ? r.securityGroupIds : undefined,
        DBParameterGroupName: r.parameterGroupName,
        CopyTagsToSnapshot: true,
        Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  async promoteReadReplica(region: string, id: string): Promise<void> {
    await awsClients.rds(region).send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: id }));
  }

  readParameter(region: string, name: string): Promise<string | undefined> {
    return this.parameters.readParameter(region, name);
  }

  async putParameter(region: string, name: string, value: string, description: string): Promise<void> {
    await awsClients.ssm(region, region === this.primaryRegion).send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true, Description: description }));
  }
}
