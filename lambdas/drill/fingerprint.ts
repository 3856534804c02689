// Collects a restored database's fingerprint (lambdas/core/fingerprint.ts): size, exact row counts, schema.
// One read-only transaction with a statement time limit, like every other check the verifier runs.
import { boundFingerprint, schemaHash, tableSchema, type Fingerprint, type TableSchema } from '../core/fingerprint.js';
import { beginReadOnly, ROLLBACK, type SqlDialectName, type SqlSession } from '../core/sql-dialect.js';

/**
 * Tables counted and described at most, the first in name order. An exact count(*) reads the whole
 * table (on RDS it also pulls every lazily restored block from S3), and the verifier's task has 900 s
 * for everything; past this many tables a drill would spend its time counting. A constant, not config:
 * the fingerprint's size in the Step Functions state (256 KiB with the rest of the branch) depends on it.
 */
export const MAX_FINGERPRINT_TABLES = 200;
/** The fingerprint's JSON at most (characters): a quarter of the 256 KiB a state may carry; per-table lists give way first. */
export const MAX_FINGERPRINT_CHARS = 64_000;
const MAX_LINE_CHARS = 300;

const SYSTEM_SCHEMAS_MYSQL = "('mysql','sys','information_schema','performance_schema')";

type Row = Record<string, unknown>;
interface Shape {
  sizeBytes: number;
  /** Tables, sorted by schema then name. */
  tables: { s: string; t: string }[];
  columns: Row[];
  indexes: Row[];
  constraints: Row[];
}

/** One identifier quoted whole (sql-dialect's quoteIdentifier splits at dots; a catalog name may contain one). */
const quotePart = (dialect: SqlDialectName, name: string) => {
  const q = dialect === 'postgresql' ? '"' : '`';
  return `${q}${name.split(q).join(q + q)}${q}`;
};
const clip = (line: string) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line);
const qualified = (r: Row) => `${String(r.s)}.${String(r.t)}`;

// PostgreSQL: user schemas are everything but pg_catalog, information_schema, pg_toast*, pg_temp*.
const PG_USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

async function postgresShape(session: SqlSession): Promise<Shape> {
  const q = async (sql: string) => (await session.query(sql)).rows;
  const [size] = await q('SELECT pg_database_size(current_database())::text AS bytes');
  // Ordinary and partitioned tables, not partitions: a partitioned table's count(*) already reads them.
  const tables = await q(
    `SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${PG_USER_SCHEMA} ORDER BY 1, 2`,
  );
  const columns = await q(
    `SELECT n.nspname AS s, c.relname AS t, a.attname AS name, format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END AS def
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${PG_USER_SCHEMA}`,
  );
  const indexes = await q(`SELECT schemaname AS s, tablename AS t, indexname AS name, indexdef AS def FROM pg_indexes n WHERE ${PG_USER_SCHEMA.replace(/n\.nspname/g, 'n.schemaname')}`);
  const constraints = await q(
    `SELECT n.nspname AS s, c.relname AS t, con.conname AS name, pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${PG_USER_SCHEMA}`,
  );
  return { sizeBytes: Number(size?.bytes ?? 0), tables: tables.map((r) => ({ s: String(r.s), t: String(r.t) })), columns, indexes, constraints };
}

