// Collecting a restored database's fingerprint: PostgreSQL against the real local server, MySQL/MariaDB
// SQL through a scripted session (a real MariaDB arrives with the local MySQL-protocol data plane).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFingerprints } from '../../../lambdas/core/fingerprint.js';
import type { SqlDialectName, SqlSession } from '../../../lambdas/core/sql-dialect.js';
import { collectFingerprint, MAX_FINGERPRINT_CHARS, MAX_FINGERPRINT_TABLES } from '../../../lambdas/drill/fingerprint.js';
import { startPostgres, type Postgres } from '../../local/postgres.js';
import { CHECK_DEFAULTS } from './check-defaults.js';

describe('collectFingerprint on PostgreSQL (local server)', () => {
  let pg: Postgres;
  const sessionOn = async (database: string) => {
    const client = pg.client(database);
    await client.connect();
    const statements: string[] = [];
    const session: SqlSession & { statements: string[]; close(): Promise<void> } = {
      dialect: 'postgresql',
      statements,
      query: async (sql, params) => {
        statements.push(sql);
        return client.query(sql, params as unknown[]);
      },
      close: () => client.end(),
    };
    return session;
  };
  const run = async (database: string, sql: string) => {
    const c = pg.client(database);
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    pg = await startPostgres();
    await pg.createDatabase('shop');
    await run(
      'shop',
      `CREATE SCHEMA sales;
       CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE);
       CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), total numeric(10,2));
       CREATE INDEX orders_customer ON sales.orders (customer_id);
       CREATE TABLE empty_one (id int);
       CREATE TABLE "odd.name" (id int);
       INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 40) g;
       INSERT INTO sales.orders SELECT g, 1 + g % 40, g * 2.5 FROM generate_series(1, 1234) g;`,
    );
  }, 120_000);
  afterAll(async () => pg?.stop());

  it('counts every user table exactly, describes columns, indexes and constraints, and sizes the database', async () => {
    const session = await sessionOn('shop');
    try {
      const fp = await collectFingerprint(session, undefined, { timeoutSeconds: 30, now: () => new Date('2026-11-30T00:00:00Z') });
      expect(fp.capturedAt).toBe('2026-11-30T00:00:00.000Z');
      expect(fp.rows).toEqual({ 'public.customers': 40, 'public.empty_one': 0, 'public.odd.name': 0, 'sales.orders': 1234 });
      expect(fp.sizeBytes).toBeGreaterThan(1_000_000); // an empty PostgreSQL database alone is several MB
      const orders = fp.schema.tables['sales.orders'];
      expect(orders.columns).toEqual(['customer_id integer NOT NULL', 'id bigint NOT NULL', 'total numeric(10,2)']);
      expect(orders.indexes).toEqual(['orders_customer CREATE INDEX orders_customer ON sales.orders USING btree (customer_id)', 'orders_pkey CREATE UNIQUE INDEX orders_pkey ON sales.orders USING btree (id)']);
      expect(orders.constraints).toEqual(['orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(id)', 'orders_pkey PRIMARY KEY (id)']);
      expect(fp.schema.tables['public.customers'].constraints).toContain('customers_email_key UNIQUE (email)');
      expect(fp.omittedTables).toBeUndefined();
      // Read-only, with a statement time limit, rolled back.
      expect(session.statements.slice(0, 2)).toEqual(['BEGIN TRANSACTION READ ONLY', 'SET LOCAL statement_timeout = 30000']);
      expect(session.statements.at(-1)).toBe('ROLLBACK');
    } finally {
      await session.close();
    }
  });

  it('a second collection after an added column and an emptied table is compared as drift', async () => {
    const s1 = await sessionOn('shop');
    const before = await collectFingerprint(s1).finally(() => s1.close());
    await run('shop', 'ALTER TABLE customers ADD COLUMN note text; CREATE TABLE scratch (x int); DELETE FROM sales.orders');
    const s2 = await sessionOn('shop');
    const after = await collectFingerprint(s2).finally(() => s2.close());
    const checks = compareFingerprints(before, after, CHECK_DEFAULTS.drift);
    expect(checks.filter((c) => !c.passed).map((c) => [c.name, c.observed])).toEqual([
      ['drift table sales.orders rows', expect.stringMatching(/^0 rows, -100\.0 % from 1234 rows at the last good drill/)],
    ]);
    expect(checks.find((c) => c.name === 'drift schema')?.warning).toBe('schema changed: table added: public.scratch; table public.customers: column added: note text');
    await run('shop', 'ALTER TABLE customers DROP COLUMN note; DROP TABLE scratch');
  });

  it(`bounded: at most ${MAX_FINGERPRINT_TABLES} tables counted, the rest reported as omitted; the JSON stays within ${MAX_FINGERPRINT_CHARS} characters`, async () => {
    await pg.createDatabase('wide');
    const cols = Array.from({ length: 30 }, (_, i) => `a_rather_long_column_name_number_${i} character varying(255) NOT NULL DEFAULT ''`).join(', ');
    const tables = MAX_FINGERPRINT_TABLES + 5;
    await run('wide', `DO $$ BEGIN FOR i IN 1..${tables} LOOP EXECUTE format('CREATE TABLE t_%s (id int PRIMARY KEY, ${cols.replace(/'/g, "''")})', lpad(i::text, 4, '0')); END LOOP; END $$;`);
    const session = await sessionOn('wide');
    try {
      const fp = await collectFingerprint(session);
      expect(Object.keys(fp.rows)).toHaveLength(MAX_FINGERPRINT_TABLES);
      expect(fp.rows['public.t_0001']).toBe(0);
      expect(fp.rows['public.t_0205']).toBeUndefined();
      expect(fp.omittedTables).toBe(5);
      const json = JSON.stringify(fp).length;
      expect(json).toBeLessThanOrEqual(MAX_FINGERPRINT_CHARS);
      // Unbounded, 200 tables of 31 columns would not have fitted: some tables lost their lists, none its hash.
      expect(Object.values(fp.schema.tables).some((t) => t.detail === false)).toBe(true);
      expect(Object.values(fp.schema.tables).every((t) => t.hash.length === 64)).toBe(true);
      expect(session.statements.filter((s) => s.startsWith('SELECT COUNT(*)'))).toHaveLength(MAX_FINGERPRINT_TABLES);
    } finally {
      await session.close();
    }
  }, 120_000);
});

