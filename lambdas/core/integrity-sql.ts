// The SQL of the built-in integrity checks, per dialect (pure text; lambdas/drill/integrity-checks.ts runs it).
import { quoteIdentifier, type SqlDialectName } from './sql-dialect.js';

/** A foreign-key constraint: child columns and the parent columns they reference, in key order. */
export interface ForeignKey {
  name: string;
  child: { schema: string; table: string; columns: string[] };
  parent: { schema: string; table: string; columns: string[] };
}

/**
 * One row per (constraint, key column), in key order: name, child_schema, child_table, child_column,
 * parent_schema, parent_table, parent_column. PostgreSQL: pg_constraint (contype 'f') of the connected
 * database's user schemas; MySQL/MariaDB: information_schema.KEY_COLUMN_USAGE rows with a referenced
 * table (InnoDB's foreign keys), in the session's database or, without one, every user database.
 */
export function foreignKeyColumnsQuery(dialect: SqlDialectName): string {
  if (dialect === 'postgresql') {
    return `SELECT c.conname AS name, cn.nspname AS child_schema, cc.relname AS child_table, ca.attname AS child_column,
  pn.nspname AS parent_schema, pc.relname AS parent_table, pa.attname AS parent_column
FROM pg_constraint c
JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
JOIN pg_class pc ON pc.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(child_attnum, parent_attnum, position)
JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child_attnum
JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_attnum
WHERE c.contype = 'f' AND cn.nspname NOT IN ('pg_catalog', 'information_schema') AND cn.nspname NOT LIKE 'pg_toast%'
ORDER BY cn.nspname, cc.relname, c.conname, k.position`;
  }
  return `SELECT CONSTRAINT_NAME AS name, TABLE_SCHEMA AS child_schema, TABLE_NAME AS child_table, COLUMN_NAME AS child_column,
  REFERENCED_TABLE_SCHEMA AS parent_schema, REFERENCED_TABLE_NAME AS parent_table, REFERENCED_COLUMN_NAME AS parent_column
FROM information_schema.KEY_COLUMN_USAGE
WHERE REFERENCED_TABLE_NAME IS NOT NULL
  AND TABLE_SCHEMA NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema')
  AND (DATABASE() IS NULL OR TABLE_SCHEMA = DATABASE())
ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`;
}

/** Groups foreignKeyColumnsQuery's rows into constraints. */
export function foreignKeysOf(rows: Record<string, unknown>[]): ForeignKey[] {
  const byKey = new Map<string, ForeignKey>();
  for (const r of rows) {
    const key = `${r.child_schema}.${r.child_table}.${r.name}`;
    let fk = byKey.get(key);
    if (!fk) {
      fk = {
        name: String(r.name),
        child: { schema: String(r.child_schema), table: String(r.child_table), columns: [] },
        parent: { schema: String(r.parent_schema), table: String(r.parent_table), columns: [] },
      };
      byKey.set(key, fk);
    }
    fk.child.columns.push(String(r.child_column));
    fk.parent.columns.push(String(r.parent_column));
  }
  return [...byKey.values()];
}

/**
 * Rows of the child whose key points at no parent row. A key with any NULL column is not checked, as
 * the database does not (MATCH SIMPLE, the default of both engines).
 */
export function orphanCountQuery(dialect: SqlDialectName, fk: ForeignKey): string {
  const q = (name: string) => quoteIdentifier(dialect, name);
  const child = `${q(fk.child.schema)}.${q(fk.child.table)}`;
  const parent = `${q(fk.parent.schema)}.${q(fk.parent.table)}`;
  const notNull = fk.child.columns.map((c) => `c.${q(c)} IS NOT NULL`).join(' AND ');
  const matches = fk.child.columns.map((c, i) => `p.${q(fk.parent.columns[i])} = c.${q(c)}`).join(' AND ');
  return `SELECT count(*) AS n FROM ${child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${matches})`;
}

/** How a foreign key is named in a check: `orders.customer_id -> customers.id (orders_customer_fk)`. */
export function describeForeignKey(fk: ForeignKey): string {
  return `${fk.child.schema}.${fk.child.table}(${fk.child.columns.join(', ')}) -> ${fk.parent.schema}.${fk.parent.table}(${fk.parent.columns.join(', ')}) [${fk.name}]`;
}

/** PostgreSQL: is amcheck installed in this database, or can it be (available to CREATE EXTENSION)? */
export const AMCHECK_STATE_QUERY = `SELECT
  EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck') AS installed,
  EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck') AS available`;

/**
 * PostgreSQL: the indexes of one table ($1, optionally schema-qualified): name, whether the access
 * method is B-tree (the one amcheck verifies) and whether the index is valid (false after a failed
 * CREATE INDEX CONCURRENTLY: the planner ignores it and it may miss rows).
 */
export const PG_TABLE_INDEXES_QUERY = `SELECT ic.oid::regclass::text AS index_name, am.amname = 'btree' AS btree, i.indisvalid AS valid
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = to_regclass($1)
ORDER BY 1`;

/**
 * amcheck's bt_index_check with heapallindexed: verifies the B-tree's invariants and that every heap
 * tuple has its index tuple (PostgreSQL documentation, "amcheck"). It takes only an AccessShareLock,
 * so it runs inside the read-only transaction.
 */
export const PG_BTREE_CHECK = 'SELECT bt_index_check(index => $1::regclass, heapallindexed => true)';

/** MySQL/MariaDB: CHECK TABLE (MySQL Reference Manual, "CHECK TABLE Statement"); the last row's Msg_text is "OK" when no problem was found. */
export function checkTableStatement(dialect: SqlDialectName, table: string): string {
  return `CHECK TABLE ${quoteIdentifier(dialect, table)}`;
}

/** CHECK TABLE's rows (Table, Op, Msg_type, Msg_text) as a verdict: any error row, or a final status other than OK, fails. */
export function checkTableVerdict(rows: Record<string, unknown>[]): { passed: boolean; messages: string[] } {
  const messages = rows.map((r) => `${r.Msg_type ?? r.msg_type}: ${r.Msg_text ?? r.msg_text}`);
  const last = rows.at(-1);
  const status = String(last?.Msg_text ?? last?.msg_text ?? '');
  const errors = rows.filter((r) => /^error$/i.test(String(r.Msg_type ?? r.msg_type)));
  return { passed: rows.length > 0 && errors.length === 0 && /^(OK|Table is already up to date)$/i.test(status), messages };
}
