// Pure failback logic and each step against an in-memory gateway: input validation, plan resolution,
// pre-checks and placement, idempotent creation / promotion / active-region record, the wait loops.
import { describe, expect, it } from 'vitest';
import { FAILBACK_SOURCE_TAG } from '../../../lambdas/core/replicas.js';
import { recordActiveRegion } from '../../../lambdas/failback/active-region-step.js';
import { createReplica } from '../../../lambdas/failback/create-replica.js';
import { assertChecksPass, evaluateChecks } from '../../../lambdas/failback/failback-checks.js';
import { parseFailbackRequest } from '../../../lambdas/failback/failback-plan.js';
import { observeFailback } from '../../../lambdas/failback/observe-failback.js';
import { promoteReplica } from '../../../lambdas/failback/promote-replica.js';
import { checkReplica } from '../../../lambdas/failback/replica-status.js';
import { afterFailover, arn, audit, clock, EXECUTION, FakeGateway, planFor, settings } from './failback-fixtures.js';

describe('failback input and plan', () => {
  it('resolves the DR writer, the replica (default: the db name), the new standby and the active-region record', () => {
    const plan = planFor('orders', { switch: true });
    expect(plan).toMatchObject({
      switch: true,
      dryRun: false,
      source: { id: 'orders-replica', region: 'us-west-2', arn: arn('us-west-2', 'orders-replica') },
      target: { id: 'orders', region: 'us-east-1' },
      drStandby: { id: 'orders-standby', region: 'us-west-2' },
      configuredPlacement: { kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/primary', subnetGroupName: 'app-subnets' },
      drKmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/dr',
      drainSeconds: 60,
      waitTimeoutSeconds: 600,
      activeRegionParameter: '/rds-dr/active-region/orders',
    });
  });

  it.each([
    ['missing reason', { db: 'orders' }, /input\.reason: required/],
    ['non-boolean switch', { db: 'orders', reason: 'x', switch: 1 }, /input\.switch: must be true or false/],
    ['unknown field', { db: 'orders', reason: 'x', force: true }, /unknown field\(s\) force/],
  ])('rejects %s naming the field', (_n, input, message) => {
    expect(() => parseFailbackRequest(input)).toThrow(message);
  });

  it('refuses switch for a database without a writer endpoint (nothing would stop writes)', () => {
    expect(planFor('billing').switch).toBe(false);
    expect(() => planFor('billing', { switch: true })).toThrow(/input\.switch: billing has no writer endpoint configured \(incident\.databases\.billing\.endpoint\)/);
  });

  it('rejects a database without a standby by name, listing those that can fail back', () => {
    expect(() => planFor('invoices')).toThrow(/input\.db: "invoices" has no standby configured.*can fail back: orders, billing, ledger\./);
  });
});

describe('failback pre-checks', () => {
  it('all pass after a failover: placement from config, the rest from nothing (RDS defaults)', async () => {
    const plan = planFor('orders');
    const { checks, placement } = evaluateChecks(plan, await observeFailback(plan, afterFailover()));
    expect(checks.map((c) => `${c.name}:${c.result}`)).toEqual(['source-writable:pass', 'primary-region-reachable:pass', 'target-name:pass', 'placement:pass', 'dr-standby-name:pass']);
    expect(placement).toMatchObject({ kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/primary', subnetGroupName: 'app-subnets', from: { subnetGroupName: 'config incident.databases.orders.failback.subnetGroupName' } });
    expect(() => assertChecksPass(plan, checks)).not.toThrow();
  });

  it('fills what config leaves out from the original primary, and fails target-name while it holds the name', async () => {
    const g = new FakeGateway();
    g.put('us-west-2', 'billing-replica');
    g.put('us-east-1', 'billing', { kmsKeyId: 'k-old', subnetGroupName: 'old-subnets', securityGroupIds: ['sg-00000000000000001'], parameterGroupName: 'old-params' });
    const plan = planFor('billing');
    const { checks, placement } = evaluateChecks(plan, await observeFailback(plan, g));
    expect(placement).toMatchObject({ kmsKeyId: 'k-old', subnetGroupName: 'old-subnets', securityGroupIds: ['sg-00000000000000001'], parameterGroupName: 'old-params', from: { kmsKeyId: 'recorded on billing in us-east-1' } });
    expect(checks.find((c) => c.name === 'target-name')).toMatchObject({ result: 'fail', detail: expect.stringMatching(/billing in us-east-1 exists and is the original primary .*rename it .*failback\.replicaInstance/) });
    expect(() => assertChecksPass(plan, checks)).toThrow(/failback of billing stopped before any change: pre-check target-name failed/);
  });

  it('fails each check with what to do: still a replica, region unreachable, no subnet group / key, a foreign standby name', async () => {
    const g = new FakeGateway();
    g.put('us-west-2', 'billing-replica', { replicaSource: arn('us-east-1', 'billing') });
    g.put('us-west-2', 'billing-standby');
    const plan = planFor('billing');
    let { checks } = evaluateChecks(plan, await observeFailback(plan, g));
    expect(checks.find((c) => c.name === 'source-writable')?.detail).toMatch(/still a read replica .*no failover happened/);
    expect(checks.find((c) => c.name === 'placement')?.detail).toMatch(/unresolved subnetGroupName .*kmsKeyId .*billing no longer exists in us-east-1; set incident\.databases\.billing\.failback\.subnetGroupName \/ kmsKeyId/);
    expect(checks.find((c) => c.name === 'dr-standby-name')?.result).toBe('fail');
    g.unreachable.add('us-east-1');
    ({ checks } = evaluateChecks(plan, await observeFailback(plan, g)));
    expect(checks.find((c) => c.name === 'primary-region-reachable')).toMatchObject({ result: 'fail', detail: expect.stringMatching(/us-east-1 RDS did not answer \(TimeoutError/) });
  });
});

describe('failback steps', () => {
  it('creates the primary-region replica once with the resolved placement; a second call finds it and changes nothing', async () => {
    const g = afterFailover();
    const plan = planFor('orders');
    const obs = await observeFailback(plan, g);
    const { placement } = evaluateChecks(plan, obs);
    const log = audit();
    const first = await createReplica({ plan, role: 'primary-replica', placement }, g, log, clock());
    expect(first.step.outcome).toBe('done');
    expect(g.created).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        id: 'orders',
        sourceArn: arn('us-west-2', 'orders-replica'),
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/primary',
        subnetGroupName: 'app-subnets',
        tags: expect.objectContaining({ [FAILBACK_SOURCE_TAG]: arn('us-west-2', 'orders-replica') }),
      }),
    ]);
    expect(log.entries[0]).toMatchObject({ why: 'CHG-42', who: { executionArn: EXECUTION }, what: expect.stringMatching(/^CreateDBInstanceReadReplica orders in us-east-1/) });
    const again = await createReplica({ plan, role: 'primary-replica', placement }, g, audit(), clock());
    expect(again.step.outcome).toBe('already-done');
    expect(g.created).toHaveLength(1);
  });

  it('a dry run creates nothing and says what it would create', async () => {
    const g = afterFailover();
    const plan = planFor('orders', { dryRun: true });
    const result = await createReplica({ plan, role: 'primary-replica', placement: { from: {} } }, g, audit(), clock());
    expect(result.step).toMatchObject({ outcome: 'would-do', detail: expect.stringMatching(/^dry run: would CreateDBInstanceReadReplica orders in us-east-1/) });
    expect(g.created).toEqual([]);
  });

  it('does not take over a foreign instance with the replica name', async () => {
    const g = afterFailover();
    g.put('us-east-1', 'orders');
    await expect(createReplica({ plan: planFor('orders'), role: 'primary-replica', placement: { from: {} } }, g, audit(), clock())).rejects.toThrow(/orders in us-east-1 exists and is not a replica of/);
  });

  it('waits until in sync (available, lag within the limit); unknown lag keeps waiting; the budget bounds it', async () => {
    const g = afterFailover();
    const plan = planFor('orders');
    g.put('us-east-1', 'orders', { status: 'creating', replicaSource: plan.source.arn, tags: { [FAILBACK_SOURCE_TAG]: plan.source.arn } });
    const since = '2026-11-30T10:00:00Z';
    expect((await checkReplica({ plan, require: 'in-sync', since }, g, clock('2026-11-30T10:01:00Z'))).ready).toBe(false);
    g.put('us-east-1', 'orders', { replicaSource: plan.source.arn, tags: { [FAILBACK_SOURCE_TAG]: plan.source.arn } });
    const unknown = await checkReplica({ plan, require: 'in-sync', since }, g, clock('2026-11-30T10:02:00Z'));
    expect(unknown).toMatchObject({ ready: false, step: { detail: expect.stringMatching(/lag unknown/) } });
    g.lag.set('orders', 45);
    expect((await checkReplica({ plan, require: 'in-sync', since }, g, clock('2026-11-30T10:03:00Z'))).ready).toBe(false);
    await expect(checkReplica({ plan, require: 'in-sync', since }, g, clock('2026-11-30T10:11:00Z'))).rejects.toThrow(/not in-sync after 660 s \(incident\.waitTimeoutMinutes = 10\)/);
    g.lag.set('orders', 12);
    expect(await checkReplica({ plan, require: 'in-sync', since }, g, clock('2026-11-30T10:04:00Z'))).toMatchObject({ ready: true, lagSeconds: 12, endpoint: 'orders.us-east-1.rds' });
  });

  it('after writes stop: waits the CNAME TTL and for lag 0 before the promotion', async () => {
    const g = afterFailover();
    const plan = planFor('orders');
    g.put('us-east-1', 'orders', { replicaSource: plan.source.arn, tags: { [FAILBACK_SOURCE_TAG]: plan.source.arn } });
    g.lag.set('orders', 0);
    const since = '2026-11-30T10:00:00Z';
    expect(await checkReplica({ plan, require: 'caught-up', since }, g, clock('2026-11-30T10:00:30Z'))).toMatchObject({ ready: false, step: { detail: expect.stringMatching(/draining.*60 s/) } });
    g.lag.set('orders', 2);
    expect((await checkReplica({ plan, require: 'caught-up', since }, g, clock('2026-11-30T10:01:30Z'))).ready).toBe(false);
    g.lag.set('orders', 0);
    expect((await checkReplica({ plan, require: 'caught-up', since }, g, clock('2026-11-30T10:01:30Z'))).ready).toBe(true);
  });

  it('promotes once, logs who/what/why; a re-run finds it promoted; then writable', async () => {
    const g = afterFailover();
    const plan = planFor('orders', { switch: true });
    g.put('us-east-1', 'orders', { replicaSource: plan.source.arn, tags: { [FAILBACK_SOURCE_TAG]: plan.source.arn } });
    const log = audit();
    expect((await promoteReplica(plan, g, log, clock())).step.outcome).toBe('done');
    expect(log.entries[0].what).toMatch(/^PromoteReadReplica orders in us-east-1/);
    expect((await promoteReplica(plan, g, audit(), clock())).step.outcome).toBe('already-done');
    expect(g.promoted).toEqual(['orders']);
    // Promoted with backups kept for the database's PITR objective, not RDS's 1-day default.
    expect(plan.backupRetentionDays).toBe(settings.incident!.databases.orders.pitr.minRetentionDays);
    expect(g.promotedRetention.get('orders')).toBe(plan.backupRetentionDays);
    expect((await checkReplica({ plan, require: 'writable', since: '2026-11-30T10:00:00Z' }, g, clock())).ready).toBe(false);
    g.put('us-east-1', 'orders', { tags: { [FAILBACK_SOURCE_TAG]: plan.source.arn } });
    expect((await checkReplica({ plan, require: 'writable', since: '2026-11-30T10:00:00Z' }, g, clock())).ready).toBe(true);
  });

  it('creates the DR standby from the new primary with the DR key in the DR instance network', async () => {
    const g = afterFailover();
    const plan = planFor('orders', { switch: true });
    g.put('us-east-1', 'orders', { tags: { [FAILBACK_SOURCE_TAG]: plan.source.arn, 'rds-dr:policy': 'gold' } });
    const result = await createReplica({ plan, role: 'dr-standby' }, g, audit(), clock());
    expect(result.step.outcome).toBe('done');
    expect(g.created[0]).toMatchObject({
      region: 'us-west-2',
      id: 'orders-standby',
      sourceArn: arn('us-east-1', 'orders'),
      kmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/dr',
      subnetGroupName: 'dr-subnets',
      securityGroupIds: ['sg-0000000000000dr01'],
      parameterGroupName: 'dr-params',
      tags: { [FAILBACK_SOURCE_TAG]: arn('us-east-1', 'orders'), 'rds-dr:policy': 'gold', 'rds-dr:failback-execution': 'x' },
    });
    expect((await createReplica({ plan, role: 'dr-standby' }, g, audit(), clock())).step.outcome).toBe('already-done');
  });

  it('returns the active-region record the failover wrote to the primary region, once', async () => {
    const g = afterFailover();
    const plan = planFor('orders', { switch: true });
    g.parameters.set('us-west-2/rds-dr/active-region/orders', JSON.stringify({ region: 'us-west-2', since: '2026-11-29T10:00:00.000Z', by: 'arn:aws:states:us-west-2:123456789012:execution:rds-dr-failover:f-1' }));
    const first = await recordActiveRegion(plan, g, clock());
    expect(first.step).toMatchObject({ outcome: 'done', detail: '/rds-dr/active-region/orders in us-west-2: us-west-2 -> us-east-1' });
    expect(JSON.parse(g.parameters.get('us-west-2/rds-dr/active-region/orders')!)).toEqual({ region: 'us-east-1', since: '2026-11-30T10:00:00.000Z', by: EXECUTION });
    expect((await recordActiveRegion(plan, g, clock())).step.outcome).toBe('already-done');
    const dry = afterFailover();
    expect((await recordActiveRegion(planFor('orders', { dryRun: true }), dry, clock())).step.outcome).toBe('would-do');
    expect(dry.parameters.size).toBe(0);
  });
});
