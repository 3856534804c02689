// Drift against the last good drill: a fingerprint of a restored database (size, exact row counts, schema)
// and the checks that compare it with the fingerprint of the last drill that passed. Pure: the verifier
// collects (lambdas/drill/fingerprint.ts), the drill report compares and stores (lambdas/aws/fingerprint-store.ts).
import type { CheckResult } from './check-result.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DatabaseChecksSettings } from './settings.js';

export type DriftTolerances = DatabaseChecksSettings['drift'];

/** One table's shape: sorted "name definition" lines. `detail: false` when the lists were dropped to keep the fingerprint small. */
export interface TableSchema {
  columns: string[];
  indexes: string[];
  constraints: string[];
  /** sha256 of the three lists: compares a table whose lists were dropped. */
  hash: string;
  detail?: false;
}

export interface Fingerprint {
  capturedAt: string;
  /** Bytes the database takes (pg_database_size; MySQL/MariaDB data + index length of its tables). */
  sizeBytes: number;
  /** Exact count(*) per table, by qualified name (schema.table; database.table on MySQL/MariaDB). */
  rows: Record<string, number>;
  schema: {
    tables: Record<string, TableSchema>;
    /** sha256 over every table's hash: equal hashes, no schema change. */
    hash: string;
  };
  /** Tables beyond the collection's bound: neither counted nor described (lambdas/drill/fingerprint.ts MAX_FINGERPRINT_TABLES). */
  omittedTables?: number;
}

const tableSchemaSchema = z.object({
  columns: z.array(z.string()),
  indexes: z.array(z.string()),
  constraints: z.array(z.string()),
  hash: z.string(),
  detail: z.literal(false).optional(),
});
const fingerprintSchema = z.object({
  capturedAt: z.string(),
  sizeBytes: z.number().nonnegative(),
  rows: z.record(z.string(), z.number().int().nonnegative()),
  schema: z.object({ tables: z.record(z.string(), tableSchemaSchema), hash: z.string() }),
  omittedTables: z.number().int().positive().optional(),
});

