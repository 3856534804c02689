import { describe, expect, it } from 'vitest';
import { anyBreach, formatAge, LIST_ALL_UP_TO, renderStatus, renderTable, statusRows, summaryLines, unreadRegionLines } from '../../bin/cli/status-table.js';
import { summarizeRecovery } from '../../lambdas/monitor/recovery-judgement.js';
import { recoveryMetrics, type DatabaseRecoveryFacts } from '../../lambdas/monitor/recovery-ages.js';
import { judgeRecovery } from '../../lambdas/monitor/recovery-judgement.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const REGIONS = { primary: 'us-east-1', dr: 'us-west-2' };
const OBJECTIVES = { rpoPrimaryMinutes: 60, rpoDrMinutes: 1500, rtoMinutes: 240, verificationMaxAgeDays: 8 };

describe('status table', () => {
  const facts = [
    { db: 'orders', drilled: true, newestSnapshotAt: '2026-11-22T11:30:00Z', newestCopyAt: '2026-11-22T02:00:00Z', lastVerification: { at: '2026-11-20T03:00:00Z', passed: true, restoreSeconds: 900 } },
    { db: 'billing', drilled: true, newestSnapshotAt: '2026-11-22T09:00:00Z', newestCopyAt: '2026-11-19T02:00:00Z', lastVerification: { at: '2026-11-01T03:00:00Z', passed: false, restoreSeconds: 20_000 } },
  ];
  const rows = statusRows(facts, recoveryMetrics(facts, REGIONS, NOW), REGIONS, OBJECTIVES);

  it('shows each age against its objective and marks breaches', () => {
    expect(rows[0].cells['RPO us-east-1']).toEqual({ text: '30m / 60m', breached: false });
    expect(rows[0].cells['last drill']).toEqual({ text: 'PASS 2d ago', breached: false });
    expect(rows[1].cells['RPO us-east-1']).toEqual({ text: '3h / 60m', breached: true });
    expect(rows[1].cells['RPO us-west-2']).toEqual({ text: '3d / 25h', breached: true });
    expect(rows[1].cells['last drill'].breached).toBe(true);
    expect(rows[1].cells['measured RTO']).toEqual({ text: '6h / 4h', breached: true });
    expect(anyBreach(rows.slice(0, 1))).toBe(false);
    expect(anyBreach(rows)).toBe(true);
  });

  it('colours breaches on a terminal and marks them with ! otherwise', () => {
    expect(renderTable(rows, true)).toContain('\x1b[31m3h / 60m');
    expect(renderTable(rows, false)).toContain('3h / 60m!');
    expect(renderTable(rows, false)).not.toContain('\x1b[');
  });

  it('names an unreadable region first, with its error, and counts nothing it would have told', () => {
    expect(unreadRegionLines([{ region: 'us-east-1', error: 'Error: connect ECONNREFUSED 10.0.0.1:443' }], REGIONS)).toEqual([
      'PRIMARY REGION us-east-1 IS UNREACHABLE (Error: connect ECONNREFUSED 10.0.0.1:443): its databases, snapshots and RPO are unknown; below is what us-west-2 holds.',
      '',
    ]);
    expect(unreadRegionLines([{ region: 'us-west-2', error: 'TimeoutError: …' }], REGIONS)[0]).toMatch(/^DR REGION us-west-2 IS UNREACHABLE \(TimeoutError: …\): its copies, drills and standbys are unknown\.$/);
    expect(unreadRegionLines([], REGIONS)).toEqual([]);
    // The primary's ages are left out by the caller; the counts that rest on it say "unknown", not 0.
    const drOnly = recoveryMetrics(facts, REGIONS, NOW).filter((m) => m.region !== REGIONS.primary);
    const summary = summarizeRecovery(judgeRecovery(facts, drOnly, REGIONS, OBJECTIVES));
    const lines = summaryLines(summary, REGIONS, OBJECTIVES, new Set([REGIONS.primary]));
    expect(lines[0]).toBe('2 protected databases known from the config and us-west-2: 1 within objectives, 1 breaching');
    expect(lines[1]).toBe('  RPO us-east-1 (60m): unknown (unreachable)   RPO us-west-2 (25h): 1 breached');
    expect(lines[2]).toBe('  never snapshotted: unknown   DR copy missing: unknown');
    expect(summaryLines(summary, REGIONS, OBJECTIVES, new Set([REGIONS.dr]))[3]).toBe('  last drills: unknown (their reports are in the unreachable DR region)');
  });

  it('formats ages for people', () => {
    expect([formatAge(45), formatAge(600), formatAge(7200), formatAge(3 * 86_400), formatAge(400 * 86_400)]).toEqual(['45s', '10m', '2h', '3d', 'never']);
  });

  describe('the report: summary first, then the breaches', () => {
    /** `count` databases; those in `stale` have a DR copy 3 days old (past the 25 h objective). */
    const fleet = (count: number, stale: Set<number>): DatabaseRecoveryFacts[] =>
      Array.from({ length: count }, (_, i) => ({
        db: `db-${String(i).padStart(3, '0')}`, drilled: false, createdAt: '2026-01-01T00:00:00Z',
        newestSnapshotAt: '2026-11-22T11:30:00Z', newestCopyAt: stale.has(i) ? '2026-11-19T12:00:00Z' : '2026-11-22T02:00:00Z',
      }));
    const report = (facts: DatabaseRecoveryFacts[], all = false) =>
      renderStatus(judgeRecovery(facts, recoveryMetrics(facts, REGIONS, NOW), REGIONS, OBJECTIVES), REGIONS, OBJECTIVES, { colour: false, all });

    it('a large fleet: the counts, then only the breaching databases, then how to list all', () => {
      const lines = report(fleet(1000, new Set([7, 500, 999]))).split('\n');
      expect(lines.slice(0, 3)).toEqual([
        '1000 protected databases: 997 within objectives, 3 breaching',
        '  RPO us-east-1 (60m): 0 breached   RPO us-west-2 (25h): 3 breached',
        '  never snapshotted: 0   DR copy missing: 0',
      ]);
      expect(lines[4]).toBe('3 databases breaching an objective, worst first:');
      expect(lines.slice(7, 10).map((l) => l.split(' ')[0])).toEqual(['db-007', 'db-500', 'db-999']);
      expect(lines.slice(10)).toEqual(['', '997 databases within objectives not listed; `rds-dr status --all` lists every database.']);
    });

    it('--all lists every database; a small fleet is always listed whole; nothing breaching says so in the counts', () => {
      expect(report(fleet(1000, new Set([1])), true).split('\n').filter((l) => l.startsWith('db-'))).toHaveLength(1000);
      const small = report(fleet(LIST_ALL_UP_TO, new Set()));
      expect(small.split('\n')[0]).toBe(`${LIST_ALL_UP_TO} protected databases: ${LIST_ALL_UP_TO} within objectives, 0 breaching`);
      expect(small.split('\n').filter((l) => l.startsWith('db-'))).toHaveLength(LIST_ALL_UP_TO);
      expect(small).not.toContain('not listed');
      const healthyLarge = report(fleet(LIST_ALL_UP_TO + 1, new Set()));
      expect(healthyLarge).not.toContain('db-');
      expect(healthyLarge.split('\n').at(-1)).toBe(`${LIST_ALL_UP_TO + 1} databases within objectives not listed; \`rds-dr status --all\` lists every database.`);
      expect(report([])).toBe('no protected databases found');
    });
  });
});
