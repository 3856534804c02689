// Drills and prune follow a failed-over database (issue 13, part 4): after a failover of orders and
// the DR region's backups of its promoted instance, the DR region's drill restores the promoted
// database's own DR snapshot and proves the data written after the failover, under the name orders;
// the DR region's prune applies the policy's DR retention to those snapshots (keeping the newest),
// the primary's prune leaves them alone; with the primary region down, both still run.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBInstanceReadReplicaCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const AFTER_FAILOVER = "SELECT count(*) FROM items WHERE note = 'written after the failover'";
const keepDays = (daily: number) => ({ daily, weekly: 0, monthly: 0, yearly: 0, minimum: 1 });

describe('drills and prune of a failed-over database in the DR region', () => {
  let aws: LocalStack;

  beforeAll(async () => {
    aws = await LocalStack.start({
      withPostgres: true,
      config: localConfig({
        incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } },
        verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
        pruning: { maxDeleteShare: 0.9 },
        policies: {
          gold: {
            selection: { tags: GOLD },
            retention: { primary: keepDays(3), dr: keepDays(2) },
            verify: {
              restoreTimeoutMinutes: 10,
              databases: {
                orders: {
                  database: 'orders',
                  tables: [{ name: 'public.items', minRows: 2 }],
                  // Only the promoted database's snapshots hold this row: a drill of the stale copy fails here.
                  assertions: [{ name: 'the live database after the failover', sql: AFTER_FAILOVER, expect: 1 }],
                },
              },
            },
          },
        },
      }),
      // The DR backup's copies back to the primary region need a key there (incident.failbackKmsKeyArn).
      prepare: async (moto, config) => {
        const key = await new KMSClient(motoClientConfig(moto, PRIMARY)).send(new CreateKeyCommand({ Description: 'rds-dr failback copies (local)' }));
        return { ...config, incident: { ...(config.incident as object), failbackKmsKeyArn: key.KeyMetadata?.Arn } };
      },
    });
    const ordersArn = await createPostgresInstance(aws.rds, 'orders', GOLD);
    await aws.pg!.createDatabase('orders');
    aws.dataPlane!.attach('instance', 'orders', 'orders');
    await aws.sql('instance', 'orders', "CREATE TABLE items (id int PRIMARY KEY, note text); INSERT INTO items VALUES (1, 'before the outage')");
    await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: ordersArn }));

    // Before the failover: the primary's backup and its DR copy (the copy a drill would otherwise pick).
    const primaryBackup = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-25T02:00:00Z' }, 'gold-before-failover');
    expect(primaryBackup.cause ?? '').toBe('');
    const failover = await aws.runFailover({ db: 'orders', reason: 'us-east-1 outage INC-13', force: true }, 'orders-failover');
    expect(failover.cause ?? '').toBe('');
    expect(failover.status).toBe('SUCCEEDED');
    await aws.sql('instance', 'orders-replica', "INSERT INTO items VALUES (2, 'written after the failover')");
    // Four daily DR-region backups of the promoted database (each copied back to the primary region).
    for (const day of ['26', '27', '28', '29']) {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: `2026-11-${day}T02:00:00Z` }, `gold-dr-${day}`, DR);
      expect(run.cause ?? '').toBe('');
      expect(run.status).toBe('SUCCEEDED');
    }
  }, 600_000);
  afterAll(async () => aws?.stop());

  const snapshotIds = async (region: string) =>
    ((await (region === DR ? aws.rdsDr : aws.rds).send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots ?? [])
      .map((s) => s.DBSnapshotIdentifier ?? '')
      .filter((id) => id.startsWith('rdsdr-'))
      .sort();
  const promotedIn = (days: string[]) => days.map((d) => `rdsdr-orders-replica-202611${d}0200`);

  it('a drill in the DR region restores the promoted database\'s DR snapshot, proves it with SQL and reports it as orders', async () => {
    expect(await snapshotIds(DR)).toEqual(['rdsdr-orders-202611250200', ...promotedIn(['26', '27', '28', '29'])]);
    const run = await aws.runDrill({ db: 'orders' }, 'drill-orders-failed-over');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const [report] = (await aws.drillReports(run.executionArn)).map((r) => r.report as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(report).toMatchObject({ database: 'orders', region: DR, passed: true, throwaway: { cleanup: 'deleted' } });
    expect(report.snapshot.arn).toBe(`arn:aws:rds:${DR}:${LOCAL_ACCOUNT_ID}:snapshot:rdsdr-orders-replica-202611290200`);
    expect(report.checks.find((c: { name: string }) => c.name === 'the live database after the failover')).toMatchObject({ passed: true });
    // Under the database's own name: the metric series and the rotation.
    const cw = new CloudWatchClient(motoClientConfig(aws.moto, DR));
    const stat = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'RdsDr', MetricName: 'VerificationPassed', Dimensions: [{ Name: 'Database', Value: 'orders' }, { Name: 'Region', Value: DR }],
      StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 3600_000), Period: 60, Statistics: ['Maximum'],
    }));
    expect(stat.Datapoints?.map((d) => d.Maximum)).toEqual([1]);
    const s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    const rotation = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: 'drill-rotation/gold.json' }))).Body!.transformToString());
    expect(Object.keys(rotation)).toEqual(['orders']);
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });

  it('the primary region\'s prune leaves the promoted database\'s DR snapshots alone and prunes the copies in its own region', async () => {
    const run = await aws.runPrune({}, 'prune-primary');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect(await snapshotIds(DR)).toEqual(['rdsdr-orders-202611250200', ...promotedIn(['26', '27', '28', '29'])]);
    // Its own: the copies the DR backup sent back, by the primary retention (3 days); the primary's snapshot of orders.
    expect(await snapshotIds(PRIMARY)).toEqual(['rdsdr-orders-202611250200', ...promotedIn(['27', '28', '29'])]);
  });

  it('the DR region\'s prune deletes the promoted database\'s DR snapshots beyond retention, keeps the newest, and nothing else', async () => {
    const primaryBefore = await snapshotIds(PRIMARY);
    const run = await aws.runPrune({}, 'prune-dr', DR);
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect((run.output as { counts: Record<string, number> }).counts).toMatchObject({ planned: 2, deleted: 2, failed: 0, refused: 0 });
    // The policy's DR retention (2 days); the primary's DR copy of orders is the primary prune's to decide.
    expect(await snapshotIds(DR)).toEqual(['rdsdr-orders-202611250200', ...promotedIn(['28', '29'])]);
    expect(await snapshotIds(PRIMARY)).toEqual(primaryBefore);
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });

  it('with the primary region down, the DR region backs up, prunes and drills the promoted database', async () => {
    const outage = await aws.regionOutage(PRIMARY, 'refused');
    try {
      const backup = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-30T02:00:00Z' }, 'gold-dr-30-outage', DR);
      expect(backup.cause ?? '').toBe('');
      expect(backup.status).toBe('SUCCEEDED');
      // The backup tried its copy to the primary region (and skipped it); prune and drill must not even try.
      const attemptsBefore = outage.attempts.length;
      const prune = await aws.runPrune({}, 'prune-dr-outage', DR);
      expect(prune.cause ?? '').toBe('');
      expect(prune.status).toBe('SUCCEEDED');
      expect(await snapshotIds(DR)).toEqual(['rdsdr-orders-202611250200', ...promotedIn(['29', '30'])]);
      const drill = await aws.runDrill({ db: 'orders' }, 'drill-orders-outage');
      expect(drill.cause ?? '').toBe('');
      expect(drill.status).toBe('SUCCEEDED');
      const [report] = (await aws.drillReports(drill.executionArn)).map((r) => r.report as { snapshot: { arn: string }; passed: boolean });
      expect(report.snapshot.arn).toMatch(/:snapshot:rdsdr-orders-replica-202611300200$/);
      expect(report.passed).toBe(true);
      expect(outage.attempts.slice(attemptsBefore)).toEqual([]);
    } finally {
      await outage.end();
    }
  });
});
