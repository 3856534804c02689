// The failback workflow (state-machines/failback.asl.json) on moto through the local runner. Each
// database starts where the failover tests end: its DR read replica promoted by a real failover run
// (the writer in the DR region, the endpoint pointing at it). Then the failback prepares a replica in
// the primary region, switches to it at the operator's go, and re-creates the DR standby.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceReadReplicaCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { motoClientConfig, type Moto } from '../local/moto.js';
import { DR, localConfig, PRIMARY, primaryPlacement } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const ZONE_NAME = 'db.example.internal';
const OUTAGE = 'us-east-1 outage INC-7';
const REASON = 'us-east-1 recovered, back home CHG-42';
/** orders and billing fail back with the placement in config; legacy's old primary still holds its name. */
const DBS = ['orders', 'billing', 'legacy'];

async function createZone(moto: Moto): Promise<string> {
  const r53 = new Route53Client(motoClientConfig(moto, 'us-east-1'));
  for (let i = 0; i < 500; i++) {
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: ZONE_NAME, CallerReference: `rds-dr-failback-${i}` }));
    const id = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
    if (/^Z[A-Z0-9]{1,31}$/.test(id)) return id;
    await r53.send(new DeleteHostedZoneCommand({ Id: id }));
  }
  throw new Error('no Z... hosted zone id from moto');
}

