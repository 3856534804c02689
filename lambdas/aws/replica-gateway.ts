// ReplicaGateway over RDS, CloudWatch and SSM for the failback. Reads into the primary region use the
// impaired-region client (a pre-check must answer "unreachable" in seconds, not minutes); writes use
// the patient one (the failback only writes there once the region is reachable).
import { CreateDBInstanceReadReplicaCommand, PromoteReadReplicaCommand } from '@aws-sdk/client-rds';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { awsClients } from './clients.js';
import { AwsEndpointGateway } from './endpoints.js';
import { describeInstanceDetails } from './rds-databases.js';
import { AwsStandbyGateway } from './standby-gateway.js';
import type { CreateReplicaRequest, InstanceDetails, ReplicaGateway } from '../core/replicas.js';
import type { LagMetric } from '../core/standby.js';

export class AwsReplicaGateway implements ReplicaGateway {
  private readonly metrics: AwsStandbyGateway;
  private readonly parameters: AwsEndpointGateway;

  constructor(private readonly primaryRegion: string) {
    this.metrics = new AwsStandbyGateway(primaryRegion);
    this.parameters = new AwsEndpointGateway(primaryRegion);
  }

  describeInstance(region: string, id: string): Promise<InstanceDetails | undefined> {
    return describeInstanceDetails(awsClients.rds(region, region === this.primaryRegion), id);
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

  async promoteReadReplica(region: string, id: string, backupRetentionDays?: number): Promise<void> {
    await awsClients.rds(region).send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: id, BackupRetentionPeriod: backupRetentionDays }));
  }

  readParameter(region: string, name: string): Promise<string | undefined> {
    return this.parameters.readParameter(region, name);
  }

  async putParameter(region: string, name: string, value: string, description: string): Promise<void> {
    await awsClients.ssm(region, region === this.primaryRegion).send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true, Description: description }));
  }
}
