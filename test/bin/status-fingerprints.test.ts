import { describe, expect, it } from 'vitest';
import { fingerprintLines, readFingerprints } from '../../bin/cli/status-fingerprints.js';
import { schemaHash, tableSchema, type Fingerprint } from '../../lambdas/core/fingerprint.js';
import { InMemoryFingerprintStore } from '../lambdas/core/in-memory-fingerprint-store.js';

const fp = (capturedAt: string, rows: Record<string, number>, sizeBytes: number, omittedTables?: number): Fingerprint => {
  const tables = Object.fromEntries(Object.keys(rows).map((t) => [t, tableSchema(['id integer'], [], [])]));
  return { capturedAt, sizeBytes, rows, schema: { tables, hash: schemaHash(tables) }, ...(omittedTables && { omittedTables }) };
};
const NOW = new Date('2026-11-30T12:00:00Z');

describe('rds-dr status: drift fingerprints', () => {
  it('a summary line (it joins the status summary), then each drilled database by name: time, tables, total rows, size; a database without a baseline says so', async () => {
    const store = new InMemoryFingerprintStore();
    await store.record('orders', fp('2026-11-29T12:00:00.000Z', { 'public.orders': 250, 'public.events': 400 }, 7_798_119));
    await store.record('billing', fp('2026-11-23T12:00:00.000Z', { 'public.invoices': 10 }, 1_048_576, 3));
    const entries = await readFingerprints(['orders', 'ledger', 'billing'], store);
    expect(fingerprintLines(entries, NOW, { listUpTo: 20 })).toEqual([
      '  drift fingerprints (last good drill) of 3 drilled: 2 recorded, 1 without a baseline yet; oldest 7d ago',
      '    billing: 2026-11-23T12:00:00.000Z (7d ago), 1 tables (+3 not counted), 10 rows, 1.0 MiB',
      '    ledger: no baseline yet (no passing drill since drift checks began)',
      '    orders: 2026-11-29T12:00:00.000Z (24h ago), 2 tables, 650 rows, 7.4 MiB',
    ]);
  });

  it('a large fleet gets the summary line only (the status footer says how to list all), unless --all', async () => {
    const store = new InMemoryFingerprintStore();
    const dbs = Array.from({ length: 25 }, (_, i) => `db${String(i).padStart(2, '0')}`);
    for (const db of dbs) await store.record(db, fp('2026-11-30T11:00:00.000Z', { 'public.t': 1 }, 0));
    const entries = await readFingerprints(dbs, store);
    expect(entries).toHaveLength(25);
    expect(fingerprintLines(entries, NOW, { listUpTo: 20 })).toEqual([
      '  drift fingerprints (last good drill) of 25 drilled: 25 recorded, 0 without a baseline yet; oldest 60m ago',
    ]);
    expect(fingerprintLines(entries, NOW, { listUpTo: 20, all: true })).toHaveLength(1 + 25);
  });

  it('no drilled database: nothing', () => expect(fingerprintLines([], NOW, { listUpTo: 20 })).toEqual([]));
});
