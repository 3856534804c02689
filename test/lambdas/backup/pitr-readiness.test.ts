// The check of one backup run on an in-memory gateway: one listing each, bounded and reported
// replication starts, the full report in the run's prefix, a bounded output and warning.
import { describe, expect, it } from 'vitest';
import { checkPitrReadiness, MAX_REPLICATION_STARTS_PER_RUN, type PitrCheckDeps } from '../../../lambdas/backup/check-pitr.js';
import { readPitrRequest } from '../../../lambdas/backup/check-pitr-input.js';
import type { Alert } from '../../../lambdas/core/alert.js';
import type { ClusterBackupSettings, DrAutomatedBackup, InstanceBackupSettings, PitrGateway, PitrRequirement, ProtectedDatabase } from '../../../lambdas/core/pitr-readiness.js';
import type { PitrReport } from '../../../lambdas/core/pitr-report.js';

const P = 'us-east-1';
const DR = 'us-west-2';
const instance = (id: string): ProtectedDatabase => ({ id, arn: `arn:aws:rds:${P}:123456789012:db:${id}`, kind: 'instance' });
const cluster = (id: string): ProtectedDatabase => ({ id, arn: `arn:aws:rds:${P}:123456789012:cluster:${id}`, kind: 'cluster' });
const req = (over: Partial<PitrRequirement> = {}): PitrRequirement => ({ minRetentionDays: 7, replicateToDr: false, enforce: false, ...over });
const RUN = { bucket: 'rds-dr-work-us-east-1-5e1f0c2a', prefix: 'runs/backup/2026-11-22/exec-1/' };

/** RDS as three lists; every call is recorded. A list given as an Error fails its listing. */
class MemoryGateway implements PitrGateway {
  readonly calls: string[] = [];
  readonly started: { id: string; days: number }[] = [];
  constructor(
    private readonly rds: { instances?: InstanceBackupSettings[] | Error; clusters?: ClusterBackupSettings[] | Error; drBackups?: DrAutomatedBackup[] | Error; startFails?: Set<string> },
  ) {}
  private list<T>(name: string, items: T[] | Error | undefined): Promise<T[]> {
    this.calls.push(name);
    return items instanceof Error ? Promise.reject(items) : Promise.resolve(items ?? []);
  }
  listInstances = () => this.list('listInstances', this.rds.instances);
  listClusters = () => this.list('listClusters', this.rds.clusters);
  listDrAutomatedBackups = () => this.list('listDrAutomatedBackups', this.rds.drBackups);
  async startReplication(db: ProtectedDatabase, days: number): Promise<void> {
    this.calls.push(`start ${db.id}`);
    if (this.rds.startFails?.has(db.id)) throw Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    this.started.push({ id: db.id, days });
  }
}

const listed = (db: ProtectedDatabase, retentionDays = 7, replicationRegions: string[] = []): InstanceBackupSettings => ({ arn: db.arn, dbiResourceId: `db-${db.id}`, retentionDays, replicationRegions });

function harness(gateway: PitrGateway, pitr: Record<string, PitrRequirement> = {}, storeFails = false) {
  const published: Alert[] = [];
  const reports = new Map<string, unknown>();
  const warned: string[] = [];
  const deps: PitrCheckDeps = {
    settings: {
      appName: 'rds-dr',
      primaryRegion: P,
      drRegion: DR,
      incident: { databases: Object.fromEntries(Object.entries(pitr).map(([id, r]) => [id, { maxReplicaLagSeconds: 300, cutover: 'rename' as const, pitr: r }])), waitTimeoutSeconds: 60, pitrMinRetentionDays: 7 },
    },
    gateway,
    warnings: { publish: async (a: Alert) => (published.push(a), `msg-${published.length}`) },
    store: {
      putJson: async (bucket: string, key: string, value: unknown) => {
        if (storeFails) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
        reports.set(`${bucket}/${key}`, JSON.parse(JSON.stringify(value)));
      },
    },
    log: { warn: (message) => void warned.push(message) },
  };
  return { deps, published, reports, warned };
}

