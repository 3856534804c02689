import { describe, expect, it } from 'vitest';
import { recoveryMetrics, type DatabaseRecoveryFacts } from '../../../lambdas/monitor/recovery-ages.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const REGIONS = { primary: 'us-east-1', dr: 'us-west-2' };
const metric = (facts: DatabaseRecoveryFacts, name: string, region: string) =>
  recoveryMetrics([facts], REGIONS, NOW).find((m) => m.name === name && m.region === region)?.value;

describe('recoveryMetrics', () => {
  it('takes the newer of point-in-time restore and the newest snapshot in the primary region', () => {
    const f = { db: 'orders', drilled: false, latestRestorableTime: '2026-11-22T11:55:00Z', newestSnapshotAt: '2026-11-22T02:00:00Z', newestCopyAt: '2026-11-22T02:00:00Z' };
    expect(metric(f, 'RecoveryPointAgeSeconds', 'us-east-1')).toBe(300);
    expect(metric(f, 'LastSnapshotAgeSeconds', 'us-east-1')).toBe(36_000);
    expect(metric(f, 'RecoveryPointAgeSeconds', 'us-west-2')).toBe(36_000);
    expect(metric(f, 'LastCopyAgeSeconds', 'us-west-2')).toBe(36_000);
  });

  it('uses replicated automated backups in the DR region when they are newer than the copies', () => {
    const f = { db: 'orders', drilled: false, newestCopyAt: '2026-11-21T02:00:00Z', replicatedRestorableTime: '2026-11-22T11:50:00Z' };
    expect(metric(f, 'RecoveryPointAgeSeconds', 'us-west-2')).toBe(600);
  });

  it('with automated backups off, an Aurora cluster or any database rests on its snapshots', () => {
    const f = { db: 'ledger', drilled: false, newestSnapshotAt: '2026-11-21T12:00:00Z' };
    expect(metric(f, 'RecoveryPointAgeSeconds', 'us-east-1')).toBe(86_400);
  });

  it('a database with no backup yet ages from its creation, so it breaches instead of going missing', () => {
    expect(metric({ db: 'new', drilled: true, createdAt: '2026-11-20T12:00:00Z' }, 'RecoveryPointAgeSeconds', 'us-west-2')).toBe(172_800);
    expect(metric({ db: 'mystery', drilled: false }, 'RecoveryPointAgeSeconds', 'us-east-1')).toBeGreaterThan(365 * 86_400);
  });

  it('republishes the last drill\'s measured restore time, for the RTO alarm in the primary region', () => {
    const f = { db: 'orders', drilled: true, lastVerification: { at: '2026-11-20T12:00:00Z', passed: true, restoreSeconds: 1234 } };
    expect(metric(f, 'RestoreSeconds', 'us-west-2')).toBe(1234);
    expect(metric({ ...f, lastVerification: { at: f.lastVerification.at, passed: false } }, 'RestoreSeconds', 'us-west-2')).toBeUndefined();
  });

  it('never reports a negative age for a clock a little ahead', () => {
    expect(metric({ db: 'x', drilled: false, latestRestorableTime: '2026-11-22T12:00:30Z' }, 'RecoveryPointAgeSeconds', 'us-east-1')).toBe(0);
  });

  it('leaves out a recovery point in the future (skewed clock, forged tag) and counts it, instead of reading "0 s old" for ever', () => {
    // A snapshot "taken" a day from now next to PITR 10 min old: the age is the PITR's, not 0.
    const f = { db: 'orders', drilled: false, latestRestorableTime: '2026-11-22T11:50:00Z', newestSnapshotAt: '2026-11-23T12:00:00Z', newestCopyAt: '2026-11-23T12:00:00Z', createdAt: '2026-11-01T00:00:00Z' };
    expect(metric(f, 'RecoveryPointAgeSeconds', 'us-east-1')).toBe(600);
    expect(metric(f, 'LastSnapshotAgeSeconds', 'us-east-1')).toBe(Math.round((NOW.getTime() - Date.parse(f.createdAt)) / 1000));
    expect(metric(f, 'LastCopyAgeSeconds', 'us-west-2')).toBe(Math.round((NOW.getTime() - Date.parse(f.createdAt)) / 1000));
    expect(metric(f, 'FutureRecoveryPoints', 'us-east-1')).toBe(1);
    expect(metric(f, 'FutureRecoveryPoints', 'us-west-2')).toBe(1);
    // A few minutes ahead is clock noise: counted as 0 s old, not flagged.
    const near = { db: 'orders', drilled: false, newestSnapshotAt: '2026-11-22T12:04:00Z' };
    expect(metric(near, 'RecoveryPointAgeSeconds', 'us-east-1')).toBe(0);
    expect(metric(near, 'FutureRecoveryPoints', 'us-east-1')).toBe(0);
  });

  it('reports drills only for drilled databases: never drilled counts as not passed', () => {
    const metrics = recoveryMetrics([{ db: 'a', drilled: false }, { db: 'b', drilled: true }, { db: 'c', drilled: true, lastVerification: { at: '2026-11-20T12:00:00Z', passed: true } }], REGIONS, NOW);
    const drill = metrics.filter((m) => m.name.startsWith('LastVerification')).map((m) => `${m.db} ${m.name} ${m.value}`);
    expect(drill).toEqual([
      `b LastVerificationAgeSeconds ${10 * 365 * 86_400}`,
      'b LastVerificationPassed 0',
      'c LastVerificationAgeSeconds 172800',
      'c LastVerificationPassed 1',
    ]);
  });
});
