// The built-in integrity checks against a real MariaDB (Debian's mariadb-server), through the verifier's
// own mysql2 session over TCP: an orphaned foreign key (written with foreign_key_checks = 0) and a
// corrupted index (bytes overwritten in a MyISAM index file, what a torn write leaves) are each named;
// a sound database passes. The session speaks MariaDB's dialect (max_statement_time), read from VERSION().
import { openSync, writeSync, closeSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegrityChecks } from '../../../lambdas/drill/integrity-checks.js';
import { openMysqlSession } from '../../../lambdas/drill/mysql-session.js';
import { runChecks } from '../../../lambdas/drill/sql-checks.js';
import { startMariadb, type Mariadb } from '../../local/mariadb.js';
import { CHECK_DEFAULTS } from './check-defaults.js';

const checks = {
  database: 'shop', rpoMinutes: 60, statementTimeoutSeconds: 10, assertions: [], ...CHECK_DEFAULTS,
  tables: [{ name: 'orders', minRows: 1 }, { name: 'shop.events', minRows: 1 }],
};

describe('integrity checks on MariaDB', () => {
  let db: Mariadb;
  const admin = async (sql: string) => {
    const c = await db.client('shop');
    try {
      return (await c.query(sql))[0];
    } finally {
      await c.end();
    }
  };
  const session = () => openMysqlSession({ host: db.host, port: db.port, database: 'shop', user: 'verifier', password: 'local-only' }, 'disable');

  beforeAll(async () => {
    db = await startMariadb();
    await db.createDatabase('shop');
    await admin(`
      CREATE USER 'verifier'@'127.0.0.1' IDENTIFIED BY 'local-only'; GRANT ALL ON *.* TO 'verifier'@'127.0.0.1';
      CREATE TABLE customers (id INT PRIMARY KEY) ENGINE=InnoDB;
      CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;
      CREATE TABLE events (id INT PRIMARY KEY, kind INT, KEY kind_ix (kind)) ENGINE=MyISAM;
      INSERT INTO customers VALUES (1), (2);
      INSERT INTO orders VALUES (10, 1), (11, 2), (12, NULL);
      INSERT INTO events SELECT seq, seq % 7 FROM seq_1_to_5000;`);
  }, 60_000);
  afterAll(async () => db?.stop());

  it('speaks MariaDB\'s dialect and passes a sound database: one check per foreign key, CHECK TABLE per listed table', async () => {
    const s = await session();
    try {
      expect(s.dialect).toBe('mariadb');
      expect((await runChecks(s, checks, new Date())).every((r) => r.passed)).toBe(true);
      const results = await runIntegrityChecks(s, checks);
      expect(results.map((r) => [r.name, r.passed])).toEqual([
        ['foreign key shop.orders(customer_id) -> shop.customers(id) [orders_ibfk_1] orphans', true],
        ['table orders CHECK TABLE', true],
        ['table shop.events CHECK TABLE', true],
      ]);
    } finally {
      await s.close();
    }
  });

  it('names the foreign key whose rows point at nothing (a NULL key is not an orphan)', async () => {
    await admin('SET foreign_key_checks = 0; INSERT INTO orders VALUES (13, 99), (14, 98); SET foreign_key_checks = 1;');
    const s = await session();
    try {
      const [fk] = await runIntegrityChecks(s, { ...checks, integrity: { foreignKeys: true, indexes: false } });
      expect(fk).toEqual({ name: 'foreign key shop.orders(customer_id) -> shop.customers(id) [orders_ibfk_1] orphans', passed: false, observed: 2, expected: 0 });
    } finally {
      await s.close();
    }
  });

  it('names the table whose index CHECK TABLE finds corrupt', async () => {
    const [{ datadir }] = (await admin('SELECT @@datadir AS datadir')) as { datadir: string }[];
    await admin('FLUSH TABLES events');
    // Overwrite an index block of events' key file (past its header and first blocks): a torn write.
    const fd = openSync(join(datadir, 'shop', 'events.MYI'), 'r+');
    try {
      const size = fstatSync(fd).size;
      writeSync(fd, Buffer.alloc(2048, 0xa5), 0, 2048, Math.floor(size / 2));
    } finally {
      closeSync(fd);
    }
    await admin('FLUSH TABLES events');
    const s = await session();
    try {
      const results = await runIntegrityChecks(s, { ...checks, integrity: { foreignKeys: false, indexes: true } });
      expect(results[0]).toMatchObject({ name: 'table orders CHECK TABLE', passed: true });
      expect(results[1]).toMatchObject({ name: 'table shop.events CHECK TABLE', passed: false, expected: 'status: OK' });
      expect(String(results[1].observed)).toMatch(/error|corrupt|crashed/i);
    } finally {
      await s.close();
    }
  });
});
