// The RPO monitor and `rds-dr status` over 300 databases on the local AWS (RDS pages cut as RDS cuts
// them): their calls grow with pages of records, never with the number of databases, and what they
// say starts with the counts, then names only the breaching databases, worst first.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '../../../bin/cli/status.js';
import { drillVerdictsFromSettings } from '../../../lambdas/monitor/recovery-facts.js';
import { MAX_NAMED_BREACHES, monitorRecovery } from '../../../lambdas/monitor/monitor-recovery.js';
import { motoClientConfig } from '../../local/moto.js';
import { REPORTS_BUCKET, ScaleStack } from '../../local/scale-stack.js';
import { DR, PRIMARY } from '../../state-machines/fixtures.js';

const DATABASES = 300;
const NOW = new Date();
/** Calls a paged listing of `records` makes: RDS returns at most 100 a page, and always one page. */
const rdsPages = (records: number) => Math.max(1, Math.ceil(records / 100));

describe(`RPO monitor and rds-dr status at ${DATABASES} databases`, () => {
  let aws: ScaleStack;
  const drills = () => drillVerdictsFromSettings(aws.settings)!;
  const of = (test: (db: ScaleStack['fleet'][number]) => boolean) => aws.fleet.filter(test);

  beforeAll(async () => {
    aws = await ScaleStack.start(DATABASES, NOW);
  });
  afterAll(async () => aws?.stop());

  it('reads each region in pages of 100 records and the drill reports in one listing: no call per database', async () => {
    aws.meter.reset();
    const run = await monitorRecovery(aws.settings, drills(), NOW);
    expect(run.databases).toBe(DATABASES);
    const instances = of((db) => db.kind === 'instance');
    const clusters = of((db) => db.kind === 'cluster');
    const snapshotted = (dbs: typeof instances) => dbs.filter((db) => db.profile !== 'never snapshotted');
    const copied = (dbs: typeof instances) => snapshotted(dbs).filter((db) => db.profile !== 'no DR copy');
    expect(aws.meter.byOperation(PRIMARY)).toEqual({
      DescribeDBClusters: rdsPages(clusters.length),
      DescribeDBClusterSnapshots: rdsPages(snapshotted(clusters).length),
      DescribeDBInstances: rdsPages(instances.length),
      DescribeDBSnapshots: rdsPages(snapshotted(instances).length),
    });
    expect(aws.meter.byOperation(DR)).toEqual({
      DescribeDBClusterSnapshots: rdsPages(copied(clusters).length),
      DescribeDBInstanceAutomatedBackups: 1,
      DescribeDBSnapshots: rdsPages(copied(instances).length),
    });
    // 180 report keys: one page of ListObjectsV2; one read per database that has a report.
    expect(aws.meter.byOperation('s3')).toEqual({ GetObject: of((db) => db.drill === 'passed' || db.drill === 'failed').length, ListObjectsV2: 1 });
    expect(aws.meter.byOperation('cloudwatch')).toEqual({ PutMetricData: Math.ceil(run.metrics.length / 1000) });
  });

  it('a warm monitor reads again only the drill reports that changed since its last run', async () => {
    const reader = drills();
    await monitorRecovery(aws.settings, reader, NOW);
    aws.meter.reset();
    await monitorRecovery(aws.settings, reader, NOW);
    expect(aws.meter.byOperation('s3')).toEqual({ ListObjectsV2: 1 });

    // A drill re-run under the same key turns a pass into a failure: a new ETag, read again.
    const db = of((d) => d.drill === 'passed')[0].id;
    const at = new Date(NOW.getTime() - 86_400_000).toISOString();
    const key = `reports/verification/${db}/${at.slice(0, 10).replace(/-/g, '/')}/rdsdr-verify-${db}.json`;
    const s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: REPORTS_BUCKET, Key: key, Body: JSON.stringify({ reportedAt: at, passed: false, restoreSeconds: 700 }) }));
    aws.meter.reset();
    const run = await monitorRecovery(aws.settings, reader, NOW);
    expect(aws.meter.byOperation('s3')).toEqual({ GetObject: 1, ListObjectsV2: 1 });
    expect(run.metrics.find((m) => m.db === db && m.name === 'LastVerificationPassed')?.value).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: REPORTS_BUCKET, Key: key, Body: JSON.stringify({ reportedAt: at, passed: true, restoreSeconds: 600 }) }));
  });

  it('summarizes the fleet in counts and names at most 50 breaching databases, missed RPOs first', async () => {
    const { summary, worst } = await monitorRecovery(aws.settings, drills(), NOW);
    const staleCopies = of((db) => db.profile === 'stale DR copy');
    const badDrills = of((db) => db.drill === 'never' || db.drill === 'failed');
    const breaching = new Set([...staleCopies, ...badDrills].map((db) => db.id));
    expect(summary).toEqual({
      databases: DATABASES,
      withinObjectives: DATABASES - breaching.size,
      breaching: breaching.size,
      rpoPrimaryBreached: 0, // moto's LatestRestorableTime is always now
      rpoDrBreached: staleCopies.length,
      neverSnapshotted: of((db) => db.profile === 'never snapshotted').length,
      drCopyMissing: of((db) => db.profile === 'no DR copy').length,
      drills: {
        drilled: of((db) => db.drill !== undefined).length,
        passed: of((db) => db.drill === 'passed').length,
        failed: of((db) => db.drill === 'failed').length,
        never: of((db) => db.drill === 'never').length,
        stale: 0,
        rtoExceeded: 0,
      },
    });
    expect(worst).toHaveLength(Math.min(MAX_NAMED_BREACHES, breaching.size));
    expect(worst.slice(0, staleCopies.length).map((w) => w.db)).toEqual(staleCopies.map((db) => db.id));
    expect(worst[0].problems).toEqual(['RPO us-west-2 2d > 25h']);
    expect(worst[staleCopies.length].problems).toEqual(['never drilled']);
  });

  it('`rds-dr status` starts with the counts, lists only the breaching databases worst first, and says how to see all', async () => {
    aws.meter.reset();
    const { output, breached } = await status(aws.config, { colour: false, now: NOW });
    expect(breached).toBe(true);
    // The same pages as the monitor, and every drill report read once (a fresh process).
    expect(aws.meter.total(PRIMARY)).toBe(8);
    expect(aws.meter.byOperation('s3').ListObjectsV2).toBe(1);
    const lines = output.split('\n');
    expect(lines[0]).toBe('300 protected databases: 250 within objectives, 50 breaching');
    expect(lines[1]).toMatch(/^ {2}RPO us-east-1 \(60m\): 0 breached {3}RPO us-west-2 \(25h\): 30 breached$/);
    expect(lines[2]).toBe('  never snapshotted: 30   DR copy missing: 30');
    expect(lines[3]).toBe('  last drills of 100 drilled: 80 passed, 10 failed, 10 never drilled, 0 older than 8d; RTO over 4h: 0');
    expect(lines[4]).toBe('  drift fingerprints (last good drill) of 100 drilled: 0 recorded, 100 without a baseline yet');
    const heading = lines.indexOf('50 databases breaching an objective, worst first:');
    expect(heading).toBe(6);
    const rows = lines.slice(heading + 3, lines.indexOf('', heading));
    expect(rows).toHaveLength(50);
    expect(rows[0]).toMatch(/^scale-0002\s.*\b2d \/ 25h!/);
    expect(rows.at(-1)).toMatch(/^scale-0\d{3}\s.*\b(never|FAIL \d+[smhd] ago)!/);
    expect(lines.at(-1)).toBe('250 databases within objectives not listed; `rds-dr status --all` lists every database.');
  });

  it('`rds-dr status --all` lists every database, the breaching ones first', async () => {
    const { output } = await status(aws.config, { colour: false, all: true, now: NOW });
    const lines = output.split('\n');
    const heading = lines.indexOf('every database, breaches first, worst first:');
    expect(heading).toBeGreaterThan(0);
    const rows = lines.slice(heading + 3);
    expect(rows).toHaveLength(DATABASES);
    expect(rows.slice(50).every((r) => !r.includes('!'))).toBe(true);
    expect(output).not.toContain('not listed');
  });
});
