// Turns the Map's per-database results into one verdict and a message a person can act on.
import { readableCause } from '../core/alert.js';

export interface DatabaseResult {
  db: string;
  kind: string;
  status: 'SUCCEEDED' | 'FAILED';
  snapshotId?: string;
  snapshotArn?: string;
  snapshotCreatedAt?: string;
  copyArn?: string;
  copyRegion?: string;
  copyAvailableAt?: string;
  /** What the DR copy lacks (copy-snapshot's warnings, e.g. an unencrypted Aurora copy). */
  copyWarnings?: string[];
  error?: string;
  cause?: string;
}

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
  failedCount: number;
  /** "<db>: <what its DR copy lacks>": reported, never a failure. */
  warnings: string[];
  message: string;
}

// The Fail state's Cause holds at most 32,768 characters.
const MAX_MESSAGE = 30_000;


export function summarizeBackup(input: {
  policy: string;
  slot: string;
  executionArn: string;
  missing: MissingDatabase[];
  results: DatabaseResult[];
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
      .filter((r) => r.status !== 'SUCCEEDED')
      .map((r) => ({ db: r.db, kind: r.kind, error: r.error ?? 'unknown', cause: readableCause(r.cause) })),
  ];
  const total = succeeded.length + failed.length;
  const header = failed.length
    ? `Backup policy "${input.policy}" slot ${input.slot}: ${failed.length} of ${total} database(s) FAILED, ${succeeded.length} succeeded.`
    : `Backup policy "${input.policy}" slot ${input.slot}: all ${total} database(s) snapshotted and copied.`;
  const lines = failed.map((f) => `- ${f.db} (${f.kind}): ${f.error}: ${f.cause}`);
  const warnings = succeeded.flatMap((r) => (r.copyWarnings ?? []).map((w) => `${r.db}: ${w}`));
  const message = [header, ...lines, ...warnings.map((w) => `- warning: ${w}`)].join('\n').slice(0, MAX_MESSAGE);
  return { policy: input.policy, slot: input.slot, executionArn: input.executionArn, succeeded, failed, failedCount: failed.length, warnings, message };
}
