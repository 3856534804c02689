import { describe, expect, it } from 'vitest';
import { recoveryMetrics, type DatabaseRecoveryFacts } from '../../../lambdas/monitor/recovery-ages.js';
import { judgeRecovery, problemsOf, strictestObjectives, summarizeRecovery, worstFirst } from '../../../lambdas/monitor/recovery-judgement.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const REGIONS = { primary: 'us-east-1', dr: 'us-west-2' };
const OBJECTIVES = { rpoPrimaryMinutes: 60, rpoDrMinutes: 1500, rtoMinutes: 240, verificationMaxAgeDays: 8 };
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();
const judge = (facts: DatabaseRecoveryFacts[]) => judgeRecovery(facts, recoveryMetrics(facts, REGIONS, NOW), REGIONS, OBJECTIVES);

/** Fresh everywhere unless told otherwise. */
const db = (name: string, more: Partial<DatabaseRecoveryFacts> = {}): DatabaseRecoveryFacts => ({
  db: name, drilled: false, createdAt: hoursAgo(24 * 30), newestSnapshotAt: hoursAgo(0.5), newestCopyAt: hoursAgo(2), ...more,
});
const passed = { at: hoursAgo(24), passed: true, restoreSeconds: 900 };

describe('judging recovery against the objectives', () => {
  const judgements = judge([
    db('fine', { drilled: true, lastVerification: passed }),
    db('dr-3x', { newestCopyAt: hoursAgo(75) }),
    db('primary-2x', { newestSnapshotAt: hoursAgo(2) }),
    db('drill-failed', { drilled: true, lastVerification: { ...passed, passed: false } }),
    db('never-drilled', { drilled: true }),
    db('drill-stale', { drilled: true, lastVerification: { ...passed, at: hoursAgo(24 * 10) } }),
    db('slow-restore', { drilled: true, lastVerification: { ...passed, restoreSeconds: 5 * 3600 } }),
    db('new-never-snapshotted', { createdAt: hoursAgo(0.1), newestSnapshotAt: undefined, newestCopyAt: undefined }),
    db('no-copy-yet', { createdAt: hoursAgo(1), newestCopyAt: undefined }),
  ]);
  const byName = new Map(judgements.map((j) => [j.db, j]));

  it('marks each missed objective, and nothing for a database within all of them', () => {
    expect(byName.get('fine')!.breached).toBe(false);
    expect(byName.get('dr-3x')!.rpoDr).toEqual({ ageSeconds: 75 * 3600, objectiveSeconds: 1500 * 60, breached: true });
    expect(byName.get('primary-2x')!.rpoPrimary.breached).toBe(true);
    expect(byName.get('drill-stale')!.drill).toMatchObject({ verdict: 'passed', stale: true, breached: true });
    expect(byName.get('slow-restore')!.drill).toMatchObject({ rtoExceeded: true, breached: false });
    expect(byName.get('slow-restore')!.breached).toBe(true);
    // Young enough that neither age is past its objective yet, though nothing is backed up.
    expect(byName.get('new-never-snapshotted')).toMatchObject({ neverSnapshotted: true, drCopyMissing: false, breached: false });
    expect(byName.get('no-copy-yet')).toMatchObject({ neverSnapshotted: false, drCopyMissing: true, breached: false });
  });

  it('says what each database misses in words', () => {
    expect(problemsOf(byName.get('dr-3x')!, REGIONS)).toEqual(['RPO us-west-2 3d > 25h']);
    expect(problemsOf(byName.get('primary-2x')!, REGIONS)).toEqual(['RPO us-east-1 2h > 60m']);
    expect(problemsOf(byName.get('drill-failed')!, REGIONS)).toEqual(['last drill FAILED 24h ago']);
    expect(problemsOf(byName.get('never-drilled')!, REGIONS)).toEqual(['never drilled']);
    expect(problemsOf(byName.get('drill-stale')!, REGIONS)).toEqual(['last drill 10d ago > 8d']);
    expect(problemsOf(byName.get('slow-restore')!, REGIONS)).toEqual(['RTO 5h > 4h']);
    expect(problemsOf(byName.get('fine')!, REGIONS)).toEqual([]);
  });

  it('sorts worst first: missed RPOs by how many times the objective, then failed or missing drills, then stale drills and slow restores, then the rest by name', () => {
    expect(worstFirst(judgements).map((j) => j.db)).toEqual([
      'dr-3x', // 75 h of 25 h: 3x
      'primary-2x', // 2 h of 60 min: 2x
      'drill-failed',
      'never-drilled',
      'drill-stale',
      'slow-restore',
      'fine',
      'new-never-snapshotted',
      'no-copy-yet',
    ]);
  });

  it('counts the fleet for the summary', () => {
    expect(summarizeRecovery(judgements)).toEqual({
      databases: 9,
      withinObjectives: 3,
      breaching: 6,
      rpoPrimaryBreached: 1,
      rpoDrBreached: 1,
      neverSnapshotted: 1,
      drCopyMissing: 1,
      drills: { drilled: 5, passed: 3, failed: 1, never: 1, stale: 1, rtoExceeded: 1 },
    });
    expect(summarizeRecovery(judge([db('a')])).drills).toBeUndefined();
  });

  it('holds every database to the strictest objective across policies', () => {
    expect(strictestObjectives([OBJECTIVES, { rpoPrimaryMinutes: 15, rpoDrMinutes: 2000, rtoMinutes: 60, verificationMaxAgeDays: 30 }])).toEqual({
      rpoPrimaryMinutes: 15, rpoDrMinutes: 1500, rtoMinutes: 60, verificationMaxAgeDays: 8,
    });
  });
});
