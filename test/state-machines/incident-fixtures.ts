// Shared by the failover and failback integration tests: a hosted zone, and a database as a failover
// finds it — a PostgreSQL primary in the primary region with a cross-region read replica (the
// standby) in the DR region, the application's writer records (Route 53 CNAME, SSM parameter in both
// regions) pointing at the primary — plus the readers both tests assert with.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceReadReplicaCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { expect } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import type { LocalStack } from '../local/local-stack.js';
import type { WorkflowRun } from '../local/workflow-runner.js';
import { motoClientConfig, type Moto } from '../local/moto.js';
import { DR, PRIMARY } from './fixtures.js';

export const ZONE_NAME = 'db.example.internal';
export const GOLD = { 'rds-dr:policy': 'gold' };

/** Route 53 ids in moto are random; the config needs one that looks like AWS's (Z...). */
export async function createZone(moto: Moto): Promise<string> {
  const r53 = new Route53Client(motoClientConfig(moto, 'us-east-1'));
  for (let i = 0; i < 500; i++) {
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: ZONE_NAME, CallerReference: `rds-dr-test-${i}` }));
    const id = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
    if (/^Z[A-Z0-9]{1,31}$/.test(id)) return id;
    await r53.send(new DeleteHostedZoneCommand({ Id: id }));
  }
  throw new Error('no Z... hosted zone id from moto');
}

/** The writer endpoint config of `db`: a CNAME in the test zone and an SSM parameter. */
export const endpointOf = (db: string, ttl: number, zoneId = 'ZPLACEHOLDER') => ({ route53: { hostedZoneId: zoneId, recordName: `${db}.${ZONE_NAME}`, ttl }, ssmParameter: writerParameter(db) });
export const writerParameter = (db: string) => `/app/${db}/writer`;

export type IncidentWorld = ReturnType<typeof incidentWorld>;

/** Clients in both regions and the test zone, with what the incident tests create and read. */
export function incidentWorld(aws: LocalStack, zoneId: string) {
  const r53 = new Route53Client(motoClientConfig(aws.moto, 'us-east-1'));
  const ssm: Record<string, SSMClient> = { [PRIMARY]: new SSMClient(motoClientConfig(aws.moto, PRIMARY)), [DR]: new SSMClient(motoClientConfig(aws.moto, DR)) };
  const rds: Record<string, RDSClient> = { [PRIMARY]: aws.rds, [DR]: aws.rdsDr };
  const cloudwatch: Record<string, CloudWatchClient> = { [PRIMARY]: new CloudWatchClient(motoClientConfig(aws.moto, PRIMARY)), [DR]: new CloudWatchClient(motoClientConfig(aws.moto, DR)) };

  const instance = async (region: string, id: string) => (await rds[region].send(new DescribeDBInstancesCommand({})).catch(() => ({ DBInstances: [] }))).DBInstances?.find((d) => d.DBInstanceIdentifier === id);

  return {
    r53,
    ssm,
    rds,
    zoneId,
    instance,

    /**
     * `db` (tagged `tags`) in the primary region, its read replica `<db>-replica` in the DR region, and the
     * application's writer records on the primary: the CNAME (with `ttl`) and the SSM parameter in both regions.
     */
    async primaryWithStandby(db: string, options: { ttl: number; tags?: Record<string, string> }): Promise<string> {
      const primaryArn = await createPostgresInstance(aws.rds, db, options.tags ?? GOLD);
      await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: `${db}-replica`, SourceDBInstanceIdentifier: primaryArn }));
      const host = (await instance(PRIMARY, db))?.Endpoint?.Address ?? '';
      for (const region of [PRIMARY, DR]) await ssm[region].send(new PutParameterCommand({ Name: writerParameter(db), Value: host, Type: 'String' }));
      await r53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: `${db}.${ZONE_NAME}`, Type: 'CNAME', TTL: options.ttl, ResourceRecords: [{ Value: host }] } }] },
        }),
      );
      return host;
    },

    /** A ReplicaLag datapoint of instance `id`, `minutesAgo` minutes old (the workflows read the newest one-minute Maximum). */
    replicaLag: (region: string, id: string, seconds: number, minutesAgo = 0) =>
      cloudwatch[region].send(
        new PutMetricDataCommand({
          Namespace: 'AWS/RDS',
          MetricData: [{ MetricName: 'ReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }], Value: seconds, Unit: 'Seconds', Timestamp: new Date(Date.now() - minutesAgo * 60_000) }],
        }),
      ),

    cname: async (db: string) =>
      (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets?.find((r) => r.Name?.replace(/\.$/, '') === `${db}.${ZONE_NAME}`)?.ResourceRecords?.[0]?.Value,

    parameter: async (region: string, name: string) =>
      (await ssm[region].send(new GetParameterCommand({ Name: name })).catch((err: Error) => {
        if (err.name === 'ParameterNotFound') return undefined;
        throw err;
      }))?.Parameter?.Value,

    /** Everything a failover or failback may write: instances and clusters in both regions, the zone's records, SSM parameters in both regions. */
    async worldState() {
      const out: Record<string, unknown> = {};
      for (const region of [PRIMARY, DR]) {
        out[`instances:${region}`] = ((await rds[region].send(new DescribeDBInstancesCommand({}))).DBInstances ?? [])
          .map((d) => ({ id: d.DBInstanceIdentifier, status: d.DBInstanceStatus, source: d.ReadReplicaSourceDBInstanceIdentifier, replicas: d.ReadReplicaDBInstanceIdentifiers, endpoint: d.Endpoint?.Address }))
          .sort((a, b) => String(a.id).localeCompare(String(b.id)));
        out[`clusters:${region}`] = ((await rds[region].send(new DescribeDBClustersCommand({}))).DBClusters ?? []).map((c) => ({ id: c.DBClusterIdentifier, status: c.Status }));
        out[`ssm:${region}`] = ((await ssm[region].send(new GetParametersByPathCommand({ Path: '/', Recursive: true }))).Parameters ?? [])
          .map((p) => ({ name: p.Name, value: p.Value, version: p.Version }))
          .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      }
      out.records = (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets;
      return out;
    },
  };
}

/**
 * Bad input: the run fails in its first state with rds-dr.InvalidInput, changes nothing, and the DR
 * region's alert names the field (`field`).
 */
export async function expectRejectedInFirstState(aws: LocalStack, world: IncidentWorld, start: () => Promise<WorkflowRun>, firstState: string, field: RegExp): Promise<void> {
  await aws.receiveAlerts('dr');
  const before = await world.worldState();
  const run = await start();
  expect(run.status).toBe('FAILED');
  expect(run.error).toBe('rds-dr.InvalidInput');
  expect(run.statesEntered).toEqual([firstState]);
  expect(await world.worldState()).toEqual(before);
  const alerts = await aws.receiveAlerts('dr');
  expect(alerts).toHaveLength(1);
  expect(alerts[0].subject).toContain('rds-dr.InvalidInput');
  expect(alerts[0].message).toMatch(field);
}
