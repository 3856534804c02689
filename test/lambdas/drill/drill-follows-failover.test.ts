// A drill of a database a failover made active in the DR region restores that database's own
// snapshots there (the DR backup's), not the stale copies from before the failover.
import { describe, expect, it } from 'vitest';
import { promotedActiveIn } from '../../../lambdas/core/active-selection.js';
import type { Fleet } from '../../../lambdas/core/fleet.js';
import type { SnapshotInfo } from '../../../lambdas/core/snapshots.js';
import { drillSnapshot } from '../../../lambdas/drill/drill-plan.js';
import { readPromotedSources } from '../../../lambdas/drill/promoted-sources.js';

const PRIMARY = 'us-east-1';
const DR = 'us-west-2';
const snap = (id: string, sourceDb: string, sourceRegion: string, createdAt: string, status = 'available'): SnapshotInfo => ({
  id, arn: `arn:aws:rds:${DR}:1:snapshot:${id}`, kind: 'instance', status, sourceDbId: sourceDb, encrypted: true, createdAt,
  tags: [{ Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:${sourceRegion}:1:db:${sourceDb}` }],
});
const db = (id: string, tags: Record<string, string> = {}, extra: object = {}) => ({
  id, arn: `arn:aws:rds:${DR}:1:db:${id}`, engine: 'postgres', status: 'available', tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })), ...extra,
});

describe('drillSnapshot', () => {
  const copies = [snap('rdsdr-orders-202611280200', 'orders', PRIMARY, '2026-11-28T04:00:00Z'), snap('rdsdr-orders-202611290200', 'orders', PRIMARY, '2026-11-29T04:00:00Z')];
  const own = [
    snap('rdsdr-orders-replica-202611300200', 'orders-replica', DR, '2026-11-30T02:05:00Z'),
    snap('rdsdr-orders-replica-202611290900', 'orders-replica', DR, '2026-11-29T09:05:00Z'),
    snap('rdsdr-orders-replica-202612010200', 'orders-replica', DR, '2026-12-01T02:05:00Z', 'creating'),
  ];

  it('picks the promoted database\'s newest available snapshot while the database is active here', () => {
    expect(drillSnapshot([...copies, ...own], 'orders', ['orders-replica'])?.id).toBe('rdsdr-orders-replica-202611300200');
  });
  it('even when a copy from before the failover was made later (copies are dated when they land)', () => {
    const lateCopy = snap('rdsdr-orders-202611290100', 'orders', PRIMARY, '2026-12-02T00:00:00Z');
    expect(drillSnapshot([...copies, lateCopy, ...own], 'orders', ['orders-replica'])?.id).toBe('rdsdr-orders-replica-202611300200');
  });
  it('falls back to the newest copy of the database before the promoted one has a snapshot, and without a failover', () => {
    expect(drillSnapshot([...copies, own[2]], 'orders', ['orders-replica'])?.id).toBe('rdsdr-orders-202611290200');
    expect(drillSnapshot([...copies, ...own], 'orders')?.id).toBe('rdsdr-orders-202611290200');
    expect(drillSnapshot(own, 'billing', [])).toBeUndefined();
  });
});

describe('promotedActiveIn / readPromotedSources', () => {
  const fleet: Fleet = {
    instances: [
      db('orders-replica', { 'rds-dr:failover-of': 'orders' }),
      // Failed back: the record says primary again, its old promoted database is not the live one.
      db('ledger-old', { 'rds-dr:failover-of': 'ledger' }),
      db('billing-replica', {}, { replicaSource: `arn:aws:rds:${PRIMARY}:1:db:billing` }),
      db('scratch'),
    ],
    clusters: [],
  };
  const records = new Map([['orders', DR], ['ledger', PRIMARY]]);

  it('maps each database active in the region to its promoted database, and nothing else', () => {
    expect(promotedActiveIn(fleet, records, DR)).toEqual(new Map([['orders', ['orders-replica']]]));
    expect(promotedActiveIn(fleet, new Map(), DR)).toEqual(new Map());
  });

  const readout = (entries: [string, string][]) => ({
    readAll: async () => ({ records: new Map(entries.map(([d, region]) => [d, { region, since: '2026-11-29T10:00:00Z', by: 'arn:aws:states:x' }])), garbled: [{ name: '/app/active-region/bad', error: 'not JSON' }] }),
  });

  it('reads the region\'s records, lists the fleet only when one points here, and logs garbled records', async () => {
    let listed = 0;
    const warned: string[] = [];
    const log = { warn: (m: string) => void warned.push(m) };
    const lister = { list: async () => (listed++, fleet) };
    expect(await readPromotedSources(readout([['ledger', PRIMARY]]), lister, DR, log)).toEqual(new Map());
    expect(listed).toBe(0);
    expect(await readPromotedSources(readout([['orders', DR]]), lister, DR, log)).toEqual(new Map([['orders', ['orders-replica']]]));
    expect(listed).toBe(1);
    expect(warned).toEqual(['active-region record ignored', 'active-region record ignored']);
  });

  it('fails when the region\'s own records cannot be read (rather than drill a database that is no longer live)', async () => {
    const broken = { readAll: async () => Promise.reject(new Error('AccessDeniedException')) };
    await expect(readPromotedSources(broken, { list: async () => fleet }, DR, { warn: () => {} })).rejects.toThrow(/AccessDenied/);
  });
});