/** Answers each statement by the first pattern it matches; records what was asked. */
function scriptedSession(dialect: SqlDialectName, answers: [RegExp, Record<string, unknown>[]][]) {
  const asked: { sql: string; params?: unknown[] }[] = [];
  const session: SqlSession = {
    dialect,
    query: async (sql, params) => {
      asked.push({ sql, params });
      const hit = answers.find(([re]) => re.test(sql));
      return { rows: hit ? hit[1] : [] };
    },
  };
  return { session, asked };
}

describe('collectFingerprint on MySQL / MariaDB (scripted session)', () => {
  const answers = (): [RegExp, Record<string, unknown>[]][] => [
    [/FROM information_schema\.TABLES/, [{ s: 'shop', t: 'orders', bytes: '16384' }, { s: 'shop', t: 'we`ird', bytes: 32768 }]],
    [/FROM information_schema\.COLUMNS/, [{ s: 'shop', t: 'orders', name: 'id', def: 'int(11) NOT NULL' }]],
    [/FROM information_schema\.STATISTICS/, [{ s: 'shop', t: 'orders', name: 'PRIMARY', def: 'UNIQUE BTREE (id)' }]],
    [/FROM information_schema\.TABLE_CONSTRAINTS/, [{ s: 'shop', t: 'orders', name: 'PRIMARY', def: 'PRIMARY KEY' }]],
    [/COUNT\(\*\) AS n FROM `shop`\.`orders`/, [{ n: 7 }]],
    [/COUNT\(\*\) AS n FROM `shop`\.`we``ird`/, [{ n: 3 }]],
  ];

  it('MySQL: max_execution_time and a read-only transaction; the named database only; system databases excluded; exact COUNT(*)', async () => {
    const { session, asked } = scriptedSession('mysql', answers());
    const fp = await collectFingerprint(session, 'shop', { timeoutSeconds: 5 });
    expect(asked.slice(0, 2).map((a) => a.sql)).toEqual(['SET SESSION max_execution_time = 5000', 'START TRANSACTION READ ONLY']);
    expect(asked.at(-1)?.sql).toBe('ROLLBACK');
    const catalog = asked.filter((a) => a.sql.includes('information_schema'));
    expect(catalog).toHaveLength(4);
    for (const a of catalog) {
      expect(a.sql).toContain("NOT IN ('mysql','sys','information_schema','performance_schema')");
      expect(a.params).toEqual(['shop', 'shop']);
    }
    expect(fp.rows).toEqual({ 'shop.orders': 7, 'shop.we`ird': 3 });
    expect(fp.sizeBytes).toBe(16384 + 32768);
    expect(fp.schema.tables['shop.orders']).toMatchObject({ columns: ['id int(11) NOT NULL'], indexes: ['PRIMARY UNIQUE BTREE (id)'], constraints: ['PRIMARY PRIMARY KEY'] });
  });

  it('MariaDB: max_statement_time in seconds; no database named: every user database (NULL filter)', async () => {
    const { session, asked } = scriptedSession('mariadb', answers());
    await collectFingerprint(session, undefined, { timeoutSeconds: 5 });
    expect(asked[0].sql).toBe('SET SESSION max_statement_time = 5');
    expect(asked.find((a) => a.sql.includes('information_schema.TABLES'))?.params).toEqual([null, null]);
  });

  it('a failing statement still rolls back, and the error reaches the caller', async () => {
    const asked: string[] = [];
    const session: SqlSession = {
      dialect: 'mysql',
      query: async (sql) => {
        asked.push(sql);
        if (sql.includes('information_schema.TABLES')) throw new Error('Query execution was interrupted, maximum statement execution time exceeded');
        return { rows: [] };
      },
    };
    await expect(collectFingerprint(session, 'shop')).rejects.toThrow('maximum statement execution time exceeded');
    expect(asked.at(-1)).toBe('ROLLBACK');
  });
});
