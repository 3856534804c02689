import { describe, expect, it } from 'vitest';
import { boundFingerprint, compareFingerprints, parseFingerprint, fingerprintKeys, schemaChanges, schemaHash, tableSchema, type DriftTolerances, type Fingerprint, type TableSchema } from '../../../lambdas/core/fingerprint.js';

const TOL: DriftTolerances = { enabled: true, sizeWarnPercent: 20, sizeCriticalPercent: 50, tableShrinkPercent: 50, sizeFloorMiB: 1, schemaChange: 'warn' };
const ORDERS = () => tableSchema(['id integer NOT NULL', 'total numeric'], ['orders_pkey CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)'], ['orders_pkey p PRIMARY KEY (id)']);

function fp(over: { sizeBytes?: number; rows?: Record<string, number>; tables?: Record<string, TableSchema>; capturedAt?: string } = {}): Fingerprint {
  const rows = over.rows ?? { 'public.orders': 100 };
  const tables = over.tables ?? Object.fromEntries(Object.keys(rows).map((t) => [t, ORDERS()]));
  return { capturedAt: over.capturedAt ?? '2026-11-22T02:00:00.000Z', sizeBytes: over.sizeBytes ?? 1_000_000, rows, schema: { tables, hash: schemaHash(tables) } };
}
const named = (checks: ReturnType<typeof compareFingerprints>, name: string) => checks.find((c) => c.name === name);

