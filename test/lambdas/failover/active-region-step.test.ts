import { describe, expect, it } from 'vitest';
import type { ActiveRegionRecord } from '../../../lambdas/core/active-region.js';
import type { Tag } from '../../../lambdas/core/snapshots.js';
import { promotedDatabaseTags, recordActiveRegion } from '../../../lambdas/failover/active-region-step.js';
import type { FailoverPlan } from '../../../lambdas/failover/failover-plan.js';
import { policy } from '../settings-fixtures.js';

const plan = {
  db: 'orders', reason: 'INC-1', dryRun: false, force: false, kind: 'instance', executionArn: 'arn:aws:states:us-west-2:1:execution:rds-dr-failover:x',
  primaryRegion: 'us-east-1', drRegion: 'us-west-2', primaryArn: 'arn:aws:rds:us-east-1:1:db:orders',
  standby: { type: 'replica', id: 'orders-replica', arn: 'arn:aws:rds:us-west-2:1:db:orders-replica' },
  maxReplicaLagSeconds: 60, waitTimeoutSeconds: 600, protection: 'tags',
} satisfies FailoverPlan;
const policies = {
  gold: policy({ selection: { tags: { 'rds-dr:policy': 'gold' }, instances: [], clusters: [] } }),
  team: policy({ selection: { tags: { team: 'pay', tier: '1' }, instances: [], clusters: [] } }),
  named: policy({ selection: { tags: {}, instances: ['orders'], clusters: [] } }),
};

function fakeDeps(primaryTags: Tag[] | undefined, copyPolicies: string[] = []) {
  const records = new Map<string, ActiveRegionRecord>();
  const tagged: { arn: string; tags: Tag[] }[] = [];
  return {
    records,
    tagged,
    deps: {
      primaryTags: async () => primaryTags,
      drCopyPolicies: async (db: string) => (db === 'orders' ? copyPolicies : []),
      tagDatabase: async (arn: string, tags: Tag[]) => void tagged.push({ arn, tags }),
      readRecord: async (db: string) => records.get(db),
      writeRecord: async (db: string, r: ActiveRegionRecord) => (records.set(db, r), `/rds-dr/active-region/${db}`),
    },
  };
}

describe('recording the active region after a failover', () => {
  it('copies only the tags a policy selects by, plus rds-dr:failover-of', () => {
    const tags = promotedDatabaseTags('orders', [{ Key: 'rds-dr:policy', Value: 'gold' }, { Key: 'owner', Value: 'pay' }], policies);
    expect(tags).toEqual([{ Key: 'rds-dr:failover-of', Value: 'orders' }, { Key: 'rds-dr:policy', Value: 'gold' }]);
  });

  it('tags the promoted standby and writes {region: DR, since, by}; a re-run keeps the first record', async () => {
    const f = fakeDeps([{ Key: 'rds-dr:policy', Value: 'gold' }]);
    const first = await recordActiveRegion(plan, policies, f.deps, () => new Date('2026-11-30T09:00:00Z'));
    expect(first.step.outcome).toBe('done');
    expect(f.records.get('orders')).toEqual({ region: 'us-west-2', since: '2026-11-30T09:00:00.000Z', by: plan.executionArn });
    expect(f.tagged).toEqual([{ arn: plan.standby.arn, tags: [{ Key: 'rds-dr:failover-of', Value: 'orders' }, { Key: 'rds-dr:policy', Value: 'gold' }] }]);
    const again = await recordActiveRegion({ ...plan, executionArn: 'other' }, policies, f.deps, () => new Date('2026-11-30T10:00:00Z'));
    expect(again.step.outcome).toBe('already-done');
    expect(f.records.get('orders')?.since).toBe('2026-11-30T09:00:00.000Z');
  });

  it('an unreadable primary: the selection tags of the policies whose DR copies of the database exist stand in for its tags', async () => {
    const f = fakeDeps(undefined, ['gold', 'team', 'named']);
    const out = await recordActiveRegion(plan, policies, f.deps, () => new Date());
    expect(out.tagged).toEqual([
      { Key: 'rds-dr:failover-of', Value: 'orders' },
      { Key: 'rds-dr:policy', Value: 'gold' },
      { Key: 'team', Value: 'pay' },
      { Key: 'tier', Value: '1' },
    ]);
    expect(f.tagged[0].tags).toEqual(out.tagged);
    expect(out.step.detail).toMatch(/primary's tags could not be read .*so the selection tags of policies gold, team, whose copies of orders are in us-west-2, stand in for them/);
  });

  it('a readable primary: its own tags win over the DR copies\' policies', async () => {
    const f = fakeDeps([{ Key: 'team', Value: 'pay' }], ['gold']);
    const out = await recordActiveRegion(plan, policies, f.deps, () => new Date());
    expect(out.tagged).toEqual([{ Key: 'rds-dr:failover-of', Value: 'orders' }, { Key: 'team', Value: 'pay' }]);
  });

  it('an unreadable primary with no DR copies still records and tags, and says which tags are missing', async () => {
    const f = fakeDeps(undefined);
    const out = await recordActiveRegion(plan, policies, f.deps, () => new Date());
    expect(f.records.get('orders')?.region).toBe('us-west-2');
    expect(out.tagged).toEqual([{ Key: 'rds-dr:failover-of', Value: 'orders' }]);
    expect(out.step.detail).toMatch(/primary's tags could not be read/);
  });

  it('a dry run changes nothing', async () => {
    const f = fakeDeps([]);
    const out = await recordActiveRegion({ ...plan, dryRun: true }, policies, f.deps, () => new Date());
    expect(out.step.outcome).toBe('would-do');
    expect(f.records.size).toBe(0);
    expect(f.tagged).toEqual([]);
  });
});
