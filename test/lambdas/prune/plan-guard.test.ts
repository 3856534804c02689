import { describe, expect, it } from 'vitest';
import { checkDeletionGuard } from '../../../lambdas/prune/plan-guard.js';
import type { RetentionDecision, RetentionSnapshot } from '../../../lambdas/core/retention/plan-retention.js';

// Decisions are built by hand, not by the planner: the guard must catch a planner that goes wrong.
let seq = 0;
const decision = (action: 'keep' | 'delete', over: Partial<RetentionSnapshot> = {}): RetentionDecision => ({
  snapshot: {
    id: `rdsdr-snap-${seq++}`, arn: `arn:${seq}`, region: 'us-west-2', kind: 'instance', dbId: 'orders', createdAt: '2026-11-01T00:00:00Z',
    status: 'available', managed: true, legalHold: false, inUseByVerification: false, ...over,
  },
  action,
  reasons: [action === 'keep' ? 'daily 2026-11-01' : 'not in any retention bucket'],
});
const plan = (keep: number, del: number, over: Partial<RetentionSnapshot> = {}) => [
  ...Array.from({ length: keep }, () => decision('keep', over)),
  ...Array.from({ length: del }, () => decision('delete', over)),
];
const LIMITS = { maxShareOfDatabase: 0.5, maxTotal: 500 };

describe('checkDeletionGuard', () => {
  it('passes a plan within the limits, and an empty plan', () => {
    expect(checkDeletionGuard(plan(10, 5), LIMITS)).toEqual([]); // exactly 50% is allowed
    expect(checkDeletionGuard([], LIMITS)).toEqual([]);
    expect(checkDeletionGuard(plan(3, 0), LIMITS)).toEqual([]);
  });

  it('names a database whose share of deletions in a region is too high', () => {
    expect(checkDeletionGuard(plan(4, 16), LIMITS)).toEqual(['orders in us-west-2: plan deletes 16 of 20 snapshots (80% > 50%)']);
    expect(checkDeletionGuard(plan(499, 501), { ...LIMITS, maxTotal: 1000 })).toEqual(['orders in us-west-2: plan deletes 501 of 1000 snapshots (50.1% > 50%)']);
  });

  it('counts each (region, database) on its own', () => {
    const decisions = [...plan(9, 1), ...plan(1, 3, { region: 'us-east-1' }), ...plan(1, 3, { dbId: 'billing' })];
    expect(checkDeletionGuard(decisions, LIMITS)).toEqual([
      'orders in us-east-1: plan deletes 3 of 4 snapshots (75% > 50%)',
      'billing in us-west-2: plan deletes 3 of 4 snapshots (75% > 50%)',
    ]);
  });

  it('stops a plan that deletes too many in total', () => {
    const decisions = Array.from({ length: 300 }, (_, i) => plan(2, 3, { dbId: `db${i}` })).flat();
    expect(checkDeletionGuard(decisions, { maxShareOfDatabase: 1, maxTotal: 500 })).toEqual(['plan deletes 900 snapshots in total (> 500)']);
    expect(checkDeletionGuard(decisions, { maxShareOfDatabase: 1, maxTotal: 900 })).toEqual([]);
  });

  it('stops a plan that would delete the last available copy, whatever the limits', () => {
    const decisions = [...plan(0, 1), decision('keep', { status: 'failed' }), decision('keep', { managed: false })];
    expect(checkDeletionGuard(decisions, { maxShareOfDatabase: 1, maxTotal: 1000 })).toEqual([
      'orders in us-west-2: plan deletes every available snapshot (1) — the last good copy must stay',
    ]);
  });

  it('stops a plan that deletes a protected snapshot', () => {
    const bad = [
      decision('delete', { id: 'a', managed: false }),
      decision('delete', { id: 'b', legalHold: true }),
      decision('delete', { id: 'c', status: 'copying' }),
      decision('delete', { id: 'd', inUseByVerification: true }),
    ];
    const problems = checkDeletionGuard([...plan(20, 0), ...bad], { maxShareOfDatabase: 1, maxTotal: 1000 });
    expect(problems).toEqual([
      'a in us-west-2: plan deletes a snapshot that is not managed by rds-dr',
      'b in us-west-2: plan deletes a snapshot that is under legal hold',
      'c in us-west-2: plan deletes a snapshot that is "copying", not available',
      'd in us-west-2: plan deletes a snapshot that is in use by a restore drill',
    ]);
  });
});
