// `rds-dr status`: a summary of the fleet against the objectives, then one row per database that
// breaches one (worst first), or per database with --all or in a small fleet. Pure: turns the
// monitor's judgements into text.
import { formatAge } from '../../lambdas/core/format-age.js';
import type { DatabaseRecoveryFacts, MetricPoint } from '../../lambdas/monitor/recovery-ages.js';
import { judgeRecovery, summarizeRecovery, worstFirst, type RecoveryJudgement, type RecoveryObjectives, type RecoverySummary } from '../../lambdas/monitor/recovery-judgement.js';

export { formatAge };

export interface StatusCell {
  text: string;
  breached: boolean;
}

export interface StatusRow {
  database: string;
  cells: Record<string, StatusCell>;
}

type Regions = { primary: string; dr: string };

/** Up to this many databases, every one is listed (the table fits a screen); beyond, only the breaches. */
export const LIST_ALL_UP_TO = 20;

function rowOf(j: RecoveryJudgement, regions: Regions): StatusRow {
  const age = (seconds: number | undefined, objectiveSeconds?: number, breached = false): StatusCell => {
    if (seconds === undefined) return { text: '-', breached: false };
    return { text: objectiveSeconds !== undefined ? `${formatAge(seconds)} / ${formatAge(objectiveSeconds)}` : formatAge(seconds), breached };
  };
  const cells: Record<string, StatusCell> = {
    [`RPO ${regions.primary}`]: age(j.rpoPrimary.ageSeconds, j.rpoPrimary.objectiveSeconds, j.rpoPrimary.breached),
    [`RPO ${regions.dr}`]: age(j.rpoDr.ageSeconds, j.rpoDr.objectiveSeconds, j.rpoDr.breached),
    'last snapshot': age(j.lastSnapshotAgeSeconds),
    'last copy': age(j.lastCopyAgeSeconds),
  };
  const d = j.drill;
  if (d) {
    cells['last drill'] = { text: d.verdict === 'never' ? 'never' : `${d.verdict === 'passed' ? 'PASS' : 'FAIL'} ${formatAge(d.ageSeconds)} ago`, breached: d.breached };
    cells['measured RTO'] = d.restoreSeconds === undefined ? { text: '-', breached: false } : age(Math.round(d.restoreSeconds), d.rtoSeconds, d.rtoExceeded);
  } else {
    cells['last drill'] = { text: 'not drilled', breached: false };
    cells['measured RTO'] = { text: '-', breached: false };
  }
  return { database: j.db, cells };
}

/** One row per database, in the facts' order. */
export function statusRows(facts: DatabaseRecoveryFacts[], metrics: MetricPoint[], regions: Regions, objectives: RecoveryObjectives): StatusRow[] {
  return judgeRecovery(facts, metrics, regions, objectives).map((j) => rowOf(j, regions));
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
    lines.push(columns.map((c, i) => (colour && breached(r, c) ? `\x1b[31m${text(r, c).padEnd(width[i])}\x1b[0m` : text(r, c).padEnd(width[i]))).join('  ').trimEnd());
  }
  return lines.join('\n');
}

export const anyBreach = (rows: StatusRow[]): boolean => rows.some((r) => Object.values(r.cells).some((c) => c.breached));

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * First on screen when a region could not be read: which, with the error, and what that leaves
 * unknown. The primary region down is the regional outage the DR region exists for.
 */
export function unreadRegionLines(unread: { region: string; error: string; attempts?: number }[], regions: Regions): string[] {
  const lines = unread.map((u) => {
    const why = `${u.error}${u.attempts ? `; ${plural(u.attempts, 'attempt')}` : ''}`;
    return u.region === regions.primary
      ? `PRIMARY REGION ${u.region} IS UNREACHABLE (${why}): its databases, snapshots and RPO are unknown; below is what ${regions.dr} holds.`
      : `DR REGION ${u.region} IS UNREACHABLE (${why}): its copies, drills and standbys are unknown.`;
  });
  return lines.length ? [...lines, ''] : [];
}

/** The counts, first thing on screen: how many databases, how many breach what. `unknown`: regions that could not be read. */
export function summaryLines(s: RecoverySummary, regions: Regions, objectives: RecoveryObjectives, unknown: ReadonlySet<string> = new Set()): string[] {
  const breached = (region: string, n: number) => (unknown.has(region) ? 'unknown (unreachable)' : `${n} breached`);
  const primaryKnown = !unknown.has(regions.primary);
  const lines = [
    `${plural(s.databases, 'protected database')}${primaryKnown ? '' : ` known from the config and ${regions.dr}`}: ${s.withinObjectives} within objectives, ${s.breaching} breaching`,
    `  RPO ${regions.primary} (${formatAge(objectives.rpoPrimaryMinutes * 60)}): ${breached(regions.primary, s.rpoPrimaryBreached)}   ` +
      `RPO ${regions.dr} (${formatAge(objectives.rpoDrMinutes * 60)}): ${breached(regions.dr, s.rpoDrBreached)}`,
    `  never snapshotted: ${primaryKnown ? s.neverSnapshotted : 'unknown'}   DR copy missing: ${primaryKnown && !unknown.has(regions.dr) ? s.drCopyMissing : 'unknown'}`,
  ];
  if (s.drills && unknown.has(regions.dr)) lines.push('  last drills: unknown (their reports are in the unreachable DR region)');
  else if (s.drills) {
    const d = s.drills;
    lines.push(
      `  last drills of ${d.drilled} drilled: ${d.passed} passed, ${d.failed} failed, ${d.never} never drilled, ` +
        `${d.stale} older than ${formatAge(objectives.verificationMaxAgeDays * 86_400)}; RTO over ${formatAge(objectives.rtoMinutes * 60)}: ${d.rtoExceeded}`,
    );
  }
  return lines;
}

/**
 * The whole report: the summary, then the breaching databases worst first (every database, worst
 * first, with `all` or when the fleet is small), then how to see the rest.
 */
export function renderStatus(
  judgements: RecoveryJudgement[],
  regions: Regions,
  objectives: RecoveryObjectives,
  options: { colour: boolean; all?: boolean; unknownRegions?: ReadonlySet<string>; afterSummary?: string[] },
): string {
  if (judgements.length === 0) return ['no protected databases found', ...(options.afterSummary ?? [])].join('\n');
  const summary = summarizeRecovery(judgements);
  const listAll = options.all === true || judgements.length <= LIST_ALL_UP_TO;
  const sorted = worstFirst(judgements);
  const listed = listAll ? sorted : sorted.filter((j) => j.breached);
  // Other summaries (the drift fingerprints) join the summary, before the table: the table and its footer end the output at any fleet size.
  const out = [...summaryLines(summary, regions, objectives, options.unknownRegions), ...(options.afterSummary ?? [])];
  if (listed.length > 0) {
    const heading = listAll ? `every database, ${summary.breaching ? 'breaches first, worst first' : 'by name'}:` : `${plural(summary.breaching, 'database')} breaching an objective, worst first:`;
    out.push('', heading, renderTable(listed.map((j) => rowOf(j, regions)), options.colour));
  }
  const unlisted = judgements.length - listed.length;
  if (unlisted > 0) out.push('', `${plural(unlisted, 'database')} within objectives not listed; \`rds-dr status --all\` lists every database.`);
  return out.join('\n');
}
