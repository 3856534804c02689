// collectFingerprint against a real MariaDB (Debian's mariadb-server), through the verifier's own mysql2
// session: information_schema for the named database only (system databases and other databases left out),
// exact COUNT(*) per table, MariaDB's max_statement_time; then drift between two collections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFingerprints } from '../../../lambdas/core/fingerprint.js';
import { collectFingerprint } from '../../../lambdas/drill/fingerprint.js';
import { openMysqlSession } from '../../../lambdas/drill/mysql-session.js';
import { startMariadb, type Mariadb } from '../../local/mariadb.js';
import { CHECK_DEFAULTS } from './check-defaults.js';

describe('collectFingerprint on MariaDB (local server)', () => {
  let db: Mariadb;
  const admin = async (database: string, sql: string) => {
    const c = await db.client(database);
    try {
      return (await c.query(sql))[0];
    } finally {
      await c.end();
    }
  };
  const collect = async (database: string | undefined) => {
    const s = await openMysqlSession({ host: db.host, port: db.port, database, user: 'verifier', password: 'local-only' }, 'disable');
    try {
      expect(s.dialect).toBe('mariadb');
      return await collectFingerprint(s, database, { timeoutSeconds: 10 });
    } finally {
      await s.close();
    }
  };

  beforeAll(async () => {
    db = await startMariadb();
    await db.createDatabase('shop');
    await db.createDatabase('other');
    await admin('other', 'CREATE TABLE notes (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO notes VALUES (1)');
    await admin(
      'shop',
      `CREATE USER 'verifier'@'127.0.0.1' IDENTIFIED BY 'local-only'; GRANT ALL ON *.* TO 'verifier'@'127.0.0.1';
       CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL, UNIQUE KEY email_uq (email)) ENGINE=InnoDB;
       CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT, total DECIMAL(10,2), KEY by_customer (customer_id, total),
         CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;
       INSERT INTO customers SELECT seq, CONCAT('c', seq, '@example.com') FROM seq_1_to_40;
       INSERT INTO orders SELECT seq, 1 + seq % 40, seq * 2.5 FROM seq_1_to_1234;`,
    );
  }, 120_000);
  afterAll(async () => db?.stop());

  it('the named database only: exact counts, columns with types, indexes with their columns, constraints with their parent', async () => {
    const fp = await collect('shop');
    expect(fp.rows).toEqual({ 'shop.customers': 40, 'shop.orders': 1234 });
    expect(fp.sizeBytes).toBeGreaterThan(0);
    expect(fp.schema.tables['shop.orders']).toMatchObject({
      columns: ['customer_id int(11)', 'id bigint(20) NOT NULL', 'total decimal(10,2)'],
      // InnoDB serves the foreign key from by_customer (customer_id leads it): no index of its own.
      indexes: ['PRIMARY UNIQUE BTREE (id)', 'by_customer BTREE (customer_id, total)'],
      constraints: ['PRIMARY PRIMARY KEY', 'orders_customer FOREIGN KEY REFERENCES shop.customers'],
    });
    expect(fp.schema.tables['shop.customers'].indexes).toContain('email_uq UNIQUE BTREE (email)');
  });

  it('no database named: every user database, never mysql, sys, information_schema or performance_schema', async () => {
    const fp = await collect(undefined);
    expect(Object.keys(fp.rows).sort()).toEqual(['other.notes', 'shop.customers', 'shop.orders']);
  });

  it('an emptied table and an added column between two collections: a failure naming before/after, a schema warning', async () => {
    const before = await collect('shop');
    await admin('shop', 'SET FOREIGN_KEY_CHECKS = 0; DELETE FROM customers; ALTER TABLE orders ADD COLUMN note TEXT');
    const after = await collect('shop');
    const checks = compareFingerprints(before, after, CHECK_DEFAULTS.drift);
    expect(checks.filter((c) => !c.passed).map((c) => [c.name, c.observed])).toEqual([
      ['drift table shop.customers rows', expect.stringMatching(/^0 rows, -100\.0 % from 40 rows at the last good drill/)],
    ]);
    expect(checks.find((c) => c.name === 'drift schema')?.warning).toBe('schema changed: table shop.orders: column added: note text');
  });
});
