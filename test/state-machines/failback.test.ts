// The failback workflow (state-machines/failback.asl.json) on moto through the local runner. Each
// database starts where the failover tests end: its DR read replica promoted by a real failover run
// (the writer in the DR region, the endpoint pointing at it). Then the failback prepares a replica in
// the primary region, switches to it at the operator's go, and re-creates the DR standby.
import { DeleteDBInstanceCommand } from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/aws/clients.js';
import { holdDatabaseStatus } from '../local/faults.js';
import { LocalStack } from '../local/local-stack.js';
import { motoClientConfig } from '../local/moto.js';
import { DR, localConfig, PRIMARY, primaryPlacement } from './fixtures.js';
import { createZone, endpointOf, expectRejectedInFirstState, incidentWorld, writerParameter, type IncidentWorld } from './incident-fixtures.js';

const OUTAGE = 'us-east-1 outage INC-7';
const REASON = 'us-east-1 recovered, back home CHG-42';
/** orders and billing fail back with the placement in config; legacy's old primary still holds its name. */
const DBS = ['orders', 'billing', 'legacy'];

describe('failback workflow on the local AWS', () => {
  let aws: LocalStack;
  let zoneId = '';
  let placement: Awaited<ReturnType<typeof primaryPlacement>>;
  let world: IncidentWorld;

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
                  endpoint: endpointOf(db, 0),
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
    world = incidentWorld(aws, zoneId);

    // As the failover tests end: each database's DR replica promoted by a failover run, the endpoint on it.
    for (const db of DBS) {
      await world.primaryWithStandby(db, { ttl: 0 });
      await world.replicaLag(DR, `${db}-replica`, 1);
      const failover = await aws.runFailover({ db, reason: OUTAGE }, `failover-${db}`);
      expect(failover.status, failover.cause).toBe('SUCCEEDED');
    }
    // The original primaries of orders and billing were deleted after the outage (final snapshot taken);
    // legacy's is still there, stale, under the name the failback would use.
    for (const db of ['orders', 'billing']) await aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: db, SkipFinalSnapshot: true }));
    await aws.receiveAlerts('dr');
  }, 300_000);
  afterAll(async () => aws?.stop());

  const instance = (region: string, id: string) => world.instance(region, id);
  const replicaLag = (region: string, id: string, seconds: number, minutesAgo = 0) => world.replicaLag(region, id, seconds, minutesAgo);
  const cname = (db: string) => world.cname(db);
  const parameter = (region: string, name: string) => world.parameter(region, name);
  const worldState = () => world.worldState();

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
      expect(run.statesEntered).toEqual(['PlanFailback', 'IsGlobalDatabase', 'RunPreChecks', 'CreatePrimaryReplica', 'CheckInSync', 'IsInSync', 'SwitchRequested', 'ReportTimeline', 'DrStandbyAvailable', 'FailbackSucceeded']);
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
    expect(run.statesEntered).toEqual(expect.arrayContaining(['StopWrites', 'CheckCaughtUp', 'PromoteReplica', 'CheckWritable', 'CutoverEndpoint', 'CreateDrStandby', 'RecordActiveRegion', 'CheckDrStandby', 'ReportTimeline']));
    // Success only once the new DR standby is available.
    expect(run.statesEntered.slice(-3)).toEqual(['ReportTimeline', 'DrStandbyAvailable', 'FailbackSucceeded']);
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
    expect(await parameter(DR, writerParameter('orders'))).toBe(host);
    expect(await parameter(PRIMARY, writerParameter('orders'))).toBe(host);

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
      expect.arrayContaining(['plan', 'checks', 'create-replica', 'wait-in-sync', 'cutover', 'wait-caught-up', 'promote', 'wait-writable', 'create-dr-standby', 'active-region', 'wait-dr-standby', 'report']),
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

  it('switch: a new DR standby that does not become available in time is recorded on the timeline and pages (rds-dr.DrStandbyNotAvailable); the database itself is back', async () => {
    await replicaLag(PRIMARY, 'billing', 0);
    await aws.receiveAlerts('dr');
    let release: (() => void) | undefined;
    let polls = 0;
    const undoCreate = aws.wrapLambda('create-failback-replica', (original) => async (event) => {
      const out = await original(event);
      // RDS keeps creating the standby (moto makes it available at once).
      if ((event as { role: string }).role === 'dr-standby') release ??= holdDatabaseStatus(awsClients.rds(DR), 'billing-standby', 'creating');
      return out;
    });
    const undoStatus = aws.wrapLambda('failback-replica-status', (original) => async (event) => {
      const e = event as { require: string; since: string; plan: { waitTimeoutSeconds: number } };
      if (e.require !== 'dr-standby-available' || ++polls < 3) return original(event);
      // The third look comes after incident.waitTimeoutMinutes.
      return original({ ...e, since: new Date(Date.now() - (e.plan.waitTimeoutSeconds + 60) * 1000).toISOString() } as never);
    });
    let run: Awaited<ReturnType<LocalStack['runFailback']>>;
    try {
      run = await aws.runFailback({ db: 'billing', reason: REASON, switch: true }, 'billing-switch');
    } finally {
      undoCreate();
      undoStatus();
      release?.();
    }
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.DrStandbyNotAvailable');
    expect(run.cause).toMatch(/^new DR standby billing-standby in us-west-2 is not available after \d+ s \(incident\.waitTimeoutMinutes = 180\); now creating\. billing itself is back in us-east-1 as billing;/);
    expect(polls).toBe(3);
    expect(run.statesEntered.filter((s) => s === 'WaitForDrStandby')).toHaveLength(2);
    expect(run.statesEntered.slice(-3)).toEqual(['ReportTimeline', 'DrStandbyAvailable', 'DrStandbyNotAvailable']);
    // The database is back: promoted in the primary region, the endpoint and the record on it.
    const primary = await instance(PRIMARY, 'billing');
    expect(primary?.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    expect(await cname('billing')).toBe(primary?.Endpoint?.Address);
    expect(JSON.parse((await parameter(DR, '/rds-dr/active-region/billing')) ?? '{}')).toMatchObject({ region: PRIMARY });
    const rep = await report(run.executionArn);
    expect(rep?.body.steps.find((s: { name: string }) => s.name === 'wait-dr-standby')).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/billing-standby .* not available/) });
    const alerts = await aws.receiveAlerts('dr');
    expect(alerts.map((a) => `${a.subject}\n${a.message}`).join('\n')).toMatch(/rds-dr\.DrStandbyNotAvailable[\s\S]*billing itself is back in us-east-1/);
  });

  it('the original primary still holding the replica name fails the pre-checks, names what to do, changes nothing and pages', async () => {
    const before = await worldState();
    const run = await aws.runFailback({ db: 'legacy', reason: REASON }, 'legacy-1');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.PreCheckFailed');
    expect(run.cause).toMatch(/pre-check target-name failed: legacy in us-east-1 exists and is the original primary .*rename it .*or delete it/);
    expect(run.statesEntered).toEqual(['PlanFailback', 'IsGlobalDatabase', 'RunPreChecks', 'ReportFailure', 'FailbackFailed']);
    expect(await worldState()).toEqual(before);
    expect((await aws.receiveAlerts('dr')).map((a) => a.message).join('\n')).toMatch(/target-name/);
    expect((await report(run.executionArn))?.body.outcome).toBe('failed');
  });

  it('an Aurora global database takes its own branch: with no global cluster to switch over, its pre-checks fail naming each, change nothing and page', async () => {
    // moto 5.2.1 has no SwitchoverGlobalCluster: the switchover itself runs over the gateway's twin (test/lambdas/failback/global-failback.test.ts).
    await aws.receiveAlerts('dr');
    const before = await worldState();
    const run = await aws.runFailback({ db: 'ledger', reason: REASON, switch: true }, 'ledger-1');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.PreCheckFailed');
    expect(run.statesEntered).toEqual(['PlanFailback', 'IsGlobalDatabase', 'RunGlobalPreChecks', 'ReportFailure', 'FailbackFailed']);
    expect(run.cause).toMatch(/pre-check global-cluster failed: global cluster ledger-global not found.*pre-check primary-cluster-member failed: .*pre-check primary-cluster-available failed: ledger not found in us-east-1/);
    expect(await worldState()).toEqual(before);
    expect((await aws.receiveAlerts('dr')).map((a) => a.message).join('\n')).toMatch(/global-cluster/);
  });

  describe('bad input fails in the first state, changes nothing and the alert names the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['not an object', 'orders', /input must be a JSON object/],
      ['missing reason', { db: 'orders' }, /input\.reason: required/],
      ['unknown db', { db: 'nope', reason: REASON }, /input\.db: "nope" has no standby configured/],
      ['db without a standby', { db: 'invoices', reason: REASON }, /input\.db: "invoices" has no standby configured/],
      ['non-boolean switch', { db: 'orders', reason: REASON, switch: 'yes' }, /input\.switch: must be true or false/],
      ['unknown field', { db: 'orders', reason: REASON, force: true }, /unknown field\(s\) force/],
    ];
    it.each(cases)('%s', (_name, input, field) => expectRejectedInFirstState(aws, world, () => aws.runFailback(input), 'PlanFailback', field));
  });
});