/** A stored fingerprint, or the reason it is not one (the drill then sets a new baseline). */
export function parseFingerprint(value: unknown): { fingerprint: Fingerprint } | { invalid: string } {
  const parsed = fingerprintSchema.safeParse(value);
  if (parsed.success) return { fingerprint: parsed.data };
  const issue = parsed.error.issues[0];
  return { invalid: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
}

/** A drift check is a drill check like the others (lambdas/core/check-result.ts). */
export type DriftCheck = CheckResult;

/** Where a database's fingerprints live in the reports bucket: the last good one and one dated copy per passing drill. */
export const FINGERPRINT_PREFIX = 'fingerprints/';
export const fingerprintKeys = (db: string, capturedAt: string) => ({
  latest: `${FINGERPRINT_PREFIX}${db}/latest.json`,
  history: `${FINGERPRINT_PREFIX}${db}/history/${capturedAt.replace(/[:.]/g, '-')}.json`,
});

/** What the drill report needs from the fingerprints' storage (S3 in lambdas/aws, in memory in tests). */
export interface FingerprintStore {
  /** The last good drill's fingerprint, or undefined before the first. */
  latest(db: string): Promise<Fingerprint | undefined>;
  /** Records a passing drill's fingerprint as the new latest, and a dated copy. */
  record(db: string, fingerprint: Fingerprint): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A table's schema entry from its (unsorted) lines; the hash ignores order. */
export function tableSchema(columns: string[], indexes: string[], constraints: string[]): TableSchema {
  const sorted = { columns: [...columns].sort(), indexes: [...indexes].sort(), constraints: [...constraints].sort() };
  return { ...sorted, hash: sha256(JSON.stringify(sorted)) };
}

export function schemaHash(tables: Record<string, TableSchema>): string {
  return sha256(
    Object.keys(tables)
      .sort()
      .map((t) => `${t}:${tables[t].hash}`)
      .join('\n'),
  );
}

/**
 * Drops the per-table lists, largest table first, until the fingerprint's JSON is at most `maxChars`
 * (it travels in the drill's Step Functions state, 256 KiB with everything else). Hashes stay, so a
 * change to such a table is still seen, without its detail.
 */
export function boundFingerprint(fp: Fingerprint, maxChars: number): Fingerprint {
  let size = JSON.stringify(fp).length;
  if (size <= maxChars) return fp;
  const tables = { ...fp.schema.tables };
  const bySize = Object.keys(tables).sort((a, b) => JSON.stringify(tables[b]).length - JSON.stringify(tables[a]).length);
  for (const name of bySize) {
    if (size <= maxChars) break;
    const before = JSON.stringify(tables[name]).length;
    tables[name] = { columns: [], indexes: [], constraints: [], hash: tables[name].hash, detail: false };
    size -= before - JSON.stringify(tables[name]).length;
  }
  return { ...fp, schema: { ...fp.schema, tables } };
}

export const totalRows = (fp: Fingerprint): number => Object.values(fp.rows).reduce((a, b) => a + b, 0);

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB (${bytes} bytes)`;
const percent = (p: number) => (Number.isFinite(p) ? `${p >= 0 ? '+' : ''}${p.toFixed(1)} %` : 'from 0 bytes');

/** Change from `before` to `after` in %; 0 -> 0 is no change, 0 -> more is an infinite one. */
export function percentChange(before: number, after: number): number {
  if (before === 0) return after === 0 ? 0 : Infinity;
  return ((after - before) / before) * 100;
}

/**
 * A size change smaller than `drift.sizeFloorMiB` (default 1 MiB) is never drift, whatever its %: a small
 * database's size moves in whole allocation units — InnoDB extents of 1 MiB and statistics it refreshes lazily
 * (DATA_LENGTH is an estimate, MySQL Reference Manual "The INFORMATION_SCHEMA TABLES Table"); PostgreSQL pages
 * per new catalog entry — so a 64 KiB MariaDB database measures +150 % after one ALTER TABLE. Backups that are
 * subtly wrong in a way that matters move more than this, or show as rows lost.
 */
const floorBytes = (t: DriftTolerances) => Math.round(t.sizeFloorMiB * 1024 * 1024);

function sizeCheck(prev: Fingerprint, cur: Fingerprint, t: DriftTolerances): DriftCheck {
  const change = percentChange(prev.sizeBytes, cur.sizeBytes);
  const observed = `${mib(cur.sizeBytes)}, ${percent(change)} from ${mib(prev.sizeBytes)} at the last good drill (${prev.capturedAt})`;
  const expected = `within ±${t.sizeWarnPercent} % (warning) / ±${t.sizeCriticalPercent} % (critical) of the last good drill${t.sizeFloorMiB > 0 ? `, or less than ${t.sizeFloorMiB} MiB apart` : ''}`;
  const beyond = (limit: number) => Math.abs(change) > limit && Math.abs(cur.sizeBytes - prev.sizeBytes) >= floorBytes(t);
  const check: DriftCheck = { name: 'drift database size', passed: !beyond(t.sizeCriticalPercent), observed, expected };
  if (check.passed && beyond(t.sizeWarnPercent)) check.warning = `database size ${percent(change)} (${prev.sizeBytes} -> ${cur.sizeBytes} bytes), beyond ±${t.sizeWarnPercent} %`;
  return check;
}

/** A table that lost more than tableShrinkPercent of its rows (a dropped table with rows lost them all) fails; 0 -> 0 does not. */
function rowChecks(prev: Fingerprint, cur: Fingerprint, t: DriftTolerances): DriftCheck[] {
  const expected = `at most ${t.tableShrinkPercent} % fewer rows than at the last good drill`;
  const shrunk: DriftCheck[] = [];
  let compared = 0;
  for (const [table, before] of Object.entries(prev.rows)) {
    const after = cur.rows[table];
    const dropped = after === undefined && !(table in cur.schema.tables) && cur.omittedTables === undefined;
    if (after === undefined && !dropped) continue; // not counted this time (beyond the bound): nothing to compare
    compared++;
    const now = after ?? 0;
    if (before > 0 && now < before * (1 - t.tableShrinkPercent / 100)) {
      const observed = dropped
        ? `table is gone; it had ${before} rows at the last good drill (${prev.capturedAt})`
        : `${now} rows, ${percent(percentChange(before, now))} from ${before} rows at the last good drill (${prev.capturedAt})`;
      shrunk.push({ name: `drift table ${table} rows`, passed: false, observed, expected });
    }
  }
  if (shrunk.length) return shrunk;
  return [{ name: 'drift table rows', passed: true, observed: `${compared} table(s) compared, none lost more than ${t.tableShrinkPercent} % of its rows`, expected }];
}

function listDiff(kind: string, before: string[], after: string[]): string[] {
  const nameOf = (line: string) => line.split(' ')[0];
  const b = new Map(before.map((l) => [nameOf(l), l]));
  const a = new Map(after.map((l) => [nameOf(l), l]));
  const out: string[] = [];
  for (const [n, l] of a) if (!b.has(n)) out.push(`${kind} added: ${l}`);
  for (const [n, l] of b) if (!a.has(n)) out.push(`${kind} removed: ${l}`);
  for (const [n, l] of a) if (b.has(n) && b.get(n) !== l) out.push(`${kind} changed: ${b.get(n)} -> ${l}`);
  return out;
}

/** Every schema difference, one line each: tables added/removed; per table columns, indexes, constraints added/removed/changed. */
export function schemaChanges(prev: Fingerprint, cur: Fingerprint): string[] {
  if (prev.schema.hash === cur.schema.hash) return [];
  const before = prev.schema.tables;
  const after = cur.schema.tables;
  const lines: string[] = [];
  for (const t of Object.keys(after).sort()) if (!(t in before)) lines.push(`table added: ${t}`);
  for (const t of Object.keys(before).sort()) if (!(t in after)) lines.push(`table removed: ${t}`);
  for (const t of Object.keys(after).sort()) {
    const b = before[t];
    const a = after[t];
    if (!b || b.hash === a.hash) continue;
    if (b.detail === false || a.detail === false) {
      lines.push(`table ${t}: columns, indexes or constraints changed (detail not kept: the table's schema is too large for the fingerprint)`);
      continue;
    }
    const diffs = [...listDiff('column', b.columns, a.columns), ...listDiff('index', b.indexes, a.indexes), ...listDiff('constraint', b.constraints, a.constraints)];
    lines.push(...diffs.map((d) => `table ${t}: ${d}`));
  }
  return lines;
}

