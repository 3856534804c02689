import { AddTagsToResourceCommand, CreateDBInstanceCommand, CreateDBSnapshotCommand, DeleteDBInstanceCommand, DeleteDBSnapshotCommand, DescribeDBSnapshotsCommand, paginateDescribeDBSnapshots, type RDSClient } from '@aws-sdk/client-rds';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';

const DAYS = 400;
const DBS = ['orders', 'billing', 'archive'];
const PRIMARY_KEEP = { daily: 30, weekly: 12, monthly: 12, yearly: 0, minimum: 3 };
const DR_KEEP = { daily: 60, weekly: 20, monthly: 13, yearly: 1, minimum: 3 };

// ---- An oracle for what GFS must keep, written from the policy's words, not from the planner. ----
const day = (d: Date) => d.toISOString().slice(0, 10);
function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return `${t.getUTCFullYear()}-W${String(Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7)).padStart(2, '0')}`;
}
function expectedKept(times: Date[], keep: typeof PRIMARY_KEEP): Set<string> {
  const kept = new Set<string>();
  const newestFirst = [...times].sort((a, b) => b.getTime() - a.getTime());
  newestFirst.slice(0, Math.max(1, keep.minimum)).forEach((t) => kept.add(t.toISOString()));
  const periods: [(d: Date) => string, number][] = [[day, keep.daily], [isoWeek, keep.weekly], [(d) => d.toISOString().slice(0, 7), keep.monthly], [(d) => d.toISOString().slice(0, 4), keep.yearly]];
  for (const [key, n] of periods) {
    const firstOf = new Map<string, Date>();
    for (const t of newestFirst) firstOf.set(key(t), t); // ends holding the oldest of each period
    [...firstOf.keys()].slice(0, n).forEach((k) => kept.add(firstOf.get(k)!.toISOString()));
  }
  return kept;
}
// Daily 02:00 UTC snapshots for the DAYS days ending yesterday.
const yesterday = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 1, 2));
const slots = Array.from({ length: DAYS }, (_, i) => new Date(yesterday.getTime() - i * 86400000));
const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 12);
const keptPrimary = expectedKept(slots, PRIMARY_KEEP);
const keptDr = expectedKept(slots, DR_KEEP);
// A quota the kept set fills to ~92%: the warning must fire after pruning.
const keptManualPerRegion = (DBS.length - 1) * Math.max(keptPrimary.size, keptDr.size) + DAYS + 2;
const QUOTA = Math.floor(keptManualPerRegion / 0.92);

async function all(rds: RDSClient) {
  const out: { id: string; tags: Record<string, string> }[] = [];
  for await (const page of paginateDescribeDBSnapshots({ client: rds }, { SnapshotType: 'manual' })) {
    for (const s of page.DBSnapshots ?? []) out.push({ id: s.DBSnapshotIdentifier ?? '', tags: Object.fromEntries((s.TagList ?? []).map((t) => [t.Key, t.Value])) });
  }
  return out;
}

