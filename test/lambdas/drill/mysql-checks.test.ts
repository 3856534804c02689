// The verifier's MySQL-only paths, which the local MariaDB server does not exercise (it speaks MariaDB's
// dialect): a scripted session that answers as RDS for MySQL / Aurora MySQL would.
import { describe, expect, it } from 'vitest';
import { runIntegrityChecks } from '../../../lambdas/drill/integrity-checks.js';
import { runChecks } from '../../../lambdas/drill/sql-checks.js';
import { CHECK_DEFAULTS } from './check-defaults.js';
import { ScriptedSession } from './scripted-session.js';

const checks = {
  database: 'shop', rpoMinutes: 60, statementTimeoutSeconds: 7, ...CHECK_DEFAULTS,
  tables: [{ name: 'shop.orders', minRows: 2, freshnessColumn: 'updated_at' }],
  assertions: [{ name: 'no negative totals', sql: 'SELECT COUNT(*) = 0 FROM shop.orders WHERE total < 0', expect: true }],
};

describe('drill checks on MySQL', () => {
  it('runs each check in a read-only transaction under max_execution_time, with MySQL quoting and placeholders', async () => {
    const session = new ScriptedSession((sql) => {
      if (sql.includes('information_schema.TABLES')) return [{ present: 1 }];
      if (sql.startsWith('SELECT count(*) AS n FROM `shop`.`orders`')) return [{ n: '3' }];
      if (sql.startsWith('SELECT max(`updated_at`)')) return [{ newest: new Date('2026-11-22T01:45:00Z') }];
      if (sql.startsWith('SELECT COUNT(*) = 0')) return [{ ok: 1 }];
      return [];
    }, 'mysql');
    const results = await runChecks(session, checks, new Date('2026-11-22T02:00:00Z'));
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['table shop.orders exists', true],
      ['table shop.orders rows >= 2', true],
      ['table shop.orders freshness', true],
      ['no negative totals', true],
    ]);
    expect(session.ran.filter((s) => s === 'SET SESSION max_execution_time = 7000')).toHaveLength(4);
    expect(session.ran.filter((s) => s === 'START TRANSACTION READ ONLY')).toHaveLength(4);
    expect(session.ran.filter((s) => s === 'ROLLBACK')).toHaveLength(4);
    expect(session.ran.some((s) => s.includes('statement_timeout') || s.includes('max_statement_time'))).toBe(false);
    expect(session.params[session.ran.findIndex((s) => s.includes('information_schema.TABLES'))]).toEqual(['shop', 'orders']);
  });

  it('a table MySQL does not know fails its existence check, and the checks that need it say why', async () => {
    const session = new ScriptedSession((sql) => (sql.includes('information_schema.TABLES') ? [{ present: 0 }] : [{ ok: 0 }]), 'mysql');
    const results = await runChecks(session, { ...checks, assertions: [] }, new Date());
    expect(results).toEqual([
      { name: 'table shop.orders exists', passed: false, observed: false },
      { name: 'table shop.orders rows >= 2', passed: false, error: 'could not run: table is missing' },
      { name: 'table shop.orders freshness', passed: false, error: 'could not run: table is missing' },
    ]);
  });

  it('checks each foreign key for orphans and runs CHECK TABLE outside the read-only transaction', async () => {
    const session = new ScriptedSession((sql) => {
      if (sql.includes('KEY_COLUMN_USAGE')) {
        return [{ name: 'lines_order', child_schema: 'shop', child_table: 'lines', child_column: 'order_id', parent_schema: 'shop', parent_table: 'orders', parent_column: 'id' }];
      }
      if (sql.includes('NOT EXISTS')) return [{ n: '2' }];
      if (sql.startsWith('CHECK TABLE')) return [{ Table: 'shop.orders', Op: 'check', Msg_type: 'error', Msg_text: 'Index ix_total is corrupted' }, { Table: 'shop.orders', Op: 'check', Msg_type: 'status', Msg_text: 'Corrupt' }];
      return [];
    }, 'mysql');
    const results = await runIntegrityChecks(session, checks);
    expect(results).toEqual([
      { name: 'foreign key shop.lines(order_id) -> shop.orders(id) [lines_order] orphans', passed: false, observed: 2, expected: 0 },
      { name: 'table shop.orders CHECK TABLE', passed: false, observed: 'error: Index ix_total is corrupted; status: Corrupt', expected: 'status: OK' },
    ]);
    const check = session.ran.indexOf('CHECK TABLE `shop`.`orders`');
    expect(session.ran[check - 1]).toBe('SET SESSION max_execution_time = 7000');
    // Not inside a transaction: the statement before the limit is the orphan check's ROLLBACK.
    expect(session.ran.slice(check - 2, check)).toEqual(['ROLLBACK', 'SET SESSION max_execution_time = 7000']);
  });

  it('checks nothing the config turned off', async () => {
    const session = new ScriptedSession(() => [], 'mysql');
    expect(await runIntegrityChecks(session, { ...checks, integrity: { foreignKeys: false, indexes: false } })).toEqual([]);
    expect(session.ran).toEqual([]);
  });
});