function schemaCheck(prev: Fingerprint, cur: Fingerprint, t: DriftTolerances): DriftCheck | undefined {
  if (t.schemaChange === 'ignore') return undefined;
  const changes = schemaChanges(prev, cur);
  const expected = `the schema of the last good drill (${prev.capturedAt}); a change is a ${t.schemaChange === 'fail' ? 'failure' : 'warning'}`;
  if (!changes.length) return { name: 'drift schema', passed: true, observed: 'unchanged', expected };
  const observed = changes.join('; ');
  if (t.schemaChange === 'fail') return { name: 'drift schema', passed: false, observed, expected };
  return { name: 'drift schema', passed: true, observed, expected, warning: `schema changed: ${observed}` };
}

/**
 * The drift checks of a drill: the first (no previous fingerprint) sets the baseline; then the size,
 * each table's rows and the schema against the last good drill. Drift disabled: none.
 */
export function compareFingerprints(previous: Fingerprint | undefined, current: Fingerprint, tolerances: DriftTolerances): DriftCheck[] {
  if (!tolerances.enabled) return [];
  if (!previous) {
    const tables = Object.keys(current.schema.tables).length;
    return [{ name: 'drift baseline set', passed: true, observed: `${tables} table(s), ${totalRows(current)} rows, ${mib(current.sizeBytes)}`, expected: 'no earlier passing drill to compare with' }];
  }
  const schema = schemaCheck(previous, current, tolerances);
  return [sizeCheck(previous, current, tolerances), ...rowChecks(previous, current, tolerances), ...(schema ? [schema] : [])];
}
