// The pure PITR assessment: requirements, the matching of the region-wide listings to the run's
// databases, and the verdict per database.
import { describe, expect, it } from 'vitest';
import {
  assessPitr,
  matchPitrFacts,
  neededListings,
  requirementFor,
  shouldStartReplication,
  worstFirst,
  type DrAutomatedBackup,
  type InstanceBackupSettings,
  type PitrFinding,
  type PitrInventory,
  type PitrRequirement,
  type ShortfallKind,
} from '../../../lambdas/core/pitr-readiness.js';

const P = 'us-east-1';
const DR = 'us-west-2';
const dbArn = (id: string, region = P) => `arn:aws:rds:${region}:123456789012:db:${id}`;
const clusterArn = (id: string) => `arn:aws:rds:${P}:123456789012:cluster:${id}`;
const instance = (id: string) => ({ id, arn: dbArn(id), kind: 'instance' as const });
const cluster = (id: string) => ({ id, arn: clusterArn(id), kind: 'cluster' as const });
const orders = instance('orders');
const ledger = cluster('ledger');
const req = (over: Partial<PitrRequirement> = {}): PitrRequirement => ({ minRetentionDays: 7, replicateToDr: false, enforce: false, ...over });
const listed = (id: string, over: Partial<InstanceBackupSettings> = {}): InstanceBackupSettings => ({ arn: dbArn(id), dbiResourceId: `db-${id.toUpperCase()}`, retentionDays: 7, replicationRegions: [], ...over });
const replica = (id: string, over: Partial<DrAutomatedBackup> = {}): DrAutomatedBackup => ({ sourceArn: dbArn(id), dbiResourceId: `db-${id.toUpperCase()}`, status: 'replicating', retentionDays: 7, ...over });
const factsOf = (findings: PitrFinding[]) => Object.fromEntries(findings.map((f) => [f.db.id, 'facts' in f ? f.facts : f.problem]));

describe('requirementFor', () => {
  it('per-database pitr, else incident.pitrMinRetentionDays, else 7', () => {
    const incident = { databases: { orders: { maxReplicaLagSeconds: 300, cutover: 'rename' as const, pitr: req({ minRetentionDays: 14, replicateToDr: true }) } }, waitTimeoutSeconds: 60, pitrMinRetentionDays: 10 };
    expect(requirementFor({ incident }, 'orders')).toEqual(req({ minRetentionDays: 14, replicateToDr: true }));
    expect(requirementFor({ incident }, 'billing')).toEqual(req({ minRetentionDays: 10 }));
    expect(requirementFor({}, 'billing')).toEqual(req());
  });
});

describe('neededListings', () => {
  it('lists clusters only when the run has one, and the DR region only when an instance asks for replication', () => {
    const none = () => req();
    expect(neededListings([orders], none)).toEqual({ instances: true, clusters: false, drBackups: false });
    expect(neededListings([ledger], () => req({ replicateToDr: true }))).toEqual({ instances: false, clusters: true, drBackups: false });
    expect(neededListings([orders, ledger], (db) => req({ replicateToDr: db === 'orders' }))).toEqual({ instances: true, clusters: true, drBackups: true });
  });
});

describe('matchPitrFacts: the listings matched to the run', () => {
  const run = [instance('a'), instance('b'), instance('c'), instance('d'), instance('e'), cluster('ledger'), instance('gone'), cluster('gone-cluster')];
  const inventory: PitrInventory = {
    instances: {
      items: [
        listed('a'),
        listed('b', { retentionDays: 3 }),
        // Replication as the source instance reports it (its DBInstanceAutomatedBackupsReplications).
        listed('c', { replicationRegions: [DR] }),
        // A source with no automated backups: retention 0, nothing in the DR region.
        listed('d', { retentionDays: 0 }),
        listed('e'),
        // Not in the run.
        listed('other'),
      ],
    },
    clusters: { items: [{ arn: clusterArn('ledger'), retentionDays: 14 }] },
    drBackups: {
      items: [
        // a: replicated, found by its DbiResourceId even though the ARN field differs.
        replica('a', { sourceArn: undefined, retentionDays: 10 }),
        // b: replicated, found by the source ARN.
        replica('b', { dbiResourceId: undefined, status: 'pending', retentionDays: undefined }),
        // e: only a retained backup (replication stopped): not replicated.
        replica('e', { status: 'retained' }),
        // DR-only leftovers: the DR region's own instance, a deleted source's retained backups, another source.
        { sourceArn: dbArn('dr-local', DR), dbiResourceId: 'db-DRLOCAL', status: 'active', retentionDays: 1 },
        replica('deleted-long-ago', { status: 'retained' }),
        replica('other'),
      ],
    },
  };

  it('instances and clusters by ARN; replication from the instance or from a running DR backup (DbiResourceId or source ARN); leftovers ignored', () => {
    expect(factsOf(matchPitrFacts(run, inventory, DR))).toEqual({
      a: { backupRetentionPeriod: 7, replicatedToDr: true, drRetentionDays: 10 },
      b: { backupRetentionPeriod: 3, replicatedToDr: true },
      c: { backupRetentionPeriod: 7, replicatedToDr: true },
      d: { backupRetentionPeriod: 0, replicatedToDr: false },
      e: { backupRetentionPeriod: 7, replicatedToDr: false },
      ledger: { backupRetentionPeriod: 14 },
      gone: { db: 'gone', kind: 'not-found', detail: expect.stringContaining('not found among the instances') },
      'gone-cluster': { db: 'gone-cluster', kind: 'not-found', detail: expect.stringContaining('not found among the clusters') },
    });
  });

  it('a replication to another region is not the DR region\'s', () => {
    const facts = factsOf(matchPitrFacts([orders], { instances: { items: [listed('orders', { replicationRegions: ['eu-west-1'] })] }, drBackups: { items: [] } }, DR));
    expect(facts.orders).toEqual({ backupRetentionPeriod: 7, replicatedToDr: false });
  });

  it('a failed listing makes only its own databases unreadable; a failed DR listing leaves replication unknown unless the instance says it', () => {
    const findings = matchPitrFacts([orders, instance('c'), ledger], { instances: { items: [listed('orders'), listed('c', { replicationRegions: [DR] })] }, clusters: { error: 'AccessDenied: no' }, drBackups: { error: 'Throttling: Rate exceeded' } }, DR);
    expect(factsOf(findings)).toEqual({
      orders: { backupRetentionPeriod: 7, replicationUnknown: `could not list the automated backups in ${DR}: Throttling: Rate exceeded` },
      c: { backupRetentionPeriod: 7, replicatedToDr: true },
      ledger: { db: 'ledger', kind: 'unreadable', detail: 'could not read its backup settings: AccessDenied: no' },
    });
    const all = factsOf(matchPitrFacts([orders], { instances: { error: 'AccessDenied: no' } }, DR));
    expect(all.orders).toMatchObject({ kind: 'unreadable' });
  });
});

