import { describe, expect, it } from 'vitest';
import type { DbClusterInfo, DbInstanceInfo } from '../../../lambdas/core/fleet.js';
import { selectDatabases } from '../../../lambdas/core/selection.js';
import type { PolicySettings } from '../../../lambdas/core/settings.js';
import { DEFAULT_RETENTION } from '../settings-fixtures.js';

const gold = [{ Key: 'rds-dr:policy', Value: 'gold' }];
const inst = (id: string, extra: Partial<DbInstanceInfo> = {}): DbInstanceInfo => ({
  id, arn: `arn:aws:rds:us-east-1:1:db:${id}`, engine: 'postgres', status: 'available', tags: [], ...extra,
});
const cluster = (id: string, extra: Partial<DbClusterInfo> = {}): DbClusterInfo => ({
  id, arn: `arn:aws:rds:us-east-1:1:cluster:${id}`, engine: 'aurora-postgresql', status: 'available', tags: [], ...extra,
});
const policy = (selection: Partial<PolicySettings['selection']>): PolicySettings => ({
  selection: { tags: {}, instances: [], clusters: [], ...selection },
  maxConcurrency: 5, maxCopiesInFlight: 5, snapshotTimeoutSeconds: 3600, copyTimeoutSeconds: 3600, retention: DEFAULT_RETENTION,
});

describe('selectDatabases', () => {
  const fleet = {
    instances: [
      inst('orders', { tags: gold }),
      inst('untagged'),
      inst('orders-replica', { tags: gold, replicaSource: 'orders' }),
      inst('ledger-writer', { tags: gold, engine: 'aurora-postgresql', clusterId: 'ledger' }),
      inst('graph', { tags: gold, engine: 'neptune' }),
    ],
    clusters: [cluster('ledger', { tags: gold }), cluster('ledger-dr', { tags: gold, replicaSource: 'arn:...:cluster:x' }), cluster('docs', { tags: gold, engine: 'docdb' })],
  };

  it('selects tagged primaries and clusters, not replicas, cluster members or non-RDS engines', () => {
    const { selected, missing } = selectDatabases(fleet, policy({ tags: { 'rds-dr:policy': 'gold' } }));
    expect(selected.map((d) => `${d.kind}:${d.id}`)).toEqual(['instance:orders', 'cluster:ledger']);
    expect(missing).toEqual([]);
  });

  it('skips the original a rename cutover set aside (rds-dr:replaced-by), though it keeps the policy tags', () => {
    const withReplaced = { ...fleet, instances: [...fleet.instances, inst('orders-replaced-202611231200', { tags: [...gold, { Key: 'rds-dr:replaced-by', Value: 'arn:exec' }] })] };
    expect(selectDatabases(withReplaced, policy({ tags: { 'rds-dr:policy': 'gold' } })).selected.map((d) => d.id)).toEqual(['orders', 'ledger']);
  });

  it('requires every configured tag to match', () => {
    const { selected } = selectDatabases(fleet, policy({ tags: { 'rds-dr:policy': 'gold', team: 'payments' } }));
    expect(selected).toEqual([]);
  });

  it('selects explicit identifiers and reports named ones that are missing or unprotectable', () => {
    const { selected, missing } = selectDatabases(fleet, policy({ instances: ['untagged', 'gone', 'orders-replica'], clusters: ['ledger', 'nope'] }));
    expect(selected.map((d) => d.id)).toEqual(['untagged', 'ledger']);
    expect(missing).toEqual([
      { id: 'orders-replica', kind: 'instance', reason: 'configured instance is a read replica of orders; protect the source instead' },
      { id: 'gone', kind: 'instance', reason: 'configured DB instance not found in the primary region' },
      { id: 'nope', kind: 'cluster', reason: 'configured DB cluster not found in the primary region' },
    ]);
  });

  it('reports a selection that matches nothing instead of succeeding quietly', () => {
    const { selected, missing } = selectDatabases(fleet, policy({ tags: { 'rds-dr:policy': 'glod' } }));
    expect(selected).toEqual([]);
    expect(missing).toHaveLength(1);
    expect(missing[0].reason).toMatch(/^no database matched the selection/);
  });
});