describe('checkPitrReadiness', () => {
  it('1,000 databases: each listing read once, 50 replication starts and the rest left for the next run, the full list in S3, a bounded output', async () => {
    // 700 instances, 300 clusters. Instances 0-59 enforce replication (none replicated yet), 100-399 have 1-day retention, clusters 0-99 have backups off.
    const instances = Array.from({ length: 700 }, (_, i) => instance(`i-${i}`));
    const clusters = Array.from({ length: 300 }, (_, i) => cluster(`c-${i}`));
    const gateway = new MemoryGateway({
      instances: instances.map((db, i) => listed(db, i >= 100 && i < 400 ? 1 : 7)),
      clusters: clusters.map((db, i) => ({ arn: db.arn, retentionDays: i < 100 ? 0 : 7 })),
      drBackups: [],
    });
    const enforce = Object.fromEntries(instances.slice(0, 60).map((db) => [db.id, req({ replicateToDr: true, enforce: true, minRetentionDays: 10 })]));
    const { deps, published, reports } = harness(gateway, enforce);

    const out = await checkPitrReadiness({ policy: 'gold', databases: [...instances, ...clusters], runData: RUN }, deps);

    expect(gateway.calls.filter((c) => !c.startsWith('start')).sort()).toEqual(['listClusters', 'listDrAutomatedBackups', 'listInstances']);
    expect(gateway.started).toHaveLength(MAX_REPLICATION_STARTS_PER_RUN);
    expect(gateway.started[0]).toEqual({ id: 'i-0', days: 10 });
    expect(out).toMatchObject({ checked: 1000, started: gateway.started.map((s) => s.id), startsDeferred: 10, reportKey: `${RUN.prefix}pitr.json`, warningId: 'msg-1' });
    // 60 not replicated + 60 retention-short (7 < 10) + 300 retention-short + 100 backups off.
    expect(out.shortfallCount).toBe(520);
    expect(out.shortfalls).toHaveLength(50);
    expect(out.shortfalls.every((s) => s.kind === 'backups-off')).toBe(true);

    const full = reports.get(`${RUN.bucket}/${RUN.prefix}pitr.json`) as PitrReport;
    expect(full.shortfalls).toHaveLength(520);
    expect(full.startsDeferred).toEqual(instances.slice(50, 60).map((db) => db.id));
    const remedy = (db: string) => full.shortfalls.find((s) => s.db === db && s.kind === 'not-replicated')?.remedied;
    expect(remedy('i-0')).toBe(`started replication to ${DR} (pitr.enforce, retention 10 days)`);
    expect(remedy('i-59')).toBe(`not started in this run (at most ${MAX_REPLICATION_STARTS_PER_RUN} replication starts per run); the next run continues`);

    expect(published).toHaveLength(1);
    expect(published[0].message).toContain(`Full list: s3://${RUN.bucket}/${RUN.prefix}pitr.json`);
    expect(published[0].message.split('\n').length).toBeLessThanOrEqual(55);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(20_000);
  });

  it('reads only the listings the run needs: no clusters, no replication asked -> one listing', async () => {
    const gateway = new MemoryGateway({ instances: [listed(instance('orders'))] });
    const { deps, published, reports } = harness(gateway);
    const out = await checkPitrReadiness({ policy: 'gold', databases: [instance('orders')], runData: RUN }, deps);
    expect(gateway.calls).toEqual(['listInstances']);
    expect(out).toEqual({ checked: 1, shortfallCount: 0, shortfalls: [], started: [], startsDeferred: 0, reportKey: `${RUN.prefix}pitr.json` });
    // A compliant run still leaves its report, and warns nobody.
    expect(reports.size).toBe(1);
    expect(published).toEqual([]);
  });

  it('already replicating (the DR listing has a running backup of the source): no start, no shortfall', async () => {
    const orders = instance('orders');
    const gateway = new MemoryGateway({ instances: [listed(orders, 10)], drBackups: [{ sourceArn: orders.arn, dbiResourceId: 'db-orders', status: 'replicating', retentionDays: 10 }] });
    const { deps, published } = harness(gateway, { orders: req({ replicateToDr: true, enforce: true, minRetentionDays: 10 }) });
    const out = await checkPitrReadiness({ policy: 'gold', databases: [orders] }, deps);
    expect(gateway.calls).toEqual(['listInstances', 'listDrAutomatedBackups']);
    expect(out.shortfalls).toEqual([]);
    expect(published).toEqual([]);
  });

  it('a failed start, a failed listing and a database gone since discovery are reported, never thrown; the other starts go on', async () => {
    const [a, b, ledger] = [instance('a'), instance('b'), cluster('ledger')];
    const gateway = new MemoryGateway({ instances: [listed(a), listed(b)], clusters: Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }), drBackups: [], startFails: new Set(['a']) });
    const enforce = req({ replicateToDr: true, enforce: true });
    const { deps, published, warned } = harness(gateway, { a: enforce, b: enforce });
    const out = await checkPitrReadiness({ policy: 'gold', databases: [a, b, ledger, instance('gone')] }, deps);
    expect(out.started).toEqual(['b']);
    expect(out.shortfalls.map((s) => [s.db, s.kind, s.remedied])).toEqual([
      ['gone', 'not-found', undefined],
      ['ledger', 'unreadable', undefined],
      ['a', 'not-replicated', 'could NOT start replication: AccessDenied: not authorized'],
      ['b', 'not-replicated', `started replication to ${DR} (pitr.enforce, retention 7 days)`],
    ]);
    expect(out.shortfalls[1].detail).toBe('could not read its backup settings: AccessDenied: User is not authorized');
    // Without a run-data prefix (inline databases) there is no report.
    expect(out).not.toHaveProperty('reportKey');
    expect(published[0].message).toContain('ledger:\n  - could not read its backup settings: AccessDenied');
    expect(warned).toEqual(['started automated backup replication']);
  });

  it('a report that cannot be written is said in the warning, and the warning still goes out', async () => {
    const gateway = new MemoryGateway({ instances: [listed(instance('orders'), 1)] });
    const { deps, published } = harness(gateway, {}, true);
    const out = await checkPitrReadiness({ policy: 'gold', databases: [instance('orders')], runData: RUN }, deps);
    expect(out).not.toHaveProperty('reportKey');
    expect(out.warningId).toBe('msg-1');
    expect(published[0].message).toContain('Full list: not written (AccessDenied: Access Denied)');
  });
});

