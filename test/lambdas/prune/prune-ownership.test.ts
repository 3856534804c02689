// Two prune deployments, one owner per snapshot (lambdas/core/retention/ownership.ts): the DR one
// plans the DR backup's own snapshots of failed-over databases, the primary one everything else.
import { describe, expect, it } from 'vitest';
import { pruneOwnerOf } from '../../../lambdas/core/retention/ownership.js';
import type { DescribedSnapshot } from '../../../lambdas/core/snapshots.js';
import { pruneRoute } from '../../../lambdas/prune/prune-route.js';
import { planInventory } from '../../../lambdas/prune/retention-inventory.js';
import { DEFAULT_RETENTION } from '../settings-fixtures.js';

const PRIMARY = 'us-east-1';
const DR = 'us-west-2';
const REGIONS = { primary: PRIMARY, dr: DR };
const NOW = new Date('2026-11-30T12:00:00Z');

/** A managed daily snapshot `daysAgo` before NOW of `db` (its source in `sourceRegion`), found in `region`. */
const snapshot = (region: string, sourceRegion: string, db: string, daysAgo: number, extra: Record<string, string> = {}): DescribedSnapshot & { region: string } => {
  const slot = new Date(Date.parse('2026-11-30T02:00:00Z') - daysAgo * 86_400_000).toISOString();
  const id = `rdsdr-${db}-${slot.replace(/[-:T]/g, '').slice(0, 12)}`;
  const tags = { 'rds-dr:managed': 'true', 'rds-dr:policy': 'gold', 'rds-dr:source-arn': `arn:aws:rds:${sourceRegion}:1:db:${db}`, 'rds-dr:slot': slot, ...extra };
  return {
    id, arn: `arn:aws:rds:${region}:1:snapshot:${id}`, kind: 'instance', status: 'available', sourceDbId: db, encrypted: true, engine: 'postgres',
    createdAt: slot, tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })), region,
  };
};

describe('pruneOwnerOf', () => {
  it('gives the DR prune only snapshots in the DR region of a database in the DR region', () => {
    expect(pruneOwnerOf(snapshot(DR, DR, 'orders-replica', 0), REGIONS)).toBe('dr');
    // A DR copy of a primary database, and the DR backup's copy back into the primary region: the primary's.
    expect(pruneOwnerOf(snapshot(DR, PRIMARY, 'orders', 0), REGIONS)).toBe('primary');
    expect(pruneOwnerOf(snapshot(PRIMARY, DR, 'orders-replica', 0), REGIONS)).toBe('primary');
    expect(pruneOwnerOf(snapshot(PRIMARY, PRIMARY, 'orders', 0), REGIONS)).toBe('primary');
    // No source tag (not rds-dr's, never deleted anyway): left where it always was.
    expect(pruneOwnerOf({ region: DR, tags: [] }, REGIONS)).toBe('primary');
    expect(pruneOwnerOf({ region: DR, tags: [{ Key: 'rds-dr:source-arn', Value: 'orders-replica' }] }, REGIONS)).toBe('primary');
  });
});

describe('planInventory by deployment', () => {
  // 6 daily snapshots of each lineage; the DR retention keeps 2 days (minimum 1).
  const retention = { gold: { ...DEFAULT_RETENTION, primary: { daily: 3, weekly: 0, monthly: 0, yearly: 0, minimum: 1 }, dr: { daily: 2, weekly: 0, monthly: 0, yearly: 0, minimum: 1 } } };
  const days = [0, 1, 2, 3, 4, 5];
  const snapshots = [
    ...days.map((d) => snapshot(DR, DR, 'orders-replica', d)),
    ...days.map((d) => snapshot(DR, PRIMARY, 'orders', d + 10)),
    ...days.map((d) => snapshot(PRIMARY, DR, 'orders-replica', d)),
    ...days.map((d) => snapshot(PRIMARY, PRIMARY, 'orders', d + 10)),
  ];
  const inventory = { snapshots, existingDatabases: new Set(['orders', 'orders-replica']), inUseByVerification: new Set<string>() };
  const deleted = (role: 'primary' | 'dr') => planInventory(inventory, retention, REGIONS, NOW, role).filter((d) => d.action === 'delete').map((d) => `${d.snapshot.region} ${d.snapshot.id}`).sort();

  it('the DR deployment deletes only the DR backup\'s own snapshots beyond retention, keeping the newest', () => {
    expect(deleted('dr')).toEqual(['202611260200', '202611270200', '202611280200', '202611250200'].sort().map((s) => `${DR} rdsdr-orders-replica-${s}`));
    const decisions = planInventory(inventory, retention, REGIONS, NOW, 'dr');
    const newest = decisions.find((d) => d.snapshot.id === 'rdsdr-orders-replica-202611300200');
    expect(newest?.action).toBe('keep');
    // The others are in the plan (they count against the quota) as kept, saying who decides about them.
    expect(decisions.filter((d) => d.snapshot.dbId === 'orders').every((d) => d.action === 'keep' && /primary region's prune/.test(d.reasons.join()))).toBe(true);
  });

  it('the primary deployment never plans the DR backup\'s own snapshots, and prunes everything else as before', () => {
    const primary = deleted('primary');
    expect(primary.filter((id) => id.startsWith(`${DR} rdsdr-orders-replica`))).toEqual([]);
    // 6 - 2 kept DR copies of orders; 6 - 3 primary snapshots of orders; 6 - 3 primary-region copies of the DR backup (primary retention).
    expect(primary.filter((id) => id.startsWith(`${DR} rdsdr-orders-`))).toHaveLength(4);
    expect(primary.filter((id) => id.startsWith(`${PRIMARY} rdsdr-orders-replica-`))).toHaveLength(3);
    expect(primary.filter((id) => /^us-east-1 rdsdr-orders-\d/.test(id))).toHaveLength(3);
    const kept = planInventory(inventory, retention, REGIONS, NOW, 'primary').filter((d) => d.snapshot.region === DR && d.snapshot.dbId === 'orders-replica');
    expect(kept.map((d) => d.reasons)).toEqual(days.map(() => [expect.stringMatching(/DR region's prune decides/)]));
  });
});

describe('pruneRoute', () => {
  it('the DR deployment runs and looks in the DR region only; the primary one (also when unset) in both', () => {
    expect(pruneRoute({ pruneRole: 'dr', primaryRegion: PRIMARY, drRegion: DR })).toEqual({ role: 'dr', homeRegion: DR, regions: [DR] });
    expect(pruneRoute({ primaryRegion: PRIMARY, drRegion: DR })).toEqual({ role: 'primary', homeRegion: PRIMARY, regions: [PRIMARY, DR] });
  });
});
