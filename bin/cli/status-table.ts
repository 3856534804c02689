// `rds-dr status`: per database, recovery-point ages against the objectives, last drill and
// measured RTO. Pure: turns metrics + objectives into rows and breaches.
import type { DatabaseRecoveryFacts, MetricPoint } from '../../lambdas/monitor/recovery-ages.js';

import type { Objectives } from '../../lib/platform/config/objectives.js';

export interface StatusCell {
  text: string;
  breached: boolean;
}

export interface StatusRow {
  database: string;
  cells: Record<string, StatusCell>;
}

export function formatAge(seconds: number): string {
  if (seconds >= 365 * 86_400) return 'never';
  if (seconds >= 2 * 86_400) return `${Math.round(seconds / 86_400)}d`;
  if (seconds >= 2 * 3600) return `${Math.round(seconds / 3600)}h`;
  if (seconds >= 120) return `${Math.round(seconds / 60)}m`;
  return `${seconds}s`;
}

export function statusRows(facts: DatabaseRecoveryFacts[], metrics: MetricPoint[], regions: { primary: string; dr: string }, objectives: Objectives): StatusRow[] {
  return facts.map((f) => {
    const value = (name: string, region: string) => metrics.find((m) => m.db === f.db && m.name === name && m.region === region)?.value;
    const age = (name: string, region: string, maxSeconds?: number): StatusCell => {
      const v = value(name, region);
      if (v === undefined) return { text: '-', breached: false };
      const breached = maxSeconds !== undefined && v > maxSeconds;
      return { text: maxSeconds !== undefined ? `${formatAge(v)} / ${formatAge(maxSeconds)}` : formatAge(v), breached };
    };
    const cells: Record<string, StatusCell> = {
      [`RPO ${regions.primary}`]: age('RecoveryPointAgeSeconds', regions.primary, objectives.rpoPrimaryMinutes * 60),
      [`RPO ${regions.dr}`]: age('RecoveryPointAgeSeconds', regions.dr, objectives.rpoDrMinutes * 60),
      'last snapshot': age('LastSnapshotAgeSeconds', regions.primary),
      'last copy': age('LastCopyAgeSeconds', regions.dr),
    };
    if (f.drilled) {
      const drillAge = value('LastVerificationAgeSeconds', regions.dr) ?? Number.POSITIVE_INFINITY;
      const passed = f.lastVerification?.passed === true;
      const stale = drillAge > objectives.verificationMaxAgeDays * 86_400;
      cells['last drill'] = { text: f.lastVerification ? `${passed ? 'PASS' : 'FAIL'} ${formatAge(drillAge)} ago` : 'never', breached: !passed || stale };
      const rto = f.lastVerification?.restoreSeconds;
      cells['measured RTO'] =
        rto === undefined ? { text: '-', breached: false } : { text: `${formatAge(Math.round(rto))} / ${formatAge(objectives.rtoMinutes * 60)}`, breached: rto > objectives.rtoMinutes * 60 };
    } else {
      cells['last drill'] = { text: 'not drilled', breached: false };
      cells['measured RTO'] = { text: '-', breached: false };
    }
    return { database: f.db, cells };
  });
}

export function renderTable(rows: StatusRow[], colour: boolean): string {
  if (rows.length === 0) return 'no protected databases found';
  const columns = ['database', ...Object.keys(rows[0].cells)];
  const breached = (r: StatusRow, c: string) => c !== 'database' && r.cells[c].breached;
  // Without colour a breach is marked with "!", counted in the column width so columns stay aligned.
  const text = (r: StatusRow, c: string) => (c === 'database' ? r.database : r.cells[c].text + (!colour && breached(r, c) ? '!' : ''));
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r, c).length)));
  const lines = [columns.map((c, i) => c.padEnd(width[i])).join('  '), width.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) {
    lines.push(columns.map((c, i) => (colour && breached(r, c) ? `\x1b[31m${text(r, c).padEnd(width[i])}\x1b[0m` : text(r, c).padEnd(width[i]))).join('  '));
  }
  return lines.join('\n');
}

export const anyBreach = (rows: StatusRow[]): boolean => rows.some((r) => Object.values(r.cells).some((c) => c.breached));