describe('readPitrRequest', () => {
  const planKey = `${RUN.prefix}plan.json`;
  const storeWith = (plan: unknown) => ({ getJson: async (bucket: string, key: string) => (bucket === RUN.bucket && key === planKey ? plan : Promise.reject(new Error(`no ${key}`))) });

  it('reads the run\'s databases from the plan in the work bucket, keeping only what the check needs', async () => {
    const plan = [{ ...instance('orders'), engine: 'postgres', snapshotId: 'rdsdr-orders-202611220200', tags: [{ Key: 'a', Value: 'b' }] }, { ...cluster('ledger'), engine: 'aurora-postgresql' }];
    const request = await readPitrRequest({ policy: 'gold', executionArn: 'arn:aws:states:us-east-1:123456789012:execution:backup:exec-1', runData: { ...RUN, planKey, resultsPrefix: `${RUN.prefix}results` } }, storeWith(plan));
    expect(request).toEqual({ policy: 'gold', databases: [instance('orders'), cluster('ledger')], runData: RUN });
  });

  it('still takes the databases inline (older callers, small runs); then there is no run-data prefix', async () => {
    const request = await readPitrRequest({ policy: 'gold', databases: [{ ...instance('orders'), engine: 'postgres' }] }, storeWith([]));
    expect(request).toEqual({ policy: 'gold', databases: [instance('orders')] });
  });

  it('rejects both or neither source, and a plan that is not a list of databases, as rds-dr.InvalidInput', async () => {
    await expect(readPitrRequest({ policy: 'gold' }, storeWith([]))).rejects.toMatchObject({ name: 'rds-dr.InvalidInput', message: expect.stringContaining('exactly one of runData or databases') });
    await expect(readPitrRequest({ policy: 'gold', databases: [], runData: { ...RUN, planKey } }, storeWith([]))).rejects.toMatchObject({ name: 'rds-dr.InvalidInput' });
    await expect(readPitrRequest({ policy: 'gold', runData: { ...RUN, planKey } }, storeWith([{ id: 'proxy-1', arn: 'arn:aws:rds:x', kind: 'proxy' }]))).rejects.toMatchObject({
      name: 'rds-dr.InvalidInput',
      message: expect.stringMatching(new RegExp(`^s3://${RUN.bucket}/${planKey}: input\\.0\\.kind`)),
    });
  });
});