describe('prune workflow on the local AWS: 400 days of history, 3 databases, 2 regions', () => {
  let aws: LocalStack;
  let s3: S3Client;
  const legalHoldId = `rdsdr-orders-${stamp(slots[200])}`;
  const inUseId = `rdsdr-billing-${stamp(slots[300])}`;

  beforeAll(async () => {
    aws = await LocalStack.start({
      motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: '100000' },
      config: localConfig({
        pruning: { maxDeleteShare: 0.9, maxDeletesPerRun: 1500, snapshotQuota: QUOTA, quotaWarnPercent: 90 },
        policies: {
          gold: { selection: { tags: { 'rds-dr:policy': 'gold' } }, retention: { primary: PRIMARY_KEEP, dr: DR_KEEP } },
          broken: { selection: { instances: ['scratch'] }, retention: { primary: { daily: 0, weekly: 0, monthly: 0, yearly: 0, minimum: 1 } } },
        },
      }),
    });
    s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    for (const rds of [aws.rds, aws.rdsDr]) {
      for (const db of [...DBS, 'scratch']) await createPostgresInstance(rds, db);
      const jobs: (() => Promise<unknown>)[] = [];
      for (const db of DBS) {
        for (const slot of slots) {
          const id = `rdsdr-${db}-${stamp(slot)}`;
          jobs.push(() =>
            rds.send(new CreateDBSnapshotCommand({
              DBInstanceIdentifier: db, DBSnapshotIdentifier: id,
              Tags: [
                { Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:policy', Value: 'gold' },
                { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:db:${db}` }, { Key: 'rds-dr:slot', Value: slot.toISOString() },
              ],
            })),
          );
        }
      }
      // A misconfigured policy's database: its plan deletes 19 of 20.
      for (const slot of slots.slice(0, 20)) {
        jobs.push(() => rds.send(new CreateDBSnapshotCommand({
          DBInstanceIdentifier: 'scratch', DBSnapshotIdentifier: `rdsdr-scratch-${stamp(slot)}`,
          Tags: [{ Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:policy', Value: 'broken' }, { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:db:scratch` }, { Key: 'rds-dr:slot', Value: slot.toISOString() }],
        })));
      }
      jobs.push(() => rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'before-migration-by-hand' })));
      jobs.push(() => rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'rdsdr-lookalike-by-hand', Tags: [{ Key: 'rds-dr:slot', Value: slots[399].toISOString() }] })));
      for (let i = 0; i < jobs.length; i += 25) await Promise.all(jobs.slice(i, i + 25).map((j) => j()));
    }
    await aws.rds.send(new AddTagsToResourceCommand({ ResourceName: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:snapshot:${legalHoldId}`, Tags: [{ Key: 'rds-dr:legal-hold', Value: 'INC-42' }] }));
    // A drill is restoring an old DR copy of billing right now.
    await aws.rdsDr.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'rdsdr-verify-billing-1', Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'local-only-pw',
      Tags: [{ Key: 'rds-dr:purpose', Value: 'verification' }, { Key: 'rds-dr:source-snapshot', Value: `arn:aws:rds:${DR}:${LOCAL_ACCOUNT_ID}:snapshot:${inUseId}` }],
    }));
    // "archive" was decommissioned: its backups stay (keepDeletedDatabases defaults to "all").
    await aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'archive', SkipFinalSnapshot: true }));
  });
  afterAll(async () => aws?.stop());

  const readJson = async (key: string) =>
    JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: key }))).Body!.transformToString());

  it('stops without deleting anything when a misconfigured policy would delete most of a database, and alerts', async () => {
    const before = (await all(aws.rds)).length + (await all(aws.rdsDr)).length;
    const run = await aws.runPrune({}, 'prune-guarded');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.PruneFailed');
    expect(run.cause).toContain('Prune STOPPED without deleting anything');
    expect(run.cause).toMatch(/scratch in us-east-1: plan deletes 19 of 20/);
    expect(run.statesEntered).not.toContain('DeleteSnapshotBatch');
    expect(run.children).toEqual([]);
    expect((await all(aws.rds)).length + (await all(aws.rdsDr)).length).toBe(before);
    const alerts = await aws.receiveAlerts();
    expect(alerts.map((a) => a.subject).join('\n')).toContain('rds-dr-prune FAILED');
    // The broken policy is fixed by removing that database's snapshots from rds-dr's care.
    for (const rds of [aws.rds, aws.rdsDr]) {
      for (const s of (await all(rds)).filter((x) => x.id.startsWith('rdsdr-scratch-'))) await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: s.id }));
    }
  });

  it('dry run deletes nothing and reports the plan the real run will carry out', async () => {
    const before = (await all(aws.rds)).length;
    const run = await aws.runPrune({ dryRun: true }, 'prune-dry');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect((await all(aws.rds)).length).toBe(before);
    const plan = await readJson(`reports/prune/${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/prune-dry-plan.json`);
    const deletes = plan.decisions.filter((d: { action: string }) => d.action === 'delete');
    // orders and billing in both regions, less the legal hold and the in-use copy where GFS would not keep them anyway.
    const protectedExtra = Number(!keptPrimary.has(slots[200].toISOString())) + Number(!keptDr.has(slots[300].toISOString()));
    const expectedDeletes = 2 * (DAYS - keptPrimary.size) + 2 * (DAYS - keptDr.size) - protectedExtra;
    expect(deletes).toHaveLength(expectedDeletes);
    expect(plan.decisions.every((d: { reasons: string[] }) => d.reasons.length > 0)).toBe(true);
  });

  it('keeps exactly what the policy promises in each region, and never hand-made, legal-hold, in-use or deleted-database snapshots', async () => {
    const run = await aws.runPrune({}, 'prune-real');
    expect(run.cause ?? '').not.toContain('FAILED');
    expect(run.status).toBe('SUCCEEDED');
    for (const [rds, region, kept] of [[aws.rds, PRIMARY, keptPrimary], [aws.rdsDr, DR, keptDr]] as const) {
      const left = await all(rds);
      for (const db of ['orders', 'billing']) {
        const slotsLeft = new Set(left.filter((s) => s.tags['rds-dr:source-arn']?.endsWith(`:db:${db}`)).map((s) => s.tags['rds-dr:slot']));
        const expected = new Set(kept);
        if (region === PRIMARY && db === 'orders') expected.add(slots[200].toISOString()); // legal hold
        if (region === DR && db === 'billing') expected.add(slots[300].toISOString()); // in use by a drill
        expect([...slotsLeft].sort(), `${db} in ${region}`).toEqual([...expected].sort());
      }
      expect(left.filter((s) => s.tags['rds-dr:source-arn']?.endsWith(':db:archive'))).toHaveLength(DAYS);
      expect(left.map((s) => s.id)).toEqual(expect.arrayContaining(['before-migration-by-hand', 'rdsdr-lookalike-by-hand']));
    }
    const auditKey = `reports/prune/${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/prune-real-audit.json`;
    const audit = await readJson(auditKey);
    const planned = audit.plannedDeletions;
    expect(planned).toBeGreaterThan(1_000);
    expect(audit.outcomes.filter((o: { outcome: string }) => o.outcome === 'deleted')).toHaveLength(planned);
    // The state carries counts and where the audit is, not the outcomes.
    expect(run.output).toMatchObject({ failed: false, counts: { planned, deleted: planned, alreadyGone: 0, refused: 0, failed: 0, withoutOutcome: 0 }, failures: [], auditKey });
    expect(JSON.stringify(run.output)).not.toContain('rdsdr-');
  });

  it('warns when the snapshot quota is 90% used, with the numbers, on SNS', async () => {
    // The latest warning is the real run's, after pruning (the guarded run warned at ~200% before).
    const alerts = await aws.receiveAlerts();
    const quota = alerts.filter((a) => a.subject.includes('RDS snapshot quota')).at(-1);
    expect(quota?.message).toMatch(/us-west-2: \d+ manual snapshots = (9\d|100)(\.\d)?% of the quota/);
  });

  it('a second run deletes nothing more', async () => {
    const before = (await aws.rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100 }))).DBSnapshots?.length;
    const run = await aws.runPrune({}, 'prune-again');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({ counts: { planned: 0 } });
    expect(run.children).toEqual([]);
    expect((await aws.rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100 }))).DBSnapshots?.length).toBe(before);
  });
});
