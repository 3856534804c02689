import { describe, expect, it } from 'vitest';
import {
  beginReadOnly,
  defaultPortOf,
  dialectOfEngine,
  isTrue,
  mysqlFamilyDialect,
  quoteIdentifier,
  tableExistsQuery,
} from '../../../lambdas/core/sql-dialect.js';
import { checkTableVerdict, describeForeignKey, foreignKeysOf, orphanCountQuery } from '../../../lambdas/core/integrity-sql.js';

describe('SQL dialects by engine', () => {
  it('maps RDS engines to dialects, and engines the verifier does not speak to none', () => {
    expect(['postgres', 'aurora-postgresql'].map(dialectOfEngine)).toEqual(['postgresql', 'postgresql']);
    expect(['mysql', 'aurora-mysql'].map(dialectOfEngine)).toEqual(['mysql', 'mysql']);
    expect(dialectOfEngine('mariadb')).toBe('mariadb');
    expect(['oracle-ee', 'sqlserver-se', 'db2-se', 'custom-oracle-ee'].map(dialectOfEngine)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('knows each engine\'s default port', () => {
    expect([defaultPortOf('aurora-postgresql'), defaultPortOf('aurora-mysql'), defaultPortOf('mariadb'), defaultPortOf('sqlserver-ex'), defaultPortOf('oracle-se2')]).toEqual([5432, 3306, 3306, 1433, 1521]);
  });

  it('tells MariaDB from MySQL by the server\'s VERSION()', () => {
    expect(mysqlFamilyDialect('10.11.18-MariaDB-0+deb12u1')).toBe('mariadb');
    expect(mysqlFamilyDialect('8.0.39')).toBe('mysql');
    expect(mysqlFamilyDialect('8.0.mysql_aurora.3.08.0')).toBe('mysql');
  });

  it('quotes identifiers with the dialect\'s quote, doubling embedded quotes', () => {
    expect(quoteIdentifier('mysql', 'shop.orders')).toBe('`shop`.`orders`');
    expect(quoteIdentifier('mariadb', 'we`ird')).toBe('`we``ird`');
    expect(quoteIdentifier('postgresql', 'public.orders')).toBe('"public"."orders"');
  });

  it('limits statement time the way each engine does: milliseconds per transaction, milliseconds per SELECT, seconds per statement', () => {
    expect(beginReadOnly('postgresql', 5)).toEqual(['BEGIN TRANSACTION READ ONLY', 'SET LOCAL statement_timeout = 5000']);
    expect(beginReadOnly('mysql', 5)).toEqual(['SET SESSION max_execution_time = 5000', 'START TRANSACTION READ ONLY']);
    expect(beginReadOnly('mariadb', 5)).toEqual(['SET SESSION max_statement_time = 5', 'START TRANSACTION READ ONLY']);
  });

  it('asks information_schema whether a MySQL table exists, in its database or the session\'s', () => {
    expect(tableExistsQuery('mysql', 'shop.orders').params).toEqual(['shop', 'orders']);
    expect(tableExistsQuery('mysql', 'orders').params).toEqual([null, 'orders']);
    expect(tableExistsQuery('mysql', 'orders').sql).toContain('COALESCE(?, DATABASE())');
    expect(tableExistsQuery('postgresql', 'public.orders')).toEqual({ sql: 'SELECT to_regclass($1) IS NOT NULL AS present', params: ['public.orders'] });
  });

  it('reads booleans as each driver returns them', () => {
    expect([true, 1, '1', 't'].map(isTrue)).toEqual([true, true, true, true]);
    expect([false, 0, '0', 'f', null, undefined].map(isTrue)).toEqual([false, false, false, false, false, false]);
  });
});

describe('integrity SQL', () => {
  const rows = [
    { name: 'line_order', child_schema: 'shop', child_table: 'lines', child_column: 'order_id', parent_schema: 'shop', parent_table: 'orders', parent_column: 'id' },
    { name: 'line_item', child_schema: 'shop', child_table: 'lines', child_column: 'sku', parent_schema: 'shop', parent_table: 'items', parent_column: 'sku' },
    { name: 'line_item', child_schema: 'shop', child_table: 'lines', child_column: 'size', parent_schema: 'shop', parent_table: 'items', parent_column: 'size' },
  ];

  it('groups key columns into constraints, in key order', () => {
    const fks = foreignKeysOf(rows);
    expect(fks.map((f) => [f.name, f.child.columns, f.parent.columns])).toEqual([
      ['line_order', ['order_id'], ['id']],
      ['line_item', ['sku', 'size'], ['sku', 'size']],
    ]);
    expect(describeForeignKey(fks[1])).toBe('shop.lines(sku, size) -> shop.items(sku, size) [line_item]');
  });

  it('counts orphans skipping keys with a NULL column (MATCH SIMPLE), quoted for MySQL', () => {
    const [, composite] = foreignKeysOf(rows);
    expect(orphanCountQuery('mysql', composite)).toBe(
      'SELECT count(*) AS n FROM `shop`.`lines` c WHERE c.`sku` IS NOT NULL AND c.`size` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `shop`.`items` p WHERE p.`sku` = c.`sku` AND p.`size` = c.`size`)',
    );
  });

  it('reads CHECK TABLE: OK passes; an error row or a final status other than OK fails', () => {
    expect(checkTableVerdict([{ Table: 'shop.orders', Op: 'check', Msg_type: 'status', Msg_text: 'OK' }]).passed).toBe(true);
    const corrupt = checkTableVerdict([
      { Table: 'shop.orders', Op: 'check', Msg_type: 'error', Msg_text: 'Key in wrong position at page 1024' },
      { Table: 'shop.orders', Op: 'check', Msg_type: 'error', Msg_text: 'Corrupt' },
    ]);
    expect(corrupt).toEqual({ passed: false, messages: ['error: Key in wrong position at page 1024', 'error: Corrupt'] });
    expect(checkTableVerdict([{ Msg_type: 'warning', Msg_text: 'Table is marked as crashed' }, { Msg_type: 'status', Msg_text: 'Operation failed' }]).passed).toBe(false);
    expect(checkTableVerdict([]).passed).toBe(false);
  });
});
