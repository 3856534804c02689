// The failover workflow (state-machines/failover.asl.json) on moto through the local runner: an RDS
// instance in the primary region with a cross-region read replica in the DR region.
// moto lacks SwitchoverGlobalCluster / FailoverGlobalCluster: the Aurora global branch is tested
// with aws-sdk-client-mock in test/lambdas/failover/failover-aurora.test.ts.
import { DescribeDBInstancesCommand, ListTagsForResourceCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, IMPAIRED_REGION_CLIENT } from '../../lambdas/aws/clients.js';
import { StopDBInstanceCommand, StartDBInstanceCommand } from '@aws-sdk/client-rds';
import { LocalStack } from '../local/local-stack.js';
import { motoClientConfig } from '../local/moto.js';
import { holdDatabaseStatus } from '../local/faults.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';
import { createZone, endpointOf, expectRejectedInFirstState, incidentWorld, writerParameter, type IncidentWorld } from './incident-fixtures.js';

const REASON = 'us-east-1 outage INC-123';

/** moto's own notion: StopDBInstance refuses a replica (InvalidDBClusterStateFault) and works on a standalone instance. */
async function motoSaysReplica(rds: RDSClient, id: string): Promise<boolean> {
  try {
    await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: id }));
  } catch (err) {
    if ((err as Error).name === 'InvalidDBClusterStateFault') return true;
    throw err;
  }
  await rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: id }));
  return false;
}

const DBS = ['orders', 'drill', 'laggy', 'outage', 'hung', 'slow'];

