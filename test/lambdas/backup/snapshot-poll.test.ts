import { describe, expect, it } from 'vitest';
import { evaluatePoll, type PollRequest } from '../../../lambdas/backup/snapshot-poll.js';
import type { SnapshotInfo } from '../../../lambdas/core/snapshots.js';
import { nextWaitSeconds } from '../../../lambdas/core/wait-budget.js';

const now = new Date('2026-11-22T02:10:00Z');
const snap = (over: Partial<SnapshotInfo> = {}): SnapshotInfo => ({
  id: 'rdsdr-orders-1', arn: 'arn:aws:rds:us-east-1:1:snapshot:rdsdr-orders-1', kind: 'instance', status: 'creating',
  sourceDbId: 'orders', encrypted: true, tags: [], ...over,
});
const req = (over: Partial<PollRequest> = {}): PollRequest => ({
  location: 'source', snapshotId: 'rdsdr-orders-1', dbId: 'orders', expectedSourceArn: 'arn:aws:rds:us-east-1:1:db:orders',
  timeoutSeconds: 3600, poll: {}, ...over,
});

describe('evaluatePoll', () => {
  it('reports available', () => {
    const r = evaluatePoll(snap({ status: 'available' }), req(), now);
    expect(r).toMatchObject({ available: true, waitSeconds: 0, arn: 'arn:aws:rds:us-east-1:1:snapshot:rdsdr-orders-1' });
  });

  it('backs off while pending and carries its state forward', () => {
    const first = evaluatePoll(snap(), req(), now);
    expect(first).toMatchObject({ available: false, attempt: 1, waitSeconds: 30, waitedSeconds: 30, startedAt: now.toISOString() });
    const second = evaluatePoll(snap({ status: 'copying' }), req({ poll: first }), now);
    expect(second).toMatchObject({ attempt: 2, waitSeconds: 60, waitedSeconds: 90 });
  });

  it('caps the interval so a long wait stays within the execution history budget', () => {
    expect(nextWaitSeconds(20, 3600)).toBe(300);
    expect(nextWaitSeconds(20, 48 * 3600)).toBe(4320);
    expect(Array.from({ length: 5 }, (_, i) => nextWaitSeconds(i, 3600))).toEqual([30, 60, 120, 240, 300]);
  });

  it('times out on the clock or on the waits it scheduled, whichever is more', () => {
    expect(() => evaluatePoll(snap(), req({ poll: { startedAt: '2026-11-22T01:00:00Z', attempt: 3 } }), now)).toThrow(/still "creating" after 4200 s \(limit 3600 s\)/);
    expect(() => evaluatePoll(snap(), req({ poll: { startedAt: now.toISOString(), attempt: 9, waitedSeconds: 3600 } }), now)).toThrow(
      expect.objectContaining({ name: 'rds-dr.SnapshotTimeout' }),
    );
    // The last wait never overshoots the budget.
    expect(evaluatePoll(snap(), req({ poll: { startedAt: now.toISOString(), attempt: 9, waitedSeconds: 3500 } }), now).waitSeconds).toBe(100);
  });

  it('fails on a terminal status other than available', () => {
    expect(() => evaluatePoll(snap({ status: 'failed' }), req(), now)).toThrow(expect.objectContaining({ name: 'rds-dr.SnapshotFailed' }));
    expect(() => evaluatePoll(snap({ status: 'incompatible-restore' }), req(), now)).toThrow(/"incompatible-restore", not available/);
  });

  it('fails when the snapshot vanished', () => {
    expect(() => evaluatePoll(undefined, req(), now)).toThrow(expect.objectContaining({ name: 'rds-dr.SnapshotNotFound' }));
  });

  it('refuses a same-named snapshot of another database or a DR snapshot that is not our copy', () => {
    expect(() => evaluatePoll(snap({ sourceDbId: 'other' }), req(), now)).toThrow(expect.objectContaining({ name: 'rds-dr.SnapshotConflict' }));
    const dr = req({ location: 'dr', expectedSourceArn: 'arn:src' });
    expect(() => evaluatePoll(snap({ status: 'available' }), dr, now)).toThrow(/not an rds-dr copy/);
    expect(() => evaluatePoll(snap({ status: 'available', tags: [{ Key: 'rds-dr:copy-of', Value: 'arn:other' }] }), dr, now)).toThrow(/a copy of arn:other/);
    expect(evaluatePoll(snap({ status: 'available', tags: [{ Key: 'rds-dr:copy-of', Value: 'arn:src' }] }), dr, now).available).toBe(true);
  });
});
