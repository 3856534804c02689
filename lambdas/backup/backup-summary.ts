// Turns a run's per-database outcomes into one verdict: the full report (kept in S3) and a summary
// small enough for a state and a message a person can act on at any fleet size.
import { readableCause } from '../core/alert.js';
import type { DatabaseOutcome } from './batch-state.js';

export type DatabaseResult = Omit<DatabaseOutcome, 'kind' | 'snapshotId'> & { kind: string; snapshotId?: string };

export interface MissingDatabase {
  id: string;
  kind: string;
  reason: string;
}

export interface BackupReport {
  policy: string;
  slot: string;
  executionArn: string;
  succeeded: (DatabaseResult & { seconds?: number })[];
  failed: { db: string; kind: string; error: string; cause: string }[];
  /** Databases another run was still working on: left to it (no duplicate work), a warning. */
  skipped: { db: string; kind: string; cause: string }[];
  failedCount: number;
  /** "<db>: <what its DR copy lacks>", and overlaps: reported, never a failure. */
  warnings: string[];
  message: string;
}

/** Lines of failures (and of warnings) a message names; the rest are counted and left to the full report. */
export const LINES_IN_MESSAGE = 50;
// The Fail state's Cause holds at most 32,768 characters; an alert quotes it. Each line is cut to
// LINE_CHARS, so the counts after the named lines always fit.
const MAX_MESSAGE = 30_000;
const LINE_CHARS = 500;
const line = (text: string) => (text.length > LINE_CHARS ? `${text.slice(0, LINE_CHARS - 1)}…` : text);

export function summarizeBackup(input: {
  policy: string;
  slot: string;
  executionArn: string;
  missing: MissingDatabase[];
  results: DatabaseResult[];
  /** Where the full report is (s3://…), for the message when it cannot name everything. */
  fullReport?: string;
}): BackupReport {
  const succeeded = input.results
    .filter((r) => r.status === 'SUCCEEDED')
    .map((r) => ({
      ...r,
      seconds:
        r.snapshotCreatedAt && r.copyAvailableAt
          ? Math.max(0, Math.round((Date.parse(r.copyAvailableAt) - Date.parse(r.snapshotCreatedAt)) / 1000))
          : undefined,
    }));
  const failed = [
    ...input.missing.map((m) => ({ db: m.id, kind: m.kind, error: 'rds-dr.DatabaseNotProtectable', cause: m.reason })),
    ...input.results
      .filter((r) => r.status === 'FAILED')
      .map((r) => ({ db: r.db, kind: r.kind, error: r.error ?? 'unknown', cause: readableCause(r.cause) })),
  ];
  const skipped = input.results.filter((r) => r.status === 'SKIPPED').map((r) => ({ db: r.db, kind: r.kind, cause: r.cause ?? '' }));
  const total = succeeded.length + failed.length + skipped.length;
  const skippedNote = skipped.length ? `, ${skipped.length} left to an earlier run still working on them` : '';
  const header = failed.length
    ? `Backup policy "${input.policy}" slot ${input.slot}: ${failed.length} of ${total} database(s) FAILED, ${succeeded.length} succeeded${skippedNote}.`
    : `Backup policy "${input.policy}" slot ${input.slot}: all ${total - skipped.length} database(s) snapshotted and copied${skippedNote}.`;
  const warnings = [
    ...succeeded.flatMap((r) => (r.copyWarnings ?? []).map((w) => `${r.db}: ${w}`)),
    ...skipped.map((s) => `${s.db}: overlap: ${s.cause}`),
  ];
  const more = (n: number, what: string) => (n > LINES_IN_MESSAGE ? [`- … and ${n - LINES_IN_MESSAGE} more ${what}${input.fullReport ? `: full list in ${input.fullReport}` : ''}`] : []);
  const message = [
    header,
    ...failed.slice(0, LINES_IN_MESSAGE).map((f) => line(`- ${f.db} (${f.kind}): ${f.error}: ${f.cause}`)),
    ...more(failed.length, 'failed database(s)'),
    ...warnings.slice(0, LINES_IN_MESSAGE).map((w) => line(`- warning: ${w}`)),
    ...more(warnings.length, 'warning(s)'),
  ]
    .join('\n')
    .slice(0, MAX_MESSAGE);
  return { policy: input.policy, slot: input.slot, executionArn: input.executionArn, succeeded, failed, skipped, failedCount: failed.length, warnings, message };
}
