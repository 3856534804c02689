// What one PITR readiness check reports, pure: the full report (kept in the run's work-bucket prefix),
// and the two things sized for any fleet: the state's output (Step Functions payloads are at most
// 256 KiB, "Quotas related to state machine executions") and the warning (SNS messages at most
// 256 KB, see alert.ts).
import { type Alert } from './alert.js';
import { PITR_SECTION, SHORTFALL_KINDS, type Shortfall, type ShortfallKind } from './pitr-readiness.js';

/** Shortfalls the execution output carries; the rest are in the report. */
export const MAX_OUTPUT_SHORTFALLS = 50;
/** Lines of per-database detail in the warning (about 50 lines in all with the header and counts). */
export const MAX_WARNING_DETAIL_LINES = 36;
/** A detail quotes RDS's error message: each line is cut to this length. */
const MAX_LINE_CHARS = 400;

/** The whole result of one check. */
export interface PitrReport {
  policy: string;
  checked: number;
  /** Worst first (worstFirst). */
  shortfalls: Shortfall[];
  /** Databases whose replication this run started (pitr.enforce). */
  started: string[];
  /** Databases that needed a start but wait for the next run (the per-run bound). */
  startsDeferred: string[];
}

/** The state's output: the same size for 10 or 10,000 databases. */
export interface PitrCheckOutput {
  checked: number;
  shortfallCount: number;
  /** The first MAX_OUTPUT_SHORTFALLS, worst first. */
  shortfalls: Shortfall[];
  started: string[];
  startsDeferred: number;
  /** The full report in the work bucket (when the run has a run-data prefix). */
  reportKey?: string;
  warningId?: string;
}

/** Where the full report goes in the run's prefix. */
export const pitrReportKey = (prefix: string): string => `${prefix}pitr.json`;

const clip = (text: string, max = MAX_LINE_CHARS) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const clipped = (s: Shortfall): Shortfall => ({ ...s, detail: clip(s.detail), ...(s.remedied !== undefined && { remedied: clip(s.remedied) }) });

export function pitrCheckOutput(report: PitrReport, reportKey?: string): PitrCheckOutput {
  return {
    checked: report.checked,
    shortfallCount: report.shortfalls.length,
    shortfalls: report.shortfalls.slice(0, MAX_OUTPUT_SHORTFALLS).map(clipped),
    started: report.started,
    startsDeferred: report.startsDeferred.length,
    ...(reportKey !== undefined && { reportKey }),
  };
}

const KIND_LABEL: Record<ShortfallKind, string> = {
  'backups-off': 'automated backups off',
  'not-found': 'not found in the primary region',
  unreadable: 'could not be read',
  'not-replicated': 'not replicated to the DR region',
  'retention-short': 'retention below the minimum',
  'replication-unsupported': 'replication asked of a cluster (unsupported)',
};

/** The warning: counts by kind, the worst databases in detail (bounded), and where the full list is. */
export function formatPitrWarning(
  report: PitrReport,
  ctx: { appName: string; policy: string; primaryRegion: string; drRegion: string; reportUri?: string; reportProblem?: string },
): Alert {
  const dbs = [...new Set(report.shortfalls.map((s) => s.db))];
  const link = (db: string) => `https://${ctx.primaryRegion}.console.aws.amazon.com/rds/home?region=${ctx.primaryRegion}#database:id=${db};tab=maintenance-and-backups`;
  const subject = `[${ctx.appName}] PITR readiness: ${dbs.length} database(s) short (${dbs.join(', ')})`.replace(/[^\x20-\x7e]/g, '').slice(0, 99);

  const counts = SHORTFALL_KINDS.map((kind) => [kind, new Set(report.shortfalls.filter((s) => s.kind === kind).map((s) => s.db)).size] as const).filter(([, n]) => n > 0);
  const detail: string[] = [];
  let shown = 0;
  for (const db of dbs) {
    const block = [`${db}:`, ...report.shortfalls.filter((s) => s.db === db).map((s) => clip(`  - ${s.detail}${s.remedied ? ` -> ${s.remedied}` : ''}`)), `  Console: ${link(db)}`];
    if (detail.length + block.length > MAX_WARNING_DETAIL_LINES) break;
    detail.push(...block);
    shown++;
  }
  const fullList = ctx.reportUri ? `Full list: ${ctx.reportUri}` : ctx.reportProblem ? `Full list: not written (${clip(ctx.reportProblem)})` : undefined;
  const message = [
    `${ctx.appName}: PITR readiness check of backup policy "${ctx.policy}" in ${ctx.primaryRegion} (DR region ${ctx.drRegion}): ` +
      `${dbs.length} of ${report.checked} database(s) fall short. Snapshots and copies are not affected.`,
    ...counts.map(([kind, n]) => `  ${n} ${KIND_LABEL[kind]} (${kind})`),
    ...(report.started.length > 0 ? [`Replication started for ${report.started.length} database(s) (pitr.enforce).`] : []),
    ...(report.startsDeferred.length > 0 ? [`Replication left for the next run (this run reached its limit of starts): ${report.startsDeferred.length} database(s).`] : []),
    ...(fullList ? [fullList] : []),
    '',
    ...detail,
    ...(shown < dbs.length ? [`… and ${dbs.length - shown} more database(s), in the full list.`] : []),
    '',
    'Fix: raise the backup retention (ModifyDBInstance / ModifyDBCluster BackupRetentionPeriod) or start the replication ' +
      '(set pitr.enforce to let the backup run do it).',
    `Runbook: ${PITR_SECTION} ("PITR readiness shortfall").`,
  ].join('\n');
  return { subject, message, severity: 'warning' };
}
