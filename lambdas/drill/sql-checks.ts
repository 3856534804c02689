// The SQL checks a drill runs against a restored database. Each check runs in its own READ ONLY
// transaction with a statement timeout; a check that cannot run is a failure, never a skip.
import type { Fingerprint } from '../core/fingerprint.js';
import type { DatabaseChecksSettings } from '../core/settings.js';
import type { CheckResult } from '../core/check-result.js';
import { beginReadOnly, quoteIdentifier, ROLLBACK, tableExistsQuery, isTrue, type SqlSession } from '../core/sql-dialect.js';

export type { SqlSession } from '../core/sql-dialect.js';

export type { CheckResult } from '../core/check-result.js';

export interface Verdict {
  passed: boolean;
  checks: CheckResult[];
  startedAt: string;
  finishedAt: string;
  /** The restored database's fingerprint (lambdas/drill/fingerprint.ts), when the verifier connected and drift is enabled. */
  fingerprint?: Fingerprint;
}

/** Does a query's single cell equal the configured expectation? (pg returns bigint/numeric as text.) */
export function matchesExpectation(observed: unknown, expected: string | number | boolean | null): boolean {
  if (expected === null) return observed === null;
  if (observed === null || observed === undefined) return false;
  if (typeof expected === 'number') return Number(observed) === expected;
  // PostgreSQL answers booleans as true/false; MySQL and MariaDB have none and answer 1/0.
  if (typeof expected === 'boolean') return expected ? ['true', '1', 't'].includes(String(observed)) : ['false', '0', 'f'].includes(String(observed));
  return (observed instanceof Date ? observed.toISOString() : String(observed)) === expected;
}

/** Runs `work` in a READ ONLY transaction whose statements stop after `timeoutSeconds` (lambdas/core/sql-dialect.ts). */
export async function readOnly<T>(session: SqlSession, timeoutSeconds: number, work: () => Promise<T>): Promise<T> {
  const [first, ...rest] = beginReadOnly(session.dialect, timeoutSeconds);
  await session.query(first);
  try {
    for (const statement of rest) await session.query(statement);
    return await work();
  } finally {
    await session.query(ROLLBACK).catch(() => undefined);
  }
}

const firstCell = (rows: Record<string, unknown>[]): unknown => {
  if (rows.length === 0) return undefined;
  return Object.values(rows[0])[0];
};

/**
 * Collects check results: `attempt` runs one check in its own read-only transaction; a check that throws
 * is a failure naming why ("could not run: ..."), never a skip.
 */
export function checkCollector(session: SqlSession, timeoutSeconds: number) {
  const results: CheckResult[] = [];
  const attempt = async (name: string, fn: () => Promise<Omit<CheckResult, 'name'>>) => {
    try {
      results.push({ name, ...(await readOnly(session, timeoutSeconds, fn)) });
    } catch (err) {
      results.push({ name, passed: false, error: `could not run: ${(err as Error).message}` });
    }
  };
  return { results, attempt };
}

export async function runChecks(session: SqlSession, checks: DatabaseChecksSettings, snapshotTime: Date): Promise<CheckResult[]> {
  const { results, attempt } = checkCollector(session, checks.statementTimeoutSeconds);

  for (const table of checks.tables) {
    const q = quoteIdentifier(session.dialect, table.name);
    let exists = false;
    await attempt(`table ${table.name} exists`, async () => {
      const { sql, params } = tableExistsQuery(session.dialect, table.name);
      const { rows } = await session.query(sql, params);
      exists = isTrue(rows[0]?.present);
      return { passed: exists, observed: exists };
    });
    if (!exists) {
      results.push({ name: `table ${table.name} rows >= ${table.minRows}`, passed: false, error: 'could not run: table is missing' });
      if (table.freshnessColumn) results.push({ name: `table ${table.name} freshness`, passed: false, error: 'could not run: table is missing' });
      continue;
    }
    // count(*) reads every block, which on RDS also pulls the lazily restored data from S3:
    // the drill's timing is then a true RTO.
    await attempt(`table ${table.name} rows >= ${table.minRows}`, async () => {
      const n = Number(firstCell((await session.query(`SELECT count(*) AS n FROM ${q}`)).rows));
      return { passed: n >= table.minRows, observed: n, expected: `>= ${table.minRows}` };
    });
    if (table.freshnessColumn) {
      const bound = new Date(snapshotTime.getTime() - checks.rpoMinutes * 60_000);
      await attempt(`table ${table.name} freshness`, async () => {
        const newest = firstCell((await session.query(`SELECT max(${quoteIdentifier(session.dialect, table.freshnessColumn!)}) AS newest FROM ${q}`)).rows);
        const when = newest instanceof Date ? newest : newest == null ? undefined : new Date(String(newest));
        return {
          passed: when !== undefined && !Number.isNaN(when.getTime()) && when >= bound,
          observed: when?.toISOString() ?? null,
          expected: `>= ${bound.toISOString()} (snapshot time - ${checks.rpoMinutes} min)`,
        };
      });
    }
  }

  for (const assertion of checks.assertions) {
    await attempt(assertion.name, async () => {
      const observed = firstCell((await session.query(assertion.sql)).rows);
      const shown = observed instanceof Date ? observed.toISOString() : (observed ?? null);
      return { passed: matchesExpectation(observed, assertion.expect), observed: shown, expected: assertion.expect };
    });
  }
  return results;
}