describe('failback workflow on the local AWS', () => {
  let aws: LocalStack;
  let zoneId = '';
  let placement: Awaited<ReturnType<typeof primaryPlacement>>;
  let r53: Route53Client;
  let ssm: Record<string, SSMClient>;
  let rds: Record<string, RDSClient>;
  let cloudwatch: Record<string, CloudWatchClient>;

  beforeAll(async () => {
    aws = await LocalStack.start({
      config: localConfig({
        incident: {
          databases: {
            ...Object.fromEntries(
              DBS.map((db) => [
                db,
                {
                  standby: { replicaInstance: `${db}-replica` },
                  maxReplicaLagSeconds: 60,
                  // TTL 0: nothing to drain between stopping writes and promoting.
                  endpoint: { route53: { hostedZoneId: 'ZPLACEHOLDER', recordName: `${db}.${ZONE_NAME}`, ttl: 0 }, ssmParameter: `/app/${db}/writer` },
                  cutover: 'endpoint',
                  ...(db === 'legacy' ? {} : { failback: { subnetGroupName: 'placeholder' } }),
                },
              ]),
            ),
            ledger: { standby: { globalCluster: 'ledger-global', secondaryCluster: 'ledger-dr' } },
            invoices: { maxReplicaLagSeconds: 60 },
          },
        },
      }),
      prepare: async (moto, config) => {
        zoneId = await createZone(moto);
        placement = await primaryPlacement(moto);
        const incident = config.incident as { databases: Record<string, { endpoint?: { route53: { hostedZoneId: string } }; failback?: object }> };
        for (const d of Object.values(incident.databases)) {
          if (d.endpoint) d.endpoint.route53.hostedZoneId = zoneId;
          if (d.failback) d.failback = placement;
        }
        return config;
      },
    });
    r53 = new Route53Client(motoClientConfig(aws.moto, 'us-east-1'));
    ssm = { [PRIMARY]: new SSMClient(motoClientConfig(aws.moto, PRIMARY)), [DR]: new SSMClient(motoClientConfig(aws.moto, DR)) };
    rds = { [PRIMARY]: aws.rds, [DR]: aws.rdsDr };
    cloudwatch = { [PRIMARY]: new CloudWatchClient(motoClientConfig(aws.moto, PRIMARY)), [DR]: new CloudWatchClient(motoClientConfig(aws.moto, DR)) };

    // As the failover tests end: each database's DR replica promoted by a failover run, the endpoint on it.
    for (const db of DBS) {
      const primaryArn = await createPostgresInstance(aws.rds, db, GOLD);
      await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: `${db}-replica`, SourceDBInstanceIdentifier: primaryArn }));
      const host = (await instance(PRIMARY, db))!.Endpoint?.Address ?? '';
      for (const region of [PRIMARY, DR]) await ssm[region].send(new PutParameterCommand({ Name: `/app/${db}/writer`, Value: host, Type: 'String' }));
      await r53.send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: `${db}.${ZONE_NAME}`, Type: 'CNAME', TTL: 0, ResourceRecords: [{ Value: host }] } }] },
      }));
      await replicaLag(DR, `${db}-replica`, 1);
      const failover = await aws.runFailover({ db, reason: OUTAGE }, `failover-${db}`);
      expect(failover.status, failover.cause).toBe('SUCCEEDED');
    }
    // The original primaries of orders and billing were deleted after the outage (final snapshot taken);
    // legacy's is still there, stale, under the name the failback would use.
    for (const db of ['orders', 'billing']) await aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: db, SkipFinalSnapshot: true }));
    await aws.receiveAlerts('dr');
  }, 300_000);
  afterAll(async () => aws?.stop());

  async function instance(region: string, id: string) {
    return (await rds[region].send(new DescribeDBInstancesCommand({})).catch(() => ({ DBInstances: [] }))).DBInstances?.find((d) => d.DBInstanceIdentifier === id);
  }
  /** A ReplicaLag datapoint `minutesAgo` minutes old (the workflow reads the newest one-minute Maximum). */
  const replicaLag = (region: string, id: string, seconds: number, minutesAgo = 0) =>
    cloudwatch[region].send(new PutMetricDataCommand({
      Namespace: 'AWS/RDS',
      MetricData: [{ MetricName: 'ReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }], Value: seconds, Unit: 'Seconds', Timestamp: new Date(Date.now() - minutesAgo * 60_000) }],
    }));
  const cname = async (db: string) =>
    (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets?.find((r) => r.Name?.replace(/\.$/, '') === `${db}.${ZONE_NAME}`)?.ResourceRecords?.[0]?.Value;
  const parameter = async (region: string, name: string) =>
    (await ssm[region].send(new GetParametersByPathCommand({ Path: '/', Recursive: true }))).Parameters?.find((p) => p.Name === name)?.Value;

  /** Everything the failback may write: instances in both regions, the zone's records, SSM parameters in both regions. */
  async function worldState() {
    const out: Record<string, unknown> = {};
    for (const region of [PRIMARY, DR]) {
      out[`instances:${region}`] = ((await rds[region].send(new DescribeDBInstancesCommand({}))).DBInstances ?? [])
        .map((d) => ({ id: d.DBInstanceIdentifier, status: d.DBInstanceStatus, source: d.ReadReplicaSourceDBInstanceIdentifier, endpoint: d.Endpoint?.Address }))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
      out[`ssm:${region}`] = ((await ssm[region].send(new GetParametersByPathCommand({ Path: '/', Recursive: true }))).Parameters ?? [])
        .map((p) => ({ name: p.Name, value: p.Value, version: p.Version }))
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    }
    out.records = (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets;
    return out;
  }

  async function report(executionArn: string) {
    const s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: aws.reportsBucket, Prefix: 'incidents/failback/' }));
    const key = listed.Contents?.map((o) => o.Key ?? '').find((k) => k.endsWith(`/${executionArn.split(':').pop()}.json`));
    if (!key) return undefined;
    return { key, body: JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: key }))).Body!.transformToString()) };
  }

  type Steps = Record<string, { step: { outcome: string; detail: string } }>;
  const stepsOf = (run: { output?: unknown }) => (run.output as { steps: Steps }).steps;

  it('starts where a failover ends: the DR replica is a standalone writer and the endpoint points at it', async () => {
    const writer = await instance(DR, 'orders-replica');
    expect(writer?.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    expect(await cname('orders')).toBe(writer?.Endpoint?.Address);
    expect(await instance(PRIMARY, 'orders')).toBeUndefined();
  });

  it('a dry run of both phases changes nothing, runs every check and reports what it would do', async () => {
    const before = await worldState();
    const calls = aws.lambdaRdsCalls.length;
    const run = await aws.runFailback({ db: 'billing', reason: REASON, dryRun: true, switch: true }, 'billing-dry');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect(await worldState()).toEqual(before);
    const steps = stepsOf(run);
    expect(steps.checks.step.detail).toMatch(/source-writable pass.*primary-region-reachable pass.*target-name pass.*placement pass: kmsKeyId .*config.*dr-standby-name pass/);
    expect(steps.replica.step).toMatchObject({ outcome: 'would-do', detail: expect.stringMatching(/would CreateDBInstanceReadReplica billing in us-east-1 from arn:aws:rds:us-west-2:\d+:db:billing-replica, KmsKeyId .*DBSubnetGroupName app-subnets/) });
    expect(steps.stopWrites.step.outcome).toBe('would-do');
    expect(steps.promote.step.outcome).toBe('would-do');
    expect(steps.activeRegion.step.outcome).toBe('would-do');
    expect((await report(run.executionArn))?.body.dryRun).toBe(true);
    expect(aws.lambdaRdsCalls.slice(calls).filter((c) => /^(Create|Promote|Modify|Delete)/.test(c.command))).toEqual([]);
  });

  it('prepare: creates the replica in the primary region from the DR writer with the configured key, subnet group, security groups and parameter group, waits until it is in sync, and stops', async () => {
    const drHost = (await instance(DR, 'orders-replica'))?.Endpoint?.Address;
    const undo = aws.wrapLambda('failback-replica-status', (original) => async (event) => {
      // The new replica's lag, as CloudWatch would report it once it replicates.
      await replicaLag(PRIMARY, 'orders', 3, 2);
      return original(event);
    });
    try {
      const run = await aws.runFailback({ db: 'orders', reason: REASON }, 'orders-prepare');
      expect(run.cause ?? '').toBe('');
      expect(run.status).toBe('SUCCEEDED');
      expect(run.statesEntered).toEqual(['PlanFailback', 'RunPreChecks', 'CreatePrimaryReplica', 'CheckInSync', 'IsInSync', 'SwitchRequested', 'ReportTimeline', 'FailbackSucceeded']);
    } finally {
      undo();
    }
    const replica = await instance(PRIMARY, 'orders');
    expect(replica?.ReadReplicaSourceDBInstanceIdentifier).toMatch(/orders-replica$/);
    const create = aws.lambdaRdsCalls.find((c) => c.command === 'CreateDBInstanceReadReplicaCommand' && c.input.DBInstanceIdentifier === 'orders');
    expect(create?.region).toBe(PRIMARY);
    expect(create?.input).toMatchObject({
      SourceDBInstanceIdentifier: expect.stringMatching(/^arn:aws:rds:us-west-2:\d+:db:orders-replica$/),
      KmsKeyId: placement.kmsKeyId,
      DBSubnetGroupName: 'app-subnets',
      VpcSecurityGroupIds: placement.securityGroupIds,
      DBParameterGroupName: 'app-params',
    });
    expect(replica?.DBSubnetGroup?.DBSubnetGroupName).toBe('app-subnets');
    expect(replica?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual(placement.securityGroupIds);
    expect(replica?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('app-params');
    // No switch without the operator's go: the endpoint still points at the DR writer.
    expect(await cname('orders')).toBe(drHost);
    expect((await parameter(DR, '/rds-dr/active-region/orders')) ?? '').not.toMatch(/us-east-1/);
  });

  it('switch: stops writes, promotes the replica, cuts over, re-creates the DR standby with the DR key, returns the active region to the primary', async () => {
    await replicaLag(PRIMARY, 'orders', 0);
    const run = await aws.runFailback({ db: 'orders', reason: REASON, switch: true }, 'orders-switch');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(expect.arrayContaining(['StopWrites', 'CheckCaughtUp', 'PromoteReplica', 'CheckWritable', 'CutoverEndpoint', 'CreateDrStandby', 'RecordActiveRegion', 'ReportTimeline']));
    const steps = stepsOf(run);
    expect(steps.replica.step.outcome).toBe('already-done');
    expect(steps.stopWrites.step.outcome).toBe('done');
    expect(steps.promote.step.outcome).toBe('done');
    // The stop-writes step already pointed the endpoint at the replica, which the promotion made the writer.
    expect(steps.cutover.step.outcome).toBe('already-done');

    const primary = await instance(PRIMARY, 'orders');
    expect(primary?.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    const host = primary?.Endpoint?.Address;
    expect(await cname('orders')).toBe(host);
    expect(await parameter(DR, '/app/orders/writer')).toBe(host);
    expect(await parameter(PRIMARY, '/app/orders/writer')).toBe(host);

    const standby = await instance(DR, 'orders-standby');
    expect(standby?.ReadReplicaSourceDBInstanceIdentifier).toMatch(/:db:orders$|^orders$/);
    const create = aws.lambdaRdsCalls.find((c) => c.command === 'CreateDBInstanceReadReplicaCommand' && c.input.DBInstanceIdentifier === 'orders-standby');
    expect(create?.region).toBe(DR);
    expect(create?.input.KmsKeyId).toBe(aws.settings?.drKmsKeyId);
    expect(create?.input.SourceDBInstanceIdentifier).toMatch(/^arn:aws:rds:us-east-1:\d+:db:orders$/);

    const record = JSON.parse((await parameter(DR, '/rds-dr/active-region/orders')) ?? '{}');
    expect(record).toMatchObject({ region: PRIMARY, by: run.executionArn });
    const rep = await report(run.executionArn);
    expect(rep?.key).toMatch(/^incidents\/failback\/orders\/\d{4}\/\d{2}\/\d{2}\/orders-switch\.json$/);
    expect(rep?.body.steps.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['plan', 'checks', 'create-replica', 'wait-in-sync', 'cutover', 'wait-caught-up', 'promote', 'wait-writable', 'create-dr-standby', 'active-region', 'report']),
    );
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });

  it('a second switch run finds every step done and changes nothing', async () => {
    const before = await worldState();
    const run = await aws.runFailback({ db: 'orders', reason: REASON, switch: true }, 'orders-again');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const steps = stepsOf(run);
    for (const name of ['replica', 'stopWrites', 'promote', 'cutover', 'drStandby', 'activeRegion']) expect(steps[name].step.outcome, name).toBe('already-done');
    expect(await worldState()).toEqual(before);
  });

  it('the original primary still holding the replica name fails the pre-checks, names what to do, changes nothing and pages', async () => {
    const before = await worldState();
    const run = await aws.runFailback({ db: 'legacy', reason: REASON }, 'legacy-1');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.PreCheckFailed');
    expect(run.cause).toMatch(/pre-check target-name failed: legacy in us-east-1 exists and is the original primary .*rename it .*or delete it/);
    expect(run.statesEntered).toEqual(['PlanFailback', 'RunPreChecks', 'ReportFailure', 'FailbackFailed']);
    expect(await worldState()).toEqual(before);
    expect((await aws.receiveAlerts('dr')).map((a) => a.message).join('\n')).toMatch(/target-name/);
    expect((await report(run.executionArn))?.body.outcome).toBe('failed');
  });

  describe('bad input fails in the first state, changes nothing and the alert names the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['not an object', 'orders', /input must be a JSON object/],
      ['missing reason', { db: 'orders' }, /input\.reason: required/],
      ['unknown db', { db: 'nope', reason: REASON }, /input\.db: "nope" has no standby configured/],
      ['db without a standby', { db: 'invoices', reason: REASON }, /input\.db: "invoices" has no standby configured/],
      ['Aurora global database', { db: 'ledger', reason: REASON }, /input\.db: "ledger" is an Aurora global database \(ledger-global\); the failback workflow handles RDS instances only.*switchover-global-cluster/],
      ['non-boolean switch', { db: 'orders', reason: REASON, switch: 'yes' }, /input\.switch: must be true or false/],
      ['unknown field', { db: 'orders', reason: REASON, force: true }, /unknown field\(s\) force/],
    ];
    it.each(cases)('%s', async (_name, input, field) => {
      await aws.receiveAlerts('dr');
      const before = await worldState();
      const run = await aws.runFailback(input);
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('rds-dr.InvalidInput');
      expect(run.statesEntered).toEqual(['PlanFailback']);
      expect(await worldState()).toEqual(before);
      const alerts = await aws.receiveAlerts('dr');
      expect(alerts).toHaveLength(1);
      expect(alerts[0].message).toMatch(field);
    });
  });
});
