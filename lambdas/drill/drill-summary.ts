// One verdict over all drills of a run, and the message the alert quotes. Bounded whatever the number
// of databases: counts, the first failures in full, the rest in the run's outcomes object.
import type { BranchOutcome } from './drill-report.js';

/** Failures and passes the message (and the state's output) names; the rest are counted. */
export const MAX_NAMED = 20;
/** The message is the Fail state's cause and the alert's text: well under Step Functions' 32,768-character cause. */
export const MAX_MESSAGE_CHARS = 8_000;
const MAX_LINES_PER_FAILURE = 12;

export interface VerificationSummary {
  policy: string;
  counts: { planned: number; passed: number; failed: number; missing: number };
  /** The first MAX_NAMED passed databases. */
  passed: string[];
  failedCount: number;
  /** The first MAX_NAMED failures: database, first line, report. */
  failures: { db: string; reason: string; reportKey: string }[];
  /** Where every outcome is (the work bucket), when written. */
  outcomesLocation?: string;
  rotationWarning?: string;
  message: string;
}

export interface SummaryInput {
  policy: string;
  missing: { id: string; reason: string }[];
  results: BranchOutcome[];
  rotation?: { databases: number; picked: number; overdue: number; overdueNotPicked: number; warning?: string } | null;
  outcomesLocation?: string;
}

export function summarizeVerification(input: SummaryInput): VerificationSummary {
  const failed = [
    ...input.missing.map((m) => ({ db: m.id, lines: [m.reason], reportKey: '' })),
    ...input.results.filter((r) => !r.passed).map((r) => ({ db: r.db, lines: r.failures, reportKey: r.reportKey })),
  ];
  const passed = input.results.filter((r) => r.passed);
  const total = failed.length + passed.length;
  const header = failed.length
    ? `Restore drill "${input.policy}": ${failed.length} of ${total} database(s) FAILED verification.`
    : `Restore drill "${input.policy}": all ${total} database(s) restored and verified.`;
  const named = failed.slice(0, MAX_NAMED);
  const body = named.flatMap((f) => [
    `- ${f.db}:`,
    ...f.lines.slice(0, MAX_LINES_PER_FAILURE).map((l) => `    ${l}`),
    ...(f.lines.length > MAX_LINES_PER_FAILURE ? [`    … ${f.lines.length - MAX_LINES_PER_FAILURE} more in the report`] : []),
    ...(f.reportKey ? [`    report: ${f.reportKey}`] : []),
  ]);
  const timings = passed.slice(0, MAX_NAMED).flatMap((p) => [`- ${p.db}: passed, restore ${p.restoreSeconds ?? '?'} s`, ...(p.warnings ?? []).map((w) => `    warning: ${w}`)]);
  const more = [
    ...(failed.length > MAX_NAMED ? [`… and ${failed.length - MAX_NAMED} more failed database(s)`] : []),
    ...(passed.length > MAX_NAMED ? [`… and ${passed.length - MAX_NAMED} more passed database(s)`] : []),
  ];
  const r = input.rotation;
  const rotation = r
    ? [`Rotation: this run drilled ${r.picked} of ${r.databases} database(s); ${r.overdue} were overdue, ${r.overdueNotPicked} of them left for later runs.`, ...(r.warning ? [`WARNING: ${r.warning}`] : [])]
    : [];
  const where = input.outcomesLocation ? [`Every outcome: ${input.outcomesLocation}`] : [];
  // The counts, rotation and location always fit: the per-database lines give way first.
  const tail = [...more, ...rotation, ...where].join('\n');
  const head = [header, ...body, ...timings].join('\n');
  const room = MAX_MESSAGE_CHARS - tail.length - 2;
  const message = `${head.length > room ? `${head.slice(0, room - 2)} …` : head}${tail ? `\n${tail}` : ''}`;
  return {
    policy: input.policy,
    counts: { planned: input.results.length, passed: passed.length, failed: failed.length, missing: input.missing.length },
    passed: passed.slice(0, MAX_NAMED).map((p) => p.db),
    failedCount: failed.length,
    failures: named.map((f) => ({ db: f.db, reason: (f.lines[0] ?? '').slice(0, 300), reportKey: f.reportKey })),
    ...(input.outcomesLocation && { outcomesLocation: input.outcomesLocation }),
    ...(r?.warning && { rotationWarning: r.warning }),
    message,
  };
}
