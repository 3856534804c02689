// The SQL checks a drill runs against a restored database. Each check runs in its own READ ONLY
// transaction with a statement timeout; a check that cannot run is a failure, never a skip.
import type { Fingerprint } from '../core/fingerprint.js';
import type { DatabaseChecksSettings } from '../core/settings.js';

export interface SqlSession {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface CheckResult {
  name: string;
  passed: boolean;
  observed?: unknown;
  expected?: unknown;
  error?: string;
  /** Passed, but worth saying (a drift within the critical tolerance): shown in the report and the run summary. */
  warning?: string;
}

export interface Verdict {
  passed: boolean;
  checks: CheckResult[];
  startedAt: string;
  finishedAt: string;
  /** The restored database's fingerprint (lambdas/drill/fingerprint.ts), when the verifier connected and drift is enabled. */
  fingerprint?: Fingerprint;
}

export function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/** Does a query's single cell equal the configured expectation? (pg returns bigint/numeric as text.) */
export function matchesExpectation(observed: unknown, expected: string | number | boolean | null): boolean {
  if (expected === null) return observed === null;
  if (observed === null || observed === undefined) return false;
  if (typeof expected === 'number') return Number(observed) === expected;
  if (typeof expected === 'boolean') return String(observed) === String(expected);
  return (observed instanceof Date ? observed.toISOString() : String(observed)) === expected;
}

async function readOnly<T>(session: SqlSession, timeoutSeconds: number, work: () => Promise<T>): Promise<T> {
  await session.query('BEGIN TRANSACTION READ ONLY');
  try {
    await session.query(`SET LOCAL statement_timeout = ${Math.round(timeoutSeconds * 1000)}`);
    return await work();
  } finally {
    await session.query('ROLLBACK').catch(() => undefined);
  }
}

const firstCell = (rows: Record<string, unknown>[]): unknown => {
  if (rows.length === 0) return undefined;
  return Object.values(rows[0])[0];
};

export async function runChecks(session: SqlSession, checks: DatabaseChecksSettings, snapshotTime: Date): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const attempt = async (name: string, fn: () => Promise<Omit<CheckResult, 'name'>>) => {
    try {
      results.push({ name, ...(await readOnly(session, checks.statementTimeoutSeconds, fn)) });
    } catch (err) {
      results.push({ name, passed: false, error: `could not run: ${(err as Error).message}` });
    }
  };

  for (const table of checks.tables) {
    const q = quoteIdentifier(table.name);
    let exists = false;
    await attempt(`table ${table.name} exists`, async () => {
      const { rows } = await session.query('SELECT to_regclass($1) IS NOT NULL AS present', [table.name]);
      exists = rows[0]?.present === true;
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
        const newest = firstCell((await session.query(`SELECT max(${quoteIdentifier(table.freshnessColumn!)}) AS newest FROM ${q}`)).rows);
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