describe('compareFingerprints', () => {
  it('the first drill sets the baseline: one passing check saying what was recorded', () => {
    const checks = compareFingerprints(undefined, fp(), TOL);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'drift baseline set', passed: true });
    expect(checks[0].observed).toContain('1 table(s), 100 rows');
  });

  it('drift disabled: no checks at all', () => {
    expect(compareFingerprints(fp(), fp({ rows: { 'public.orders': 0 } }), { ...TOL, enabled: false })).toEqual([]);
  });

  it('an identical database passes size, rows and schema without a warning', () => {
    const checks = compareFingerprints(fp(), fp({ capturedAt: '2026-11-29T02:00:00.000Z' }), TOL);
    expect(checks.map((c) => [c.name, c.passed, c.warning])).toEqual([
      ['drift database size', true, undefined],
      ['drift table rows', true, undefined],
      ['drift schema', true, undefined],
    ]);
  });

  describe('database size', () => {
    const size = (before: number, after: number, tol = TOL) => named(compareFingerprints(fp({ sizeBytes: before }), fp({ sizeBytes: after }), tol), 'drift database size')!;
    const quiet = (c: { passed: boolean; warning?: string }) => [c.passed, c.warning];
    it('exactly at the warning tolerance (+20 %) is no warning', () => expect(quiet(size(100_000_000, 120_000_000))).toEqual([true, undefined]));
    it('just beyond it warns, naming before/after and the %', () => {
      const c = size(100_000_000, 120_100_000);
      expect(c.passed).toBe(true);
      expect(c.warning).toBe('database size +20.1 % (100000000 -> 120100000 bytes), beyond ±20 %');
    });
    it('a shrink counts like a growth', () => expect(size(100_000_000, 70_000_000).warning).toContain('-30.0 %'));
    it('exactly at the critical tolerance (-50 %) still passes, with a warning', () => expect(size(100_000_000, 50_000_000)).toMatchObject({ passed: true, warning: expect.any(String) }));
    it('beyond the critical tolerance fails, observed says before/after and the %', () => {
      const c = size(100_000_000, 49_900_000);
      expect(c.passed).toBe(false);
      expect(c.warning).toBeUndefined();
      expect(c.observed).toBe('47.6 MiB (49900000 bytes), -50.1 % from 95.4 MiB (100000000 bytes) at the last good drill (2026-11-22T02:00:00.000Z)');
      expect(c.expected).toBe('within ±20 % (warning) / ±50 % (critical) of the last good drill, or less than 1 MiB apart');
    });
    it('0 -> 0 bytes is no change; 0 -> some is beyond any tolerance', () => {
      expect(quiet(size(0, 0))).toEqual([true, undefined]);
      expect(size(0, 2 * 1048576).passed).toBe(false);
    });
    it('uses the per-database tolerances', () => expect(size(100_000_000, 110_000_000, { ...TOL, sizeWarnPercent: 5, sizeCriticalPercent: 8 }).passed).toBe(false));
    it('a change under 1 MiB is never drift, whatever its % (a small database moves in whole allocation units)', () => {
      expect(quiet(size(65_536, 163_840))).toEqual([true, undefined]);
      expect(quiet(size(0, 1048575))).toEqual([true, undefined]);
      expect(size(1048576, 2 * 1048576 + 1).passed).toBe(false);
    });
    it('sizeFloorMiB sets that floor; 0 judges every change by % alone', () => {
      expect(quiet(size(65_536, 85_000, { ...TOL, sizeFloorMiB: 0 }))).toEqual([true, expect.stringMatching(/^database size \+29\.7 %/)]);
      expect(size(65_536, 163_840, { ...TOL, sizeFloorMiB: 0 }).passed).toBe(false);
      expect(size(10 * 1048576, 13 * 1048576, { ...TOL, sizeFloorMiB: 4 }).warning).toBeUndefined();
      expect(size(65_536, 163_840, { ...TOL, sizeFloorMiB: 0 }).expected).toBe('within ±20 % (warning) / ±50 % (critical) of the last good drill');
    });
  });

  describe('table rows', () => {
    const rows = (before: Record<string, number>, after: Record<string, number>, tol = TOL) => compareFingerprints(fp({ rows: before }), fp({ rows: after }), tol).filter((c) => c.name.startsWith('drift table'));
    it('a table emptied fails, naming the table with its before/after counts', () => {
      const [c, ...rest] = rows({ 'public.orders': 250 }, { 'public.orders': 0 });
      expect(rest).toEqual([]);
      expect(c).toMatchObject({ name: 'drift table public.orders rows', passed: false, expected: 'at most 50 % fewer rows than at the last good drill' });
      expect(c.observed).toBe('0 rows, -100.0 % from 250 rows at the last good drill (2026-11-22T02:00:00.000Z)');
    });
    it('exactly at the tolerance (half the rows left) passes; one row fewer fails', () => {
      expect(rows({ 'public.orders': 100 }, { 'public.orders': 50 })).toEqual([expect.objectContaining({ name: 'drift table rows', passed: true })]);
      expect(rows({ 'public.orders': 100 }, { 'public.orders': 49 })[0].passed).toBe(false);
    });
    it('0 -> 0 rows passes; growth passes', () => {
      expect(rows({ 'public.a': 0, 'public.b': 5 }, { 'public.a': 0, 'public.b': 500 })).toEqual([
        expect.objectContaining({ passed: true, observed: '2 table(s) compared, none lost more than 50 % of its rows' }),
      ]);
    });
    it('a new table is no row failure', () => expect(rows({ 'public.a': 5 }, { 'public.a': 5, 'public.b': 0 })[0].passed).toBe(true));
    it('a dropped table that had rows lost them all: it fails', () => {
      const [c] = rows({ 'public.a': 5, 'public.b': 7 }, { 'public.a': 5 });
      expect(c).toMatchObject({ name: 'drift table public.b rows', passed: false, observed: 'table is gone; it had 7 rows at the last good drill (2026-11-22T02:00:00.000Z)' });
    });
    it('a dropped empty table lost nothing', () => expect(rows({ 'public.a': 5, 'public.b': 0 }, { 'public.a': 5 })[0].passed).toBe(true));
    it('every shrunk table gets its own failed check', () => {
      expect(rows({ 'public.a': 10, 'public.b': 10, 'public.c': 10 }, { 'public.a': 1, 'public.b': 10, 'public.c': 2 }).map((c) => c.name)).toEqual(['drift table public.a rows', 'drift table public.c rows']);
    });
    it('a table left uncounted this time (beyond the bound) is not called dropped', () => {
      const cur = { ...fp({ rows: { 'public.a': 5 } }), omittedTables: 1 };
      expect(compareFingerprints(fp({ rows: { 'public.a': 5, 'public.b': 7 } }), cur, TOL).filter((c) => !c.passed)).toEqual([]);
    });
  });

  describe('schema', () => {
    const withColumns = (columns: string[], extra: Record<string, TableSchema> = {}) =>
      fp({ tables: { 'public.orders': tableSchema(columns, ['orders_pkey CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)'], ['orders_pkey p PRIMARY KEY (id)']), ...extra } });
    const base = withColumns(['id integer NOT NULL', 'total numeric']);

    it('an added column is a warning by default, named', () => {
      const c = named(compareFingerprints(base, withColumns(['id integer NOT NULL', 'total numeric', 'note text']), TOL), 'drift schema')!;
      expect(c).toMatchObject({ passed: true, observed: 'table public.orders: column added: note text', warning: 'schema changed: table public.orders: column added: note text' });
    });
    it('removed and changed columns, indexes, constraints and tables are each named', () => {
      const before = fp({ tables: { 'public.orders': ORDERS(), 'public.old': tableSchema(['id integer'], [], []) } });
      const after = fp({
        tables: {
          'public.orders': tableSchema(['id bigint NOT NULL'], ['orders_total CREATE INDEX orders_total ON public.orders USING btree (total)'], ['orders_pkey p PRIMARY KEY (id, total)']),
          'public.fresh': tableSchema(['id integer'], [], []),
        },
      });
      expect(schemaChanges(before, after)).toEqual([
        'table added: public.fresh',
        'table removed: public.old',
        'table public.orders: column removed: total numeric',
        'table public.orders: column changed: id integer NOT NULL -> id bigint NOT NULL',
        'table public.orders: index added: orders_total CREATE INDEX orders_total ON public.orders USING btree (total)',
        'table public.orders: index removed: orders_pkey CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)',
        'table public.orders: constraint changed: orders_pkey p PRIMARY KEY (id) -> orders_pkey p PRIMARY KEY (id, total)',
      ]);
    });
    it('schemaChange fail: a change fails the drill', () => {
      const c = named(compareFingerprints(base, withColumns(['id integer NOT NULL']), { ...TOL, schemaChange: 'fail' }), 'drift schema')!;
      expect(c).toMatchObject({ passed: false, observed: 'table public.orders: column removed: total numeric' });
    });
    it('schemaChange ignore: no schema check', () => {
      expect(named(compareFingerprints(base, withColumns(['x int']), { ...TOL, schemaChange: 'ignore' }), 'drift schema')).toBeUndefined();
    });
    it('column order does not matter: same hash', () => expect(tableSchema(['a', 'b'], [], []).hash).toBe(tableSchema(['b', 'a'], [], []).hash));
    it('a table whose lists were dropped by the bound is still seen to change, without detail', () => {
      const before = boundFingerprint(base, 10);
      expect(before.schema.tables['public.orders'].detail).toBe(false);
      expect(schemaChanges(before, withColumns(['id integer NOT NULL']))).toEqual([expect.stringContaining('table public.orders: columns, indexes or constraints changed (detail not kept')]);
      expect(schemaChanges(before, base)).toEqual([]);
    });
  });
});

