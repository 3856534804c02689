// The failback of an Aurora global database: a switchover back to the original primary-region cluster.
// moto 5.2.1 has no SwitchoverGlobalCluster, so the steps run over an in-memory twin of the gateway
// port (test/lambdas/core/in-memory-standby-gateway.ts) that keeps RDS's contracts for it.
import { describe, expect, it } from 'vitest';
import { assertGlobalChecksPass, evaluateGlobalChecks, observeGlobalFailback } from '../../../lambdas/failback/global-failback-checks.js';
import { checkGlobalWriter, switchoverBack } from '../../../lambdas/failback/global-switchover.js';
import { describePlan, parseFailbackRequest, resolveFailbackPlan, type GlobalFailbackPlan } from '../../../lambdas/failback/failback-plan.js';
import { InMemoryStandbyGateway } from '../core/in-memory-standby-gateway.js';
import { ACCOUNT, audit, clock, EXECUTION, settings } from './failback-fixtures.js';

const PRIMARY_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:ledger`;
const DR_ARN = `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:ledger-dr`;

function globalPlan(opts: { dryRun?: boolean; switch?: boolean } = {}): GlobalFailbackPlan {
  const plan = resolveFailbackPlan(parseFailbackRequest({ db: 'ledger', reason: 'CHG-42', ...opts }), settings, EXECUTION);
  if (plan.kind !== 'global') throw new Error(`expected a global plan, got ${plan.kind}`);
  return plan;
}

/** Where a switchover failover of ledger ends: ledger-dr (us-west-2) the writer, ledger (us-east-1) a secondary in sync. */
function afterFailover(): InMemoryStandbyGateway {
  const g = new InMemoryStandbyGateway();
  g.putCluster('us-east-1', 'ledger', PRIMARY_ARN);
  g.putCluster('us-west-2', 'ledger-dr', DR_ARN);
  g.putGlobal('ledger-global', [
    { clusterArn: PRIMARY_ARN, isWriter: false },
    { clusterArn: DR_ARN, isWriter: true },
  ]);
  g.lag.set('ledger', 0.4);
  return g;
}

const checksOf = async (g: InMemoryStandbyGateway, plan = globalPlan()) => evaluateGlobalChecks(plan, await observeGlobalFailback(plan, g));
const resultOf = (checks: Awaited<ReturnType<typeof checksOf>>, name: string) => checks.find((c) => c.name === name);

describe('Aurora global database failback: plan', () => {
  it('resolves the global cluster, the DR writer and the original cluster as the switchover target; switch needs no endpoint', () => {
    const plan = globalPlan({ switch: true });
    expect(plan).toMatchObject({
      kind: 'global',
      switch: true,
      globalCluster: 'ledger-global',
      source: { id: 'ledger-dr', region: 'us-west-2', arn: DR_ARN },
      target: { id: 'ledger', region: 'us-east-1', arn: PRIMARY_ARN },
      maxReplicaLagSeconds: 300,
      waitTimeoutSeconds: 600,
      activeRegionParameter: '/rds-dr/active-region/ledger',
    });
    expect(describePlan(plan)).toBe('real failback of Aurora global database ledger: checks and switchover; SwitchoverGlobalCluster ledger-global from ledger-dr (us-west-2) back to ledger (us-east-1); reason: CHG-42');
  });
});

describe('Aurora global database failback: pre-checks', () => {
  it('all pass after a failover: the global cluster, the original cluster a secondary and available, its lag within the limit', async () => {
    const checks = await checksOf(afterFailover());
    expect(checks.map((c) => `${c.name}:${c.result}`)).toEqual(['global-cluster:pass', 'primary-cluster-member:pass', 'primary-cluster-available:pass', 'replica-lag:pass']);
    expect(resultOf(checks, 'replica-lag')?.detail).toBe('lag 0.4 s within the limit of 300 s');
    expect(() => assertGlobalChecksPass(globalPlan(), checks)).not.toThrow();
  });

  it('fails when the original cluster is not a member, naming how to add it back', async () => {
    const g = afterFailover();
    g.putGlobal('ledger-global', [{ clusterArn: DR_ARN, isWriter: true }]);
    const checks = await checksOf(g);
    expect(resultOf(checks, 'primary-cluster-member')).toMatchObject({ result: 'fail', detail: expect.stringMatching(/is not a member of ledger-global: .*create-db-cluster --region us-east-1 --db-cluster-identifier ledger --global-cluster-identifier ledger-global/) });
    expect(() => assertGlobalChecksPass(globalPlan(), checks)).toThrow(/failback of ledger stopped before any change: pre-check primary-cluster-member failed/);
  });

  it('fails a missing global cluster, an unavailable original cluster, unknown lag and lag above the limit', async () => {
    let g = afterFailover();
    g.globals.clear();
    expect(resultOf(await checksOf(g), 'global-cluster')).toMatchObject({ result: 'fail', detail: expect.stringMatching(/global cluster ledger-global not found; check incident\.databases\.ledger\.standby\.globalCluster/) });
    g = afterFailover();
    g.putCluster('us-east-1', 'ledger', PRIMARY_ARN, { status: 'modifying' });
    expect(resultOf(await checksOf(g), 'primary-cluster-available')).toMatchObject({ result: 'fail', detail: 'ledger in us-east-1 is modifying, not available; wait until it is and re-run' });
    g = afterFailover();
    g.lag.delete('ledger');
    expect(resultOf(await checksOf(g), 'replica-lag')).toMatchObject({ result: 'fail', detail: expect.stringMatching(/^lag unknown \(no AuroraGlobalDBReplicationLag datapoint of ledger in us-east-1/) });
    g.lag.set('ledger', 301);
    expect(resultOf(await checksOf(g), 'replica-lag')).toMatchObject({ result: 'fail', detail: expect.stringMatching(/^lag 301 s exceeds the limit of 300 s/) });
  });

  it('an unreachable primary region fails the checks with the error, without waiting for its lag', async () => {
    const g = afterFailover();
    g.unreachableRegions.add('us-east-1');
    const checks = await checksOf(g);
    expect(resultOf(checks, 'primary-cluster-available')).toMatchObject({ result: 'fail', detail: expect.stringMatching(/^us-east-1 RDS did not answer \(TimeoutError: connect ETIMEDOUT/) });
    expect(resultOf(checks, 'global-cluster')?.result).toBe('pass');
  });

  it('already the writer (a re-run after the switchover): the lag no longer applies', async () => {
    const g = afterFailover();
    g.putGlobal('ledger-global', [
      { clusterArn: PRIMARY_ARN, isWriter: true },
      { clusterArn: DR_ARN, isWriter: false },
    ]);
    g.lag.delete('ledger');
    const checks = await checksOf(g);
    expect(checks.map((c) => c.result)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(resultOf(checks, 'replica-lag')?.detail).toBe('not applicable: ledger is already the writer of ledger-global');
  });
});

describe('Aurora global database failback: switchover and the wait for the writer', () => {
  it('switches over once to the original cluster ARN (from the DR region), logs who/what/why; waits until it is the available writer; a re-run changes nothing', async () => {
    const g = afterFailover();
    const plan = globalPlan({ switch: true });
    const log = audit();
    const first = await switchoverBack(plan, g, log, clock());
    expect(first).toMatchObject({ performed: true, step: { name: 'switchover', outcome: 'done' } });
    expect(g.writes).toEqual([`SwitchoverGlobalCluster us-west-2 ledger-global ${PRIMARY_ARN}`]);
    expect(log.entries).toEqual([{ who: { reason: 'CHG-42', executionArn: EXECUTION }, why: 'CHG-42', what: expect.stringMatching(/^SwitchoverGlobalCluster ledger-global to ledger \(arn:aws:rds:us-east-1:/) }]);

    const since = first.step.endedAt;
    const during = await checkGlobalWriter({ plan, since }, g, clock('2026-11-30T10:01:00Z'));
    expect(during).toMatchObject({ ready: false, step: { name: 'wait-writer', detail: 'waiting: ledger is a member while the writer moves, available; ledger-global is switching-over' } });
    const again = await switchoverBack(plan, g, audit(), clock());
    expect(again).toMatchObject({ performed: false, step: { outcome: 'already-done', detail: 'in progress: ledger-global is switching-over; waiting for it' } });

    g.settle('ledger-global');
    const after = await checkGlobalWriter({ plan, since }, g, clock('2026-11-30T10:02:00Z'));
    expect(after).toMatchObject({ ready: true, endpoint: 'ledger.cluster-abc.us-east-1.rds.amazonaws.com', step: { outcome: 'done' } });
    expect((await switchoverBack(plan, g, audit(), clock())).step).toMatchObject({ outcome: 'already-done', detail: 'already done: ledger is the writer of ledger-global' });
    expect(g.writes).toHaveLength(1);
  });

  it('a duplicate request RDS refuses because the switchover is already under way is recorded as in progress', async () => {
    const g = afterFailover();
    const plan = globalPlan({ switch: true });
    // Another execution's request lands between this one's look and its call.
    const look = g.describeGlobalCluster.bind(g);
    let looks = 0;
    g.describeGlobalCluster = async (region, id) => {
      const seen = await look(region, id);
      if (++looks === 1) await g.switchoverGlobalCluster('us-west-2', 'ledger-global', PRIMARY_ARN);
      return seen;
    };
    const result = await switchoverBack(plan, g, audit(), clock());
    expect(result).toMatchObject({ performed: false, step: { outcome: 'already-done', detail: 'in progress: ledger-global is switching-over; waiting for it (InvalidGlobalClusterStateFault)' } });
  });

  it('a dry run switches nothing and does not wait', async () => {
    const g = afterFailover();
    const plan = globalPlan({ switch: true, dryRun: true });
    expect((await switchoverBack(plan, g, audit(), clock())).step).toMatchObject({ outcome: 'would-do', detail: expect.stringMatching(/^dry run: would SwitchoverGlobalCluster ledger-global to ledger/) });
    expect(g.writes).toEqual([]);
    expect(await checkGlobalWriter({ plan, since: '2026-11-30T10:00:00Z' }, g, clock())).toMatchObject({ ready: true, endpoint: 'ledger.cluster-abc.us-east-1.rds.amazonaws.com', step: { outcome: 'skipped' } });
  });

  it('the wait fails with rds-dr.PromotionTimeout after incident.waitTimeoutMinutes, and with rds-dr.PromotionFailed on a terminal status', async () => {
    const g = afterFailover();
    const plan = globalPlan({ switch: true });
    await switchoverBack(plan, g, audit(), clock());
    const since = '2026-11-30T10:00:00Z';
    expect((await checkGlobalWriter({ plan, since }, g, clock('2026-11-30T10:09:59Z'))).ready).toBe(false);
    await expect(checkGlobalWriter({ plan, since }, g, clock('2026-11-30T10:10:01Z'))).rejects.toMatchObject({
      name: 'rds-dr.PromotionTimeout',
      message: expect.stringMatching(/^ledger in us-east-1 not the available writer of ledger-global after 601 s \(incident\.waitTimeoutMinutes = 10\)/),
    });
    g.putCluster('us-east-1', 'ledger', PRIMARY_ARN, { status: 'inaccessible-encryption-credentials' });
    await expect(checkGlobalWriter({ plan, since }, g, clock('2026-11-30T10:01:00Z'))).rejects.toMatchObject({ name: 'rds-dr.PromotionFailed' });
  });

  it('the writer is not ready while its cluster is still modifying after the switchover', async () => {
    const g = afterFailover();
    const plan = globalPlan({ switch: true });
    await switchoverBack(plan, g, audit(), clock());
    g.settle('ledger-global');
    g.putCluster('us-east-1', 'ledger', PRIMARY_ARN, { status: 'modifying' });
    expect(await checkGlobalWriter({ plan, since: '2026-11-30T10:00:00Z' }, g, clock('2026-11-30T10:01:00Z'))).toMatchObject({ ready: false, step: { detail: 'waiting: ledger is the writer, modifying; ledger-global is available' } });
  });
});