/** MySQL/MariaDB: the session's database when named, else every user database (not mysql, sys, information_schema, performance_schema). */
async function mysqlShape(session: SqlSession, database: string | undefined): Promise<Shape> {
  const where = `TABLE_SCHEMA NOT IN ${SYSTEM_SCHEMAS_MYSQL} AND (? IS NULL OR TABLE_SCHEMA = ?)`;
  const q = async (sql: string) => (await session.query(sql, [database ?? null, database ?? null])).rows;
  // DATA_LENGTH + INDEX_LENGTH: the bytes InnoDB reports for the table's data and indexes (MySQL Reference Manual, "The INFORMATION_SCHEMA TABLES Table").
  const tables = await q(`SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS bytes FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND ${where} ORDER BY 1, 2`);
  const columns = await q(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS name, CONCAT(COLUMN_TYPE, IF(IS_NULLABLE = 'NO', ' NOT NULL', '')) AS def FROM information_schema.COLUMNS WHERE ${where}`,
  );
  const indexes = await q(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, INDEX_NAME AS name, CONCAT(IF(MAX(NON_UNIQUE) = 0, 'UNIQUE ', ''), MAX(INDEX_TYPE), ' (', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ', '), ')') AS def
       FROM information_schema.STATISTICS WHERE ${where} GROUP BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME`,
  );
  const constraints = await q(
    `SELECT tc.TABLE_SCHEMA AS s, tc.TABLE_NAME AS t, tc.CONSTRAINT_NAME AS name, CONCAT(tc.CONSTRAINT_TYPE, COALESCE(CONCAT(' REFERENCES ', rc.UNIQUE_CONSTRAINT_SCHEMA, '.', rc.REFERENCED_TABLE_NAME), '')) AS def
       FROM information_schema.TABLE_CONSTRAINTS tc LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc
         ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND rc.TABLE_NAME = tc.TABLE_NAME
      WHERE tc.${where.replace('(? IS NULL OR TABLE_SCHEMA', '(? IS NULL OR tc.TABLE_SCHEMA')}`,
  );
  const sizeBytes = tables.reduce((sum, r) => sum + Number(r.bytes ?? 0), 0);
  return { sizeBytes, tables: tables.map((r) => ({ s: String(r.s), t: String(r.t) })), columns, indexes, constraints };
}

function schemaOf(shape: Shape, counted: string[]): Record<string, TableSchema> {
  const lines = (rows: Row[]) => {
    const byTable = new Map<string, string[]>();
    for (const r of rows) {
      const t = qualified(r);
      byTable.set(t, [...(byTable.get(t) ?? []), clip(`${String(r.name)} ${String(r.def)}`)]);
    }
    return byTable;
  };
  const [columns, indexes, constraints] = [lines(shape.columns), lines(shape.indexes), lines(shape.constraints)];
  return Object.fromEntries(counted.map((t) => [t, tableSchema(columns.get(t) ?? [], indexes.get(t) ?? [], constraints.get(t) ?? [])]));
}

export interface CollectOptions {
  /** Each statement's time limit (the database's statementTimeoutSeconds). */
  timeoutSeconds?: number;
  now?: () => Date;
}

/**
 * The fingerprint of the database the session is connected to (PostgreSQL: its user schemas;
 * MySQL/MariaDB: `database`, else every user database). Read-only; bounded in tables and size.
 */
export async function collectFingerprint(session: SqlSession, database?: string, options: CollectOptions = {}): Promise<Fingerprint> {
  for (const sql of beginReadOnly(session.dialect, options.timeoutSeconds ?? 60)) await session.query(sql);
  try {
    const shape = session.dialect === 'postgresql' ? await postgresShape(session) : await mysqlShape(session, database);
    const counted = shape.tables.slice(0, MAX_FINGERPRINT_TABLES);
    const rows: Record<string, number> = {};
    for (const { s, t } of counted) {
      const { rows: result } = await session.query(`SELECT COUNT(*) AS n FROM ${quotePart(session.dialect, s)}.${quotePart(session.dialect, t)}`);
      rows[`${s}.${t}`] = Number(result[0]?.n ?? 0);
    }
    const tables = schemaOf(shape, Object.keys(rows));
    const omitted = shape.tables.length - counted.length;
    const fingerprint: Fingerprint = {
      capturedAt: (options.now?.() ?? new Date()).toISOString(),
      sizeBytes: shape.sizeBytes,
      rows,
      schema: { tables, hash: schemaHash(tables) },
      ...(omitted > 0 && { omittedTables: omitted }),
    };
    return boundFingerprint(fingerprint, MAX_FINGERPRINT_CHARS);
  } finally {
    await session.query(ROLLBACK).catch(() => undefined);
  }
}
