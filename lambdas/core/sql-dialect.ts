// The SQL a drill's built-in checks speak, per engine family. Pure text: sessions (lambdas/drill/*-session.ts)
// run it. The engine comes from the restored snapshot (DescribeDBSnapshots' Engine), never from config.

/** The SQL dialects the verifier speaks. MariaDB is MySQL's protocol and SQL except for the statement time limit. */
export type SqlDialectName = 'postgresql' | 'mysql' | 'mariadb';

/** A connected session on a restored database. Placeholders: `$1` for PostgreSQL, `?` for MySQL/MariaDB. */
export interface SqlSession {
  readonly dialect: SqlDialectName;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * The dialect for an RDS engine name, or undefined for engines the verifier does not speak (Oracle,
 * SQL Server, Db2: those get restore-only drills). Engine names: "Engine" in the RDS API Reference
 * (CreateDBInstance): postgres, aurora-postgresql, mysql, aurora-mysql, mariadb, oracle-*, sqlserver-*, db2-*.
 */
export function dialectOfEngine(engine: string): SqlDialectName | undefined {
  if (engine === 'postgres' || engine === 'aurora-postgresql') return 'postgresql';
  if (engine === 'mysql' || engine === 'aurora-mysql' || engine === 'aurora') return 'mysql';
  if (engine === 'mariadb') return 'mariadb';
  return undefined;
}

/** The port an engine listens on when the restored database does not say (RDS defaults). */
export function defaultPortOf(engine: string): number {
  const dialect = dialectOfEngine(engine);
  if (dialect === 'postgresql') return 5432;
  if (dialect === 'mysql' || dialect === 'mariadb') return 3306;
  if (engine.startsWith('sqlserver')) return 1433;
  if (engine.startsWith('oracle')) return 1521;
  if (engine.startsWith('db2')) return 50000;
  return 5432;
}

/**
 * The dialect a MySQL-protocol server actually speaks: its VERSION() says "MariaDB" on MariaDB. On RDS the
 * engine decides (an RDS for MySQL or Aurora MySQL server is MySQL); the local data plane serves every
 * MySQL-protocol engine from MariaDB, so the session asks the server rather than trusting the name.
 */
export function mysqlFamilyDialect(serverVersion: string): 'mysql' | 'mariadb' {
  return /mariadb/i.test(serverVersion) ? 'mariadb' : 'mysql';
}

export const isMysqlFamily = (d: SqlDialectName): d is 'mysql' | 'mariadb' => d === 'mysql' || d === 'mariadb';

/** `"public"."orders"` on PostgreSQL, `` `shop`.`orders` `` on MySQL/MariaDB. */
export function quoteIdentifier(dialect: SqlDialectName, name: string): string {
  const q = dialect === 'postgresql' ? '"' : '`';
  return name
    .split('.')
    .map((part) => `${q}${part.split(q).join(q + q)}${q}`)
    .join('.');
}

/**
 * Statements that open a read-only transaction whose statements are stopped after `timeoutSeconds`:
 * PostgreSQL `SET LOCAL statement_timeout` (milliseconds, this transaction only); MySQL
 * `max_execution_time` (milliseconds, SELECT statements; MySQL Reference Manual, "Server System Variables");
 * MariaDB `max_statement_time` (seconds, any statement; MariaDB docs, "Aborting Statements that Exceed a
 * Certain Time to Execute"). MySQL's and MariaDB's are session settings, so they are set before the transaction.
 */
export function beginReadOnly(dialect: SqlDialectName, timeoutSeconds: number): string[] {
  const ms = Math.round(timeoutSeconds * 1000);
  if (dialect === 'postgresql') return ['BEGIN TRANSACTION READ ONLY', `SET LOCAL statement_timeout = ${ms}`];
  if (dialect === 'mysql') return [`SET SESSION max_execution_time = ${ms}`, 'START TRANSACTION READ ONLY'];
  return [`SET SESSION max_statement_time = ${timeoutSeconds}`, 'START TRANSACTION READ ONLY'];
}

export const ROLLBACK = 'ROLLBACK';

/** One row, one column `present`: does the (optionally schema-qualified) table exist? */
export function tableExistsQuery(dialect: SqlDialectName, name: string): { sql: string; params: unknown[] } {
  if (dialect === 'postgresql') return { sql: 'SELECT to_regclass($1) IS NOT NULL AS present', params: [name] };
  const [schema, table] = name.includes('.') ? name.split('.', 2) : [undefined, name];
  // information_schema.TABLES: TABLE_SCHEMA is the database; without one, the session's current database.
  return {
    sql: 'SELECT COUNT(*) > 0 AS present FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
    params: [schema ?? null, table],
  };
}

/** Drivers return booleans as true/1/'1' (MySQL has no boolean type: TINYINT(1)). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}
