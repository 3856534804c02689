// Pure failover logic: input validation, standby resolution, pre-checks, switchover vs failover vs refuse.
import { describe, expect, it } from 'vitest';
import { assertCanProceed, decideAction, evaluateChecks, type StandbyObservation } from '../../../lambdas/failover/failover-decision.js';
import { parseFailoverRequest, resolveFailoverPlan, type FailoverPlan } from '../../../lambdas/failover/failover-plan.js';
import type { PrimaryState } from '../../../lambdas/core/standby.js';
import { toRuntimeSettings } from '../../../lib/platform/config/runtime-settings.js';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { protectionByConfig } from '../../../lambdas/core/protection.js';

const EXECUTION = 'arn:aws:states:us-west-2:123456789012:execution:rds-dr-failover:x';
const settings = toRuntimeSettings(
  parseConfig(
    {
      appName: 'rds-dr',
      primaryRegion: 'us-east-1',
      drRegion: 'us-west-2',
      alerts: { emails: ['oncall@example.com'] },
      policies: { gold: { selection: { instances: ['orders'] } }, silver: { selection: { tags: { tier: 'silver' } } } },
      incident: {
        databases: {
          orders: { standby: { replicaInstance: 'orders-replica' }, maxReplicaLagSeconds: 30 },
          ledger: { standby: { globalCluster: 'ledger-global', secondaryCluster: 'ledger-dr' } },
        },
      },
    },
    'test',
  ),
  // The failover runs in the DR region.
  { account: '123456789012', region: 'us-west-2' },
);

const planFor = (db: string, opts: { force?: boolean; dryRun?: boolean } = {}): FailoverPlan =>
  resolveFailoverPlan(parseFailoverRequest({ db, reason: 'INC-1', ...opts }), settings, EXECUTION, 'test');
const up: PrimaryState = { reachable: true, status: 'available' };
const down: PrimaryState = { reachable: false, error: 'TimeoutError: connect ETIMEDOUT' };
const replica = (over: Partial<StandbyObservation['instance']> = {}): StandbyObservation['instance'] => ({
  id: 'orders-replica', arn: 'arn', status: 'available', replicaSource: 'arn:aws:rds:us-east-1:123456789012:db:orders', endpoint: 'h', ...over,
});
const ledgerArn = 'arn:aws:rds:us-west-2:123456789012:cluster:ledger-dr';
const global = (writer: boolean, status = 'available') => ({ id: 'ledger-global', status, members: [{ clusterArn: 'p', isWriter: !writer }, { clusterArn: ledgerArn, isWriter: writer }] });
const cluster = { id: 'ledger-dr', arn: ledgerArn, status: 'available', endpoint: 'c' };

describe('input', () => {
  it('defaults dryRun and force to false and trims nothing else', () => {
    expect(parseFailoverRequest({ db: 'orders', reason: 'x' })).toEqual({ db: 'orders', reason: 'x', dryRun: false, force: false });
  });
  it.each([
    [null, /input must be a JSON object/],
    [[1], /input must be a JSON object/],
    [{ reason: 'x' }, /input\.db: required/],
    [{ db: '', reason: 'x' }, /input\.db: must not be empty/],
    [{ db: 'orders' }, /input\.reason: required/],
    [{ db: 'orders', reason: 'x', extra: 1 }, /unknown field\(s\) extra; allowed: db, reason, dryRun, force/],
    [{ db: 'orders', reason: 'x', force: 'true' }, /input\.force: must be true or false/],
  ])('%j is rejected naming the field', (input, message) => {
    expect(() => parseFailoverRequest(input)).toThrow(message);
  });
  it('a database without a standby is rejected naming input.db and the config key', () => {
    expect(() => resolveFailoverPlan(parseFailoverRequest({ db: 'billing', reason: 'x' }), settings, EXECUTION, '')).toThrow(
      /input\.db: "billing" has no standby configured \(incident\.databases\.billing\.standby\); databases with a standby: orders, ledger/,
    );
  });
  it('protection: listed identifiers need no AWS call; otherwise tag policies need the fleet; no tag policy means unprotected', () => {
    expect(protectionByConfig('orders', 'instance', settings)).toMatchObject({ protected: true });
    expect(protectionByConfig('ledger', 'cluster', settings)).toEqual({ protected: 'needs-fleet' });
    const noTags = { ...settings, policies: { gold: settings.policies.gold } };
    expect(protectionByConfig('ledger', 'cluster', noTags)).toMatchObject({ protected: false });
  });
});

