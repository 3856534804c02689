// Built-in integrity checks of a restored database, on by default (config `integrity`): rows whose
// foreign keys point at nothing, per constraint; index validity on the listed tables (PostgreSQL:
// amcheck where the extension is available, plus indexes left invalid; MySQL/MariaDB: CHECK TABLE).
// Each object gets its own check, so a report says which constraint or index is broken.
import {
  AMCHECK_STATE_QUERY,
  checkTableStatement,
  checkTableVerdict,
  describeForeignKey,
  foreignKeyColumnsQuery,
  foreignKeysOf,
  orphanCountQuery,
  PG_BTREE_CHECK,
  PG_TABLE_INDEXES_QUERY,
} from '../core/integrity-sql.js';
import type { DatabaseChecksSettings } from '../core/settings.js';
import { beginReadOnly, isTrue, type SqlSession } from '../core/sql-dialect.js';
import { checkCollector, type CheckResult } from './sql-checks.js';

/**
 * Constraints checked per drill at most. Each is one query bounded by the statement timeout; the cap keeps
 * one drill's verifier within its 15-minute Lambda limit on a schema with thousands of foreign keys.
 */
export const MAX_FOREIGN_KEYS = 200;

export async function runIntegrityChecks(session: SqlSession, checks: DatabaseChecksSettings): Promise<CheckResult[]> {
  const { results, attempt } = checkCollector(session, checks.statementTimeoutSeconds);
  if (checks.integrity.foreignKeys) await checkForeignKeys(session, attempt, results);
  if (checks.integrity.indexes) {
    if (session.dialect === 'postgresql') await checkPostgresIndexes(session, checks, attempt, results);
    else await checkMysqlTables(session, checks, results);
  }
  return results;
}

type Attempt = ReturnType<typeof checkCollector>['attempt'];

async function checkForeignKeys(session: SqlSession, attempt: Attempt, results: CheckResult[]): Promise<void> {
  let foreignKeys: ReturnType<typeof foreignKeysOf> = [];
  await attempt('foreign keys listed', async () => {
    foreignKeys = foreignKeysOf((await session.query(foreignKeyColumnsQuery(session.dialect))).rows);
    const skipped = Math.max(0, foreignKeys.length - MAX_FOREIGN_KEYS);
    return {
      passed: true,
      observed: foreignKeys.length,
      ...(skipped ? { warning: `${skipped} of ${foreignKeys.length} foreign keys not checked (at most ${MAX_FOREIGN_KEYS} per drill)` } : {}),
    };
  });
  // Only the listing's result: drop it when it passed without anything to say (the per-constraint checks follow).
  const listed = results.at(-1);
  if (listed?.passed && !listed.warning) results.pop();
  for (const fk of foreignKeys.slice(0, MAX_FOREIGN_KEYS)) {
    await attempt(`foreign key ${describeForeignKey(fk)} orphans`, async () => {
      const n = Number(Object.values((await session.query(orphanCountQuery(session.dialect, fk))).rows[0] ?? {})[0]);
      return { passed: n === 0, observed: n, expected: 0 };
    });
  }
}

async function checkPostgresIndexes(session: SqlSession, checks: DatabaseChecksSettings, attempt: Attempt, results: CheckResult[]): Promise<void> {
  if (checks.tables.length === 0) return;
  const state = (await session.query(AMCHECK_STATE_QUERY).catch(() => ({ rows: [] }))).rows[0] ?? {};
  let amcheck = isTrue(state.installed);
  let why = 'the amcheck extension is not available on this server';
  if (!amcheck && isTrue(state.available)) {
    // The throwaway is dropped after the drill: installing amcheck there changes nothing that lasts. On RDS the
    // master user may create it ("PostgreSQL extensions supported on Amazon RDS": amcheck).
    try {
      await session.query('CREATE EXTENSION IF NOT EXISTS amcheck');
      amcheck = true;
    } catch (err) {
      why = `CREATE EXTENSION amcheck failed: ${(err as Error).message}`;
    }
  }
  for (const table of checks.tables) {
    let indexes: { index_name: string; btree: boolean; valid: boolean }[] = [];
    await attempt(`table ${table.name} indexes listed`, async () => {
      indexes = (await session.query(PG_TABLE_INDEXES_QUERY, [table.name])).rows.map((r) => ({ index_name: String(r.index_name), btree: isTrue(r.btree), valid: isTrue(r.valid) }));
      return { passed: true, observed: indexes.length };
    });
    const listed = results.at(-1);
    if (listed?.passed) results.pop();
    for (const index of indexes) {
      const name = `index ${index.index_name} valid`;
      if (!index.valid) {
        results.push({ name, passed: false, observed: 'indisvalid = false', expected: 'a valid index (rebuild it with REINDEX)' });
        continue;
      }
      if (!index.btree) continue; // amcheck verifies B-tree indexes only
      if (!amcheck) {
        results.push({ name, passed: true, warning: `not verified: ${why}` });
        continue;
      }
      await attempt(name, async () => {
        await session.query(PG_BTREE_CHECK, [index.index_name]);
        return { passed: true, observed: 'bt_index_check (heapallindexed) found no corruption' };
      });
    }
  }
}

/**
 * CHECK TABLE implicitly commits (MySQL Reference Manual, "Statements That Cause an Implicit Commit"), so it
 * cannot run inside the read-only transaction: it runs alone, under the session's statement time limit.
 */
async function checkMysqlTables(session: SqlSession, checks: DatabaseChecksSettings, results: CheckResult[]): Promise<void> {
  const [limit] = beginReadOnly(session.dialect, checks.statementTimeoutSeconds);
  for (const table of checks.tables) {
    const name = `table ${table.name} CHECK TABLE`;
    try {
      await session.query(limit);
      const verdict = checkTableVerdict((await session.query(checkTableStatement(session.dialect, table.name))).rows);
      results.push({ name, passed: verdict.passed, observed: verdict.messages.join('; '), expected: 'status: OK' });
    } catch (err) {
      results.push({ name, passed: false, error: `could not run: ${(err as Error).message}` });
    }
  }
}
