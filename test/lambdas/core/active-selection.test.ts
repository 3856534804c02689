import { describe, expect, it } from 'vitest';
import { selectActiveInDr, selectActiveInPrimary } from '../../../lambdas/core/active-selection.js';
import type { DbInstanceInfo } from '../../../lambdas/core/fleet.js';
import { readActiveRegions } from '../../../lambdas/backup/active-regions.js';
import { policy } from '../settings-fixtures.js';

const PRIMARY = 'us-east-1';
const DR = 'us-west-2';
const GOLD = [{ Key: 'rds-dr:policy', Value: 'gold' }];
const instance = (id: string, region: string, tags = GOLD, extra: Partial<DbInstanceInfo> = {}): DbInstanceInfo => ({
  id, arn: `arn:aws:rds:${region}:1:db:${id}`, engine: 'postgres', status: 'available', tags, ...extra,
});
const gold = policy();
const ids = (s: { selected: { id: string }[] }) => s.selected.map((d) => d.id);

describe('discovery follows the active region', () => {
  const primaryFleet = { instances: [instance('orders', PRIMARY), instance('billing', PRIMARY)], clusters: [] };
  const failedOver = new Map([['orders', DR]]);

  it('the primary backs up only what is active there; no record means primary', () => {
    expect(ids(selectActiveInPrimary(primaryFleet, gold, new Map(), PRIMARY))).toEqual(['orders', 'billing']);
    const s = selectActiveInPrimary(primaryFleet, gold, failedOver, PRIMARY);
    expect(ids(s)).toEqual(['billing']);
    expect(s.activeElsewhere).toEqual([{ id: 'orders', region: DR }]);
    // A record written back to the primary (failback) makes it the primary's again.
    expect(ids(selectActiveInPrimary(primaryFleet, gold, new Map([['orders', PRIMARY]]), PRIMARY))).toEqual(['orders', 'billing']);
  });

  it('a named database gone from the primary because it is active elsewhere is not missing, nor is an empty selection', () => {
    const named = policy({ selection: { tags: {}, instances: ['orders'], clusters: [] } });
    expect(selectActiveInPrimary({ instances: [], clusters: [] }, named, failedOver, PRIMARY).missing).toEqual([]);
    expect(selectActiveInPrimary({ instances: [], clusters: [] }, named, new Map(), PRIMARY).missing.map((m) => m.id)).toEqual(['orders']);
    expect(selectActiveInPrimary({ instances: [], clusters: [] }, gold, failedOver, PRIMARY).missing).toEqual([]);
  });

  const drFleet = {
    instances: [
      instance('orders-replica', DR, [...GOLD, { Key: 'rds-dr:failover-of', Value: 'orders' }]),
      // Still a replica of billing: not promoted, not ours.
      instance('billing-replica', DR, GOLD, { replicaSource: 'arn:aws:rds:us-east-1:1:db:billing' }),
      // Promoted once, failed back since (its record says primary): not the DR region's to back up.
      instance('ledger-old', DR, [...GOLD, { Key: 'rds-dr:failover-of', Value: 'ledger' }]),
      // An unrelated database of the DR region carrying the policy tag.
      instance('analytics', DR),
    ],
    clusters: [],
  };

  it('the DR region backs up only promoted databases whose record says DR, and only for a policy that protects them', () => {
    const records = new Map([['orders', DR], ['ledger', PRIMARY]]);
    expect(ids(selectActiveInDr(drFleet, gold, records, DR))).toEqual(['orders-replica']);
    expect(ids(selectActiveInDr(drFleet, gold, new Map(), DR))).toEqual([]);
    expect(selectActiveInDr(drFleet, gold, new Map(), DR).missing).toEqual([]);
    const silver = policy({ selection: { tags: { 'rds-dr:policy': 'silver' }, instances: [], clusters: [] } });
    expect(ids(selectActiveInDr(drFleet, silver, records, DR))).toEqual([]);
    // Named by identifier: found by its failover-of tag even without the policy tags.
    const named = policy({ selection: { tags: {}, instances: ['orders'], clusters: [] } });
    const untagged = { instances: [instance('orders-replica', DR, [{ Key: 'rds-dr:failover-of', Value: 'orders' }])], clusters: [] };
    expect(ids(selectActiveInDr(untagged, named, records, DR))).toEqual(['orders-replica']);
  });

  it('a named database recorded as active in DR with no promoted database there is a failure', () => {
    const named = policy({ selection: { tags: {}, instances: ['orders'], clusters: [] } });
    const s = selectActiveInDr({ instances: [], clusters: [] }, named, new Map([['orders', DR]]), DR);
    expect(s.missing).toEqual([{ id: 'orders', kind: 'instance', reason: expect.stringMatching(/tagged rds-dr:failover-of=orders/) }]);
  });

  it('an unreadable DR region: the primary goes on with its own databases, the DR deployment fails', async () => {
    const down = { readAll: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' })) };
    const warnings: string[] = [];
    const log = { warn: (m: string) => void warnings.push(m) };
    expect(await readActiveRegions(down, 'primary', log)).toEqual(new Map());
    expect(warnings[0]).toMatch(/unreadable/);
    await expect(readActiveRegions(down, 'dr', log)).rejects.toThrow(/ECONNREFUSED/);
    const garbled = { readAll: async () => ({ records: new Map([['orders', { region: DR, since: '2026-11-30T00:00:00Z', by: 'x' }]]), garbled: [{ name: '/rds-dr/active-region/x', error: 'not JSON' }] }) };
    expect(await readActiveRegions(garbled, 'primary', log)).toEqual(new Map([['orders', DR]]));
    expect(warnings).toContain('active-region record ignored');
  });
});