describe('pre-checks', () => {
  it('all pass for an available replica within the lag limit; the primary being down is recorded only', () => {
    const checks = evaluateChecks(planFor('orders'), { instance: replica(), lagSeconds: 10, primary: down });
    expect(checks.map((c) => c.result)).toEqual(['pass', 'pass', 'pass']);
    expect(checks[2].detail).toMatch(/unreachable.*expected in a regional outage/);
  });
  it.each([
    ['missing standby', { primary: up, lagSeconds: 1 }, /standby-available failed: standby replica orders-replica not found/],
    ['standby not available', { instance: replica({ status: 'storage-full' }), lagSeconds: 1, primary: up }, /is storage-full, not available/],
    ['replica of another database', { instance: replica({ replicaSource: 'billing' }), lagSeconds: 1, primary: up }, /is a replica of billing, not of orders/],
    ['lag above the limit', { instance: replica(), lagSeconds: 31, primary: up }, /replica-lag failed: lag 31 s exceeds the limit of 30 s.*rerun with force: true to accept data loss/],
    ['lag unknown', { instance: replica(), primary: up }, /replica-lag failed: lag unknown.*rerun with force: true/],
  ])('%s fails the workflow naming the check', (_n, obs, message) => {
    const plan = planFor('orders');
    expect(() => assertCanProceed(plan, evaluateChecks(plan, obs as StandbyObservation), decideAction(plan, obs as StandbyObservation))).toThrow(message);
  });
  it('force skips the lag check but not the standby check', () => {
    const plan = planFor('orders', { force: true });
    expect(evaluateChecks(plan, { instance: replica(), lagSeconds: 5000, primary: up })[1]).toMatchObject({ result: 'pass', detail: expect.stringMatching(/not enforced \(force: true\): lag 5000 s/) });
    expect(evaluateChecks(plan, { primary: up })[0].result).toBe('fail');
  });
});

describe('decision', () => {
  it.each([
    ['instance replica', 'orders', {}, { instance: replica(), primary: down }, 'promote-read-replica'],
    ['instance already promoted', 'orders', {}, { instance: replica({ replicaSource: undefined }), primary: down }, 'already-promoted'],
    ['global, healthy primary', 'ledger', {}, { cluster, global: global(false), primary: up }, 'switchover'],
    ['global, healthy primary, force', 'ledger', { force: true }, { cluster, global: global(false), primary: up }, 'switchover'],
    ['global, primary down, force', 'ledger', { force: true }, { cluster, global: global(false), primary: down }, 'failover'],
    ['global, primary reachable but failed, force', 'ledger', { force: true }, { cluster, global: global(false), primary: { reachable: true, status: 'failed' } }, 'failover'],
    ['global, primary down, no force', 'ledger', {}, { cluster, global: global(false), primary: down }, 'refuse'],
    ['global, already writer', 'ledger', {}, { cluster, global: global(true), primary: down }, 'already-promoted'],
    ['global, failing over', 'ledger', {}, { cluster, global: global(false, 'failing-over'), primary: down }, 'already-promoted'],
  ])('%s -> %s', (_n, db, opts, obs, action) => {
    expect(decideAction(planFor(db, opts), obs as StandbyObservation).action).toBe(action);
  });
  it('a refusal fails with rds-dr.FailoverRefused even when every check passes', () => {
    const plan = planFor('ledger');
    const obs: StandbyObservation = { cluster, global: global(false), primary: down, lagSeconds: 0 };
    expect(() => assertCanProceed(plan, evaluateChecks(plan, obs), decideAction(plan, obs))).toThrow(expect.objectContaining({ name: 'rds-dr.FailoverRefused' }));
  });
});
