// What the region-outage game day (game-day-scenario.ts) reads of the local AWS to show its evidence:
// instances (with the endpoint applications resolve), SSM parameters, rows behind an instance or in
// a snapshot; and the CloudWatch datapoints it plays (ReplicaLag). The test's own eyes: no call here
// is judged by the IAM simulation, and none is made toward a region that is down.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, ListTagsForResourceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { awsClients } from '../../lambdas/aws/clients.js';
import { DR, PRIMARY } from '../state-machines/fixtures.js';
import type { LocalStack } from './local-stack.js';
import { motoClientConfig } from './moto.js';

export interface InstanceState {
  id: string;
  region: string;
  status?: string;
  /** The source of a read replica (ARN across regions); undefined for a writer. */
  replicaOf?: string;
  endpoint?: string;
  tags: Record<string, string>;
}

export class LocalAwsView {
  protected readonly ssm: Record<string, SSMClient>;
  private readonly cloudwatch: Record<string, CloudWatchClient>;

  constructor(readonly aws: LocalStack) {
    this.ssm = { [PRIMARY]: new SSMClient(motoClientConfig(aws.moto, PRIMARY)), [DR]: new SSMClient(motoClientConfig(aws.moto, DR)) };
    this.cloudwatch = { [PRIMARY]: new CloudWatchClient(motoClientConfig(aws.moto, PRIMARY)), [DR]: new CloudWatchClient(motoClientConfig(aws.moto, DR)) };
  }

  private rds(region: string): RDSClient {
    return region === DR ? this.aws.rdsDr : this.aws.rds;
  }

  /**
   * One instance, with its endpoint as applications resolve it (the Lambdas' RDS client: the data
   * plane points a replica's endpoint at its local server, as DNS would). Read as nobody: not a call
   * the IAM simulation judges; call it only for a region that is up.
   */
  async instance(region: string, id: string): Promise<InstanceState | undefined> {
    const all = (await awsClients.rds(region).send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
    const d = all.find((i) => i.DBInstanceIdentifier === id);
    if (!d) return undefined;
    const tags = (await this.rds(region).send(new ListTagsForResourceCommand({ ResourceName: d.DBInstanceArn }))).TagList ?? [];
    return {
      id,
      region,
      status: d.DBInstanceStatus,
      replicaOf: d.ReadReplicaSourceDBInstanceIdentifier,
      endpoint: d.Endpoint?.Address,
      tags: Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
  }

  async parameter(region: string, name: string): Promise<string | undefined> {
    try {
      return (await this.ssm[region].send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    } catch (err) {
      if ((err as Error).name === 'ParameterNotFound') return undefined;
      throw err;
    }
  }

  async count(id: string, where = 'true'): Promise<number> {
    const rows = await this.aws.sql('instance', id, `SELECT count(*)::int AS n FROM items WHERE ${where}`);
    return Number(rows[0]?.n);
  }

  /** The rows a snapshot holds (its data-plane dump loaded into a fresh database), by how they were written. */
  async rowsInSnapshot(region: string, snapshotId: string): Promise<Record<string, number>> {
    const snapshot = (await this.rds(region).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotId }))).DBSnapshots?.[0];
    const database = `gameday_${snapshotId.replace(/-/g, '_')}`.slice(0, 63);
    await this.aws.dataPlane!.restoreInto(snapshot?.DBSnapshotArn ?? `no snapshot ${snapshotId} in ${region}`, database);
    const c = this.aws.pg!.client(database);
    await c.connect();
    try {
      const { rows } = await c.query('SELECT written, count(*)::int AS n FROM items GROUP BY written');
      return Object.fromEntries(rows.map((r) => [String(r.written), Number(r.n)]));
    } finally {
      await c.end();
    }
  }

  async snapshotIds(region: string): Promise<string[]> {
    return ((await this.rds(region).send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier ?? '');
  }

  /** A ReplicaLag datapoint, as CloudWatch has it for a replicating instance. */
  async replicaLag(region: string, instance: string, seconds: number): Promise<void> {
    await this.cloudwatch[region].send(new PutMetricDataCommand({
      Namespace: 'AWS/RDS',
      MetricData: [{ MetricName: 'ReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: instance }], Value: seconds, Unit: 'Seconds', Timestamp: new Date() }],
    }));
  }
}
