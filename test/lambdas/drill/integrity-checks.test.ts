// The built-in integrity checks against a real PostgreSQL (Debian's, with contrib's amcheck): an orphaned
// foreign key and a corrupted index, produced with what PostgreSQL offers, are each named; a sound database passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegrityChecks } from '../../../lambdas/drill/integrity-checks.js';
import { openPgSession, type OpenSession } from '../../../lambdas/drill/pg-session.js';
import { startPostgres, type Postgres } from '../../local/postgres.js';
import { CHECK_DEFAULTS } from './check-defaults.js';

const checks = {
  database: 'shop', rpoMinutes: 60, statementTimeoutSeconds: 10, assertions: [], ...CHECK_DEFAULTS,
  tables: [{ name: 'public.orders', minRows: 1 }, { name: 'public.lines', minRows: 1 }],
};

describe('integrity checks on PostgreSQL', () => {
  let pg: Postgres;
  let session: OpenSession;
  const admin = async (sql: string) => {
    const c = pg.client('shop');
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
    // total_key: an expression index over an IMMUTABLE function, so redefining the function later leaves
    // index entries that no longer match their rows (a corruption amcheck's heapallindexed finds).
    await admin(`
      CREATE FUNCTION total_key(x numeric) RETURNS numeric IMMUTABLE LANGUAGE sql AS 'SELECT x';
      CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL);
      CREATE INDEX orders_total_key ON orders (total_key(total));
      CREATE TABLE lines (order_id int REFERENCES orders (id), sku text, PRIMARY KEY (order_id, sku));
      INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, 200) g;
      INSERT INTO lines SELECT g, 'sku-' || g FROM generate_series(1, 200) g;`);
    session = await openPgSession({ host: pg.host, port: pg.port, database: 'shop', user: 'postgres', password: '' }, 'disable');
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    await pg?.stop();
  });

  it('passes a sound database, one check per foreign key and per B-tree index, installing amcheck on the throwaway', async () => {
    const results = await runIntegrityChecks(session, checks);
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['foreign key public.lines(order_id) -> public.orders(id) [lines_order_id_fkey] orphans', true],
      ['index orders_pkey valid', true],
      ['index orders_total_key valid', true],
      ['index lines_pkey valid', true],
    ]);
  });

  it('names the foreign key whose rows point at nothing, with how many', async () => {
    // session_replication_role = replica skips the FK triggers: what a bad load or a logical-replication mistake leaves.
    await admin("SET session_replication_role = replica; INSERT INTO lines VALUES (9999, 'orphan'), (9998, 'orphan'); SET session_replication_role = origin;");
    const [fk] = await runIntegrityChecks(session, { ...checks, integrity: { foreignKeys: true, indexes: false } });
    expect(fk).toEqual({ name: 'foreign key public.lines(order_id) -> public.orders(id) [lines_order_id_fkey] orphans', passed: false, observed: 2, expected: 0 });
  });

  it('names the corrupted index (amcheck: a row without its index entry) and an index left invalid', async () => {
    await admin(`CREATE OR REPLACE FUNCTION total_key(x numeric) RETURNS numeric IMMUTABLE LANGUAGE sql AS 'SELECT x + 1'`);
    await admin('UPDATE pg_index SET indisvalid = false WHERE indexrelid = \'lines_pkey\'::regclass');
    // A new session, as each drill's verifier has: an open one keeps the index's expression as it first read it.
    const fresh = await openPgSession({ host: pg.host, port: pg.port, database: 'shop', user: 'postgres', password: '' }, 'disable');
    const results = await runIntegrityChecks(fresh, { ...checks, integrity: { foreignKeys: false, indexes: true } }).finally(() => fresh.close());
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName['index orders_pkey valid'].passed).toBe(true);
    expect(byName['index orders_total_key valid']).toMatchObject({ passed: false, error: expect.stringMatching(/lacks matching index tuple within index "orders_total_key"/) });
    expect(byName['index lines_pkey valid']).toMatchObject({ passed: false, observed: 'indisvalid = false' });
  });
});
