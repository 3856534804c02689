// One verdict over all drills of a run, and the message the alert quotes.
import type { BranchOutcome } from './drill-report.js';

export interface VerificationSummary {
  policy: string;
  passed: string[];
  failedCount: number;
  message: string;
}

const MAX_MESSAGE = 30_000;

export function summarizeVerification(input: { policy: string; missing: { id: string; reason: string }[]; results: BranchOutcome[] }): VerificationSummary {
  const failed = [
    ...input.missing.map((m) => ({ db: m.id, lines: [m.reason], reportKey: '' })),
    ...input.results.filter((r) => !r.passed).map((r) => ({ db: r.db, lines: r.failures, reportKey: r.reportKey })),
  ];
  const passed = input.results.filter((r) => r.passed);
  const total = failed.length + passed.length;
  const header = failed.length
    ? `Restore drill "${input.policy}": ${failed.length} of ${total} database(s) FAILED verification.`
    : `Restore drill "${input.policy}": all ${total} database(s) restored and verified.`;
  const body = failed.flatMap((f) => [`- ${f.db}:`, ...f.lines.map((l) => `    ${l}`), ...(f.reportKey ? [`    report: ${f.reportKey}`] : [])]);
  const timings = passed.map((p) => `- ${p.db}: passed, restore ${p.restoreSeconds ?? '?'} s`);
  return { policy: input.policy, passed: passed.map((p) => p.db), failedCount: failed.length, message: [header, ...body, ...timings].join('\n').slice(0, MAX_MESSAGE) };
}