describe('boundFingerprint', () => {
  it('leaves a small fingerprint alone and trims the largest tables first until it fits', () => {
    const small = fp();
    expect(boundFingerprint(small, 100_000)).toBe(small);
    const big = tableSchema(Array.from({ length: 200 }, (_, i) => `column_${i} character varying(255)`), [], []);
    const f = fp({ rows: { 'public.big': 1, 'public.orders': 1 }, tables: { 'public.big': big, 'public.orders': ORDERS() } });
    const bounded = boundFingerprint(f, 2_000);
    expect(JSON.stringify(bounded).length).toBeLessThanOrEqual(2_000);
    expect(bounded.schema.tables['public.big'].detail).toBe(false);
    expect(bounded.schema.tables['public.orders'].columns).toHaveLength(2);
    expect(bounded.schema.hash).toBe(f.schema.hash);
  });
});

it('fingerprint keys: latest and a dated history object per database under fingerprints/', () => {
  expect(fingerprintKeys('orders', '2026-11-22T02:00:00.123Z')).toEqual({
    latest: 'fingerprints/orders/latest.json',
    history: 'fingerprints/orders/history/2026-11-22T02-00-00-123Z.json',
  });
});

it('parseFingerprint accepts what collection writes and names the field of what it refuses', () => {
  const good = JSON.parse(JSON.stringify(fp())) as unknown;
  expect(parseFingerprint(good)).toEqual({ fingerprint: good });
  expect(parseFingerprint({ ...fp(), rows: { 'public.orders': -1 } })).toEqual({ invalid: expect.stringMatching(/^rows\.public\.orders: /) });
  expect(parseFingerprint(undefined)).toEqual({ invalid: expect.stringMatching(/^\(root\): /) });
});
