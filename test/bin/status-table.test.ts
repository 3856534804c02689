import { describe, expect, it } from 'vitest';
import { anyBreach, formatAge, renderTable, statusRows } from '../../bin/cli/status-table.js';
import { recoveryMetrics } from '../../lambdas/monitor/recovery-ages.js';

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

  it('formats ages for people', () => {
    expect([formatAge(45), formatAge(600), formatAge(7200), formatAge(3 * 86_400), formatAge(400 * 86_400)]).toEqual(['45s', '10m', '2h', '3d', 'never']);
  });
});