describe('assessPitr', () => {
  it('retention: off, short, exactly enough', () => {
    expect(assessPitr(orders, { backupRetentionPeriod: 0 }, req())).toEqual([expect.objectContaining({ kind: 'backups-off', detail: expect.stringContaining('required >= 7 days') })]);
    expect(assessPitr(orders, { backupRetentionPeriod: 6 }, req())).toEqual([{ db: 'orders', kind: 'retention-short', detail: 'automated backup retention is 6 day(s), required >= 7 days' }]);
    expect(assessPitr(orders, { backupRetentionPeriod: 7 }, req())).toEqual([]);
  });

  it('replication: only when asked; a cluster cannot have it; unknown is unreadable, not "not replicated"', () => {
    expect(assessPitr(orders, { backupRetentionPeriod: 7, replicatedToDr: false }, req())).toEqual([]);
    expect(assessPitr(orders, { backupRetentionPeriod: 7, replicatedToDr: false }, req({ replicateToDr: true })).map((s) => s.kind)).toEqual(['not-replicated']);
    expect(assessPitr(orders, { backupRetentionPeriod: 7, replicatedToDr: true }, req({ replicateToDr: true }))).toEqual([]);
    expect(assessPitr(ledger, { backupRetentionPeriod: 7 }, req({ replicateToDr: true })).map((s) => s.kind)).toEqual(['replication-unsupported']);
    expect(assessPitr(orders, { backupRetentionPeriod: 7, replicationUnknown: 'Throttling' }, req({ replicateToDr: true }))).toEqual([
      { db: 'orders', kind: 'unreadable', detail: 'could not tell whether its automated backups are replicated to the DR region: Throttling' },
    ]);
  });

  it('a source with no automated backups is off and not replicated, and replication cannot be started for it', () => {
    const facts = { backupRetentionPeriod: 0, replicatedToDr: false };
    expect(assessPitr(orders, facts, req({ replicateToDr: true, enforce: true })).map((s) => s.kind)).toEqual(['backups-off', 'not-replicated']);
    expect(shouldStartReplication(orders, facts, req({ replicateToDr: true, enforce: true }))).toBe(false);
  });

  it('starts replication only with enforce, for an instance with backups on and known to be unreplicated', () => {
    const missing = { backupRetentionPeriod: 7, replicatedToDr: false };
    const enforce = req({ replicateToDr: true, enforce: true });
    expect(shouldStartReplication(orders, missing, enforce)).toBe(true);
    expect(shouldStartReplication(orders, missing, req({ replicateToDr: true }))).toBe(false);
    expect(shouldStartReplication(orders, { ...missing, replicatedToDr: true }, enforce)).toBe(false);
    expect(shouldStartReplication(orders, { backupRetentionPeriod: 7, replicationUnknown: 'Throttling' }, enforce)).toBe(false);
    expect(shouldStartReplication(ledger, missing, enforce)).toBe(false);
  });
});

describe('worstFirst', () => {
  it('orders by kind (backups off first), keeping the run order within a kind', () => {
    const s = (db: string, kind: ShortfallKind) => ({ db, kind, detail: '' });
    expect(worstFirst([s('a', 'retention-short'), s('b', 'backups-off'), s('c', 'retention-short'), s('d', 'not-found'), s('e', 'backups-off')]).map((x) => x.db)).toEqual(['b', 'e', 'd', 'a', 'c']);
  });
});