describe('failover workflow on the local AWS', () => {
  let aws: LocalStack;
  let zoneId = '';
  let world: IncidentWorld;

  beforeAll(async () => {
    aws = await LocalStack.start({
      config: localConfig({
        incident: {
          databases: {
            ...Object.fromEntries(DBS.map((db) => [db, { standby: { replicaInstance: `${db}-replica` }, maxReplicaLagSeconds: 60, endpoint: endpointOf(db, 30), cutover: 'endpoint' }])),
            // Route 53's control plane is in us-east-1, the primary region here: down with it in the outage
            // scenario (test/local/region-outage.ts), so that database's applications find the writer in SSM.
            outage: { standby: { replicaInstance: 'outage-replica' }, maxReplicaLagSeconds: 60, endpoint: { ssmParameter: '/app/outage/writer' }, cutover: 'endpoint' },
            hung: { standby: { replicaInstance: 'hung-replica' }, maxReplicaLagSeconds: 60, endpoint: { ssmParameter: '/app/hung/writer' }, cutover: 'endpoint' },
            ghost: { standby: { replicaInstance: 'ghost-replica' } },
            billing: { maxReplicaLagSeconds: 60 },
          },
        },
      }),
      prepare: async (moto, config) => {
        zoneId = await createZone(moto);
        const incident = config.incident as { databases: Record<string, { endpoint?: { route53?: { hostedZoneId: string } } }> };
        for (const d of Object.values(incident.databases)) if (d.endpoint?.route53) d.endpoint.route53.hostedZoneId = zoneId;
        return config;
      },
    });
    world = incidentWorld(aws, zoneId);
    // Each scenario has its own primary + cross-region replica, and the application's current writer records.
    for (const db of DBS) await world.primaryWithStandby(db, { ttl: 30 });
  }, 120_000);
  afterAll(async () => aws?.stop());

  const replicaLag = (db: string, seconds: number) => world.replicaLag(DR, `${db}-replica`, seconds);
  const describeInstance = async (region: string, id: string) => (await world.rds[region].send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0];
  const cname = (db: string) => world.cname(db);
  const parameter = (region: string, db: string) => world.parameter(region, writerParameter(db));
  const worldState = () => world.worldState();

  /** The incident notices: on the DR stack's warnings topic, as the failover runs in the DR region. */
  const notices = () => aws.receiveWarnings('dr');

  async function report(executionArn: string) {
    const s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: aws.reportsBucket, Prefix: 'incidents/failover/' }));
    const key = listed.Contents?.map((o) => o.Key ?? '').find((k) => k.endsWith(`/${executionArn.split(':').pop()}.json`));
    if (!key) return undefined;
    return { key, body: JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: key }))).Body!.transformToString()) };
  }

  it('moto marks the DR instance as a cross-region replica of the primary', async () => {
    const replica = await describeInstance(DR, 'orders-replica');
    expect(replica.ReadReplicaSourceDBInstanceIdentifier).toMatch(/orders$/);
    expect(await motoSaysReplica(aws.rdsDr, 'orders-replica')).toBe(true);
  });

  it('promotes the replica, repoints Route 53 and SSM (both regions), writes the timeline and a notice', async () => {
    await replicaLag('orders', 4);
    const replicaHost = (await describeInstance(DR, 'orders-replica')).Endpoint?.Address;
    expect(await cname('orders')).not.toBe(replicaHost);
    const run = await aws.runFailover({ db: 'orders', reason: REASON, dryRun: false, force: false }, 'orders-1');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(expect.arrayContaining(['PlanFailover', 'RunPreChecks', 'PromoteStandby', 'CheckWritable', 'CutoverEndpoint', 'ReportTimeline']));

    expect((await describeInstance(DR, 'orders-replica')).ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    expect(await motoSaysReplica(aws.rdsDr, 'orders-replica')).toBe(false);
    expect(await cname('orders')).toBe(replicaHost);
    expect(await parameter(DR, 'orders')).toBe(replicaHost);
    expect(await parameter(PRIMARY, 'orders')).toBe(replicaHost);

    const rep = await report(run.executionArn);
    expect(rep?.key).toMatch(/^incidents\/failover\/orders\/\d{4}\/\d{2}\/\d{2}\/orders-1\.json$/);
    expect(rep?.body.steps.map((s: { name: string }) => s.name)).toEqual(['plan', 'checks', 'promote', 'wait-writable', 'active-region', 'cutover', 'report']);
    // Protection follows the database: the DR region records where it is active, and the promoted instance carries the policy's tag.
    const record = (await world.ssm[DR].send(new GetParametersByPathCommand({ Path: '/rds-dr/active-region' }))).Parameters?.find((p) => p.Name === '/rds-dr/active-region/orders');
    expect(JSON.parse(record?.Value ?? '{}')).toEqual({ region: DR, since: expect.any(String), by: run.executionArn });
    const promotedTags = (await aws.rdsDr.send(new ListTagsForResourceCommand({ ResourceName: (await describeInstance(DR, 'orders-replica')).DBInstanceArn }))).TagList;
    expect(promotedTags).toEqual(expect.arrayContaining([{ Key: 'rds-dr:failover-of', Value: 'orders' }, { Key: 'rds-dr:policy', Value: 'gold' }]));
    expect(rep?.body.steps.find((s: { name: string }) => s.name === 'promote').outcome).toBe('done');
    expect(rep?.body.reason).toBe(REASON);
    expect(rep?.body.totalSeconds).toBeGreaterThan(0);
    expect(rep?.body.details.checks.map((c: { name: string; result: string }) => `${c.name}:${c.result}`)).toEqual(['standby-available:pass', 'replica-lag:pass', 'primary-state:pass']);
    const notice = (await notices()).find((n) => n.message.includes('failover of orders completed'));
    expect(notice?.message).toContain(REASON);
    expect(notice?.message).toContain(run.executionArn);
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });

  it('a re-run on the already-promoted standby records "already promoted" and succeeds without changes', async () => {
    const before = await worldState();
    const run = await aws.runFailover({ db: 'orders', reason: REASON }, 'orders-2');
    expect(run.status).toBe('SUCCEEDED');
    const steps = (run.output as { steps: Record<string, { step: { outcome: string; detail: string } }> }).steps;
    expect(steps.promote.step.outcome).toBe('already-done');
    expect(steps.promote.step.detail).toMatch(/already promoted/);
    expect(steps.cutover.step.outcome).toBe('already-done');
    expect(steps.activeRegion.step.outcome).toBe('already-done');
    expect(await worldState()).toEqual(before);
  });

  it('dryRun changes nothing in RDS, Route 53 or SSM, yet runs every check and reports what it would do', async () => {
    await replicaLag('drill', 2);
    const before = await worldState();
    const run = await aws.runFailover({ db: 'drill', reason: 'game day', dryRun: true }, 'drill-1');
    expect(run.status).toBe('SUCCEEDED');
    expect(await worldState()).toEqual(before);
    const steps = (run.output as { steps: Record<string, { step: { outcome: string; detail: string } }> }).steps;
    expect(steps.checks.step.detail).toMatch(/standby-available pass.*replica-lag pass: lag 2 s.*primary-state pass/);
    expect(steps.promote.step).toMatchObject({ outcome: 'would-do', detail: expect.stringMatching(/would PromoteReadReplica drill-replica in us-west-2/) });
    expect(steps.cutover.step.outcome).toBe('would-do');
    expect(steps.cutover.step.detail).toMatch(/Route 53 CNAME drill\.db\.example\.internal .*would-update/);
    const rep = await report(run.executionArn);
    expect(rep?.body.dryRun).toBe(true);
    expect((await notices()).some((n) => n.subject.includes('DRY RUN failover of drill'))).toBe(true);
  });

  it('replica lag above the limit blocks without force (nothing changes) and proceeds with it', async () => {
    await replicaLag('laggy', 900);
    const before = await worldState();
    const blocked = await aws.runFailover({ db: 'laggy', reason: REASON }, 'laggy-1');
    expect(blocked.status).toBe('FAILED');
    expect(blocked.error).toBe('rds-dr.PreCheckFailed');
    expect(blocked.cause).toMatch(/pre-check replica-lag failed: lag 900 s exceeds the limit of 60 s.*rerun with force: true to accept data loss/);
    expect(await worldState()).toEqual(before);
    expect(blocked.statesEntered).toEqual(['PlanFailover', 'RunPreChecks', 'ReportFailure', 'FailoverFailed']);
    // A failed failover pages from the DR region: on the DR stack's alert topic, nothing on the primary's.
    expect(await aws.receiveAlerts('primary')).toEqual([]);
    const alerts = await aws.receiveAlerts('dr');
    expect(alerts.map((a) => a.message).join('\n')).toMatch(/replica-lag/);
    // The failed run still leaves its timeline, ending in the failure.
    const rep = await report(blocked.executionArn);
    expect(rep?.body.outcome).toBe('failed');
    expect(rep?.body.steps.map((s: { name: string }) => s.name)).toEqual(['plan', 'failed', 'report']);
    expect(rep?.body.failure).toMatchObject({ error: 'rds-dr.PreCheckFailed', cause: expect.stringMatching(/^failover of laggy stopped before any change: pre-check replica-lag failed/) });

    const forced = await aws.runFailover({ db: 'laggy', reason: `${REASON}, accepting 15 min loss`, force: true }, 'laggy-2');
    expect(forced.status).toBe('SUCCEEDED');
    const promoted = await describeInstance(DR, 'laggy-replica');
    expect(promoted.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    // A read replica has backups off; promoted, it keeps them for the PITR objective (default 7 days), not RDS's 1-day default.
    expect(promoted.BackupRetentionPeriod).toBe(7);
    const steps = (forced.output as { steps: Record<string, { step: { detail: string } }> }).steps;
    expect(steps.checks.step.detail).toMatch(/replica-lag pass: not enforced \(force: true\): lag 900 s/);
  });

  it('with the primary region down for every client, fails over: the primary is recorded unreachable, its SSM write failed (best effort)', async () => {
    await replicaLag('outage', 1);
    await notices();
    const outage = await aws.regionOutage(PRIMARY);
    let run: Awaited<ReturnType<LocalStack['runFailover']>>;
    try {
      run = await aws.runFailover({ db: 'outage', reason: REASON }, 'outage-1');
    } finally {
      await outage.end();
    }
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const out = run.output as { plan: { protection: string }; steps: Record<string, { step: { detail: string }; notice?: { published: boolean } }> };
    expect(out.plan.protection).toMatch(/tag selection unconfirmed: us-east-1 unreachable \(Error: connect ECONNREFUSED/);
    expect(out.steps.checks.step.detail).toMatch(/primary-state pass: us-east-1 unreachable \(Error: connect ECONNREFUSED.*\); expected in a regional outage, recorded only/);
    expect(out.steps.cutover.step.detail).toMatch(/SSM parameter \/app\/outage\/writer in us-west-2 -> \S+: updated/);
    expect(out.steps.cutover.step.detail).toMatch(/SSM parameter \/app\/outage\/writer in us-east-1 -> \S+ \(best effort\): failed — Error: connect ECONNREFUSED/);
    // The notice goes out all the same: the DR region has its own warnings topic.
    expect(out.steps.report.notice?.published).toBe(true);
    expect((await notices()).map((n) => n.message).join('\n')).toContain('failover of outage completed');
    // Only clients that give up fast (IMPAIRED_REGION_CLIENT: 3 attempts) called into the primary region:
    // the plan's fleet listing, the checks' primary state, the active-region step's reading of the
    // primary's policy tags, the cutover's read (no write after a read the region did not answer).
    const attempts: Record<string, number> = {};
    for (const a of outage.attempts) attempts[`${a.client}.${a.command}`] = (attempts[`${a.client}.${a.command}`] ?? 0) + 1;
    const calls = { 'RDSClient.DescribeDBInstancesCommand': 2, 'RDSClient.DescribeDBClustersCommand': 1, 'RDSClient.ListTagsForResourceCommand': 1, 'SSMClient.GetParameterCommand': 1 };
    expect(attempts).toEqual(Object.fromEntries(Object.entries(calls).map(([c, n]) => [c, n * IMPAIRED_REGION_CLIENT.maxAttempts])));

    const host = (await describeInstance(DR, 'outage-replica')).Endpoint?.Address;
    expect((await describeInstance(DR, 'outage-replica')).ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    expect(await parameter(DR, 'outage')).toBe(host);
    expect(await parameter(PRIMARY, 'outage')).not.toBe(host);
  }, 120_000);

  it('with the primary region taking connections and never answering, fails over: every call into it ends at its request timeout', async () => {
    await replicaLag('hung', 1);
    // Before the impaired-region clients set throwOnRequestTimeout, each of these calls hung until the Lambda's timeout.
    const outage = await aws.regionOutage(PRIMARY, 'unresponsive');
    let run: Awaited<ReturnType<LocalStack['runFailover']>>;
    try {
      run = await aws.runFailover({ db: 'hung', reason: REASON }, 'hung-1');
    } finally {
      await outage.end();
    }
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const out = run.output as { steps: Record<string, { step: { detail: string }; notice?: { published: boolean } }> };
    expect(out.steps.checks.step.detail).toMatch(/primary-state pass: us-east-1 unreachable \(TimeoutError: .*requestTimeout.*\); expected in a regional outage/);
    expect(out.steps.cutover.step.detail).toMatch(/SSM parameter \/app\/hung\/writer in us-east-1 -> \S+ \(best effort\): failed — TimeoutError/);
    expect(out.steps.report.notice?.published).toBe(true);
    // Five calls into the primary (as in the test above), each given up after its attempts: no SSM write after its read timed out.
    expect(outage.attempts.length).toBeLessThanOrEqual(5 * IMPAIRED_REGION_CLIENT.maxAttempts);
    expect(outage.attempts.filter((a) => a.command === 'PutParameterCommand')).toEqual([]);
    expect(await parameter(DR, 'hung')).toBe((await describeInstance(DR, 'hung-replica')).Endpoint?.Address);
  }, 240_000);

  it('waits (Wait -> Describe -> Choice) while the promoted instance is still modifying, then cuts over', async () => {
    await replicaLag('slow', 0);
    let release: (() => void) | undefined;
    let polls = 0;
    const undoPromote = aws.wrapLambda('promote-standby', (original) => async (event) => {
      const out = await original(event);
      release = holdDatabaseStatus(awsClients.rds(DR), 'slow-replica', 'modifying');
      return out;
    });
    const undoStatus = aws.wrapLambda('standby-status', (original) => async (event) => {
      if (++polls === 3) release?.();
      return original(event);
    });
    try {
      const run = await aws.runFailover({ db: 'slow', reason: REASON }, 'slow-1');
      expect(run.status).toBe('SUCCEEDED');
      expect(polls).toBe(3);
      expect(run.statesEntered.filter((s) => s === 'WaitForPromotion')).toHaveLength(2);
      const host = (await describeInstance(DR, 'slow-replica')).Endpoint?.Address;
      expect(await parameter(DR, 'slow')).toBe(host);
    } finally {
      undoPromote();
      undoStatus();
      release?.();
    }
  });

  describe('bad input fails in the first state, changes nothing and the alert names the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['not an object', 'orders', /input must be a JSON object/],
      ['missing db', { reason: REASON }, /input\.db: required/],
      ['db of the wrong type', { db: 42, reason: REASON }, /input\.db:/],
      ['db not protected by this deployment', { db: 'ghost', reason: REASON }, /input\.db: "ghost" \(instance\) is not protected by this deployment/],
      ['db without a standby', { db: 'billing', reason: REASON }, /input\.db: "billing" has no standby configured \(incident\.databases\.billing\.standby\)/],
      ['unknown field', { db: 'drill', reason: REASON, dryrun: true }, /unknown field\(s\) dryrun/],
      ['force without reason', { db: 'drill', force: true }, /input\.reason: required/],
      ['blank reason', { db: 'drill', reason: '   ' }, /input\.reason: must not be empty/],
      ['non-boolean dryRun', { db: 'drill', reason: REASON, dryRun: 'yes' }, /input\.dryRun: must be true or false/],
      ['non-boolean force', { db: 'drill', reason: REASON, force: 1 }, /input\.force: must be true or false/],
    ];
    it.each(cases)('%s', (_name, input, field) => expectRejectedInFirstState(aws, world, () => aws.runFailover(input), 'PlanFailover', field));
  });
});
