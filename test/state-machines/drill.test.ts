import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/aws/clients.js';
import { holdDatabaseStatus } from '../local/faults.js';
import { createAuroraPostgresCluster, createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import { DR, localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const CHECKSUM_SQL = "SELECT md5(string_agg(id || ':' || total, ',' ORDER BY id)) FROM orders";
// The checksum of the rows as seeded (id, id * 1.5), computed independently of PostgreSQL.
const SEEDED_CHECKSUM = createHash('md5')
  .update(Array.from({ length: 250 }, (_, i) => `${i + 1}:${((i + 1) * 1.5).toFixed(1)}`).join(','))
  .digest('hex');

describe('restore drills on the local AWS (moto + PostgreSQL)', () => {
  let aws: LocalStack;
  let s3: S3Client;

  const query = async (db: string, sql: string) => {
    const c = aws.pg!.client(db);
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const throwaways = async () =>
    ((await aws.rdsDr.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [])
      .map((d) => d.DBInstanceIdentifier ?? '')
      .filter((id) => id.startsWith('rdsdr-verify-'));
  const reportsFor = async (db: string) => {
    const list = await s3.send(new ListObjectsV2Command({ Bucket: aws.verification!.reportsBucket, Prefix: `reports/verification/${db}/` }));
    return Promise.all(
      (list.Contents ?? []).map(async (o) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.verification!.reportsBucket, Key: o.Key }))).Body!.transformToString())),
    );
  };

  beforeAll(async () => {
    const config = localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: {
        gold: {
          selection: { tags: GOLD },
          verify: {
            restoreTimeoutMinutes: 10,
            databases: {
              orders: {
                database: 'orders',
                rpoMinutes: 60,
                tables: [{ name: 'public.orders', minRows: 200, freshnessColumn: 'updated_at' }],
                assertions: [
                  { name: 'snapshot-time row count', sql: 'SELECT count(*) FROM orders', expect: 250 },
                  { name: 'snapshot-time checksum', sql: CHECKSUM_SQL, expect: SEEDED_CHECKSUM },
                ],
              },
              ledger: { database: 'ledger', tables: [{ name: 'public.entries', minRows: 50 }] },
              billing: {
                database: 'billing',
                rpoMinutes: 60,
                tables: [{ name: 'public.invoices', minRows: 100, freshnessColumn: 'issued_at' }, { name: 'public.payments', minRows: 1 }],
                assertions: [{ name: 'no negative invoices', sql: 'SELECT count(*) FROM invoices WHERE amount < 0', expect: 0 }],
              },
            },
          },
        },
      },
    });
    aws = await LocalStack.start({ config, withPostgres: true });
    s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    await createPostgresInstance(aws.rds, 'billing', GOLD);
    await createAuroraPostgresCluster(aws.rds, 'ledger', GOLD);
    await aws.pg!.createDatabase('ledger');
    await query('ledger', 'CREATE TABLE entries (id int primary key); INSERT INTO entries SELECT generate_series(1, 75)');
    aws.dataPlane!.attach('cluster', 'ledger', 'ledger');
    await aws.pg!.createDatabase('orders');
    await query('orders', 'CREATE TABLE orders (id int primary key, total numeric not null, updated_at timestamptz not null default now()); INSERT INTO orders (id, total) SELECT g, g * 1.5 FROM generate_series(1, 250) g');
    expect((await query('orders', CHECKSUM_SQL))[0].md5).toBe(SEEDED_CHECKSUM);
    // billing was already damaged when it was backed up: too few rows, stale, a negative amount, no payments table.
    await aws.pg!.createDatabase('billing');
    await query('billing', "CREATE TABLE invoices (id int primary key, amount numeric, issued_at timestamptz); INSERT INTO invoices SELECT g, g, now() - interval '3 days' FROM generate_series(1, 10) g; UPDATE invoices SET amount = -5 WHERE id = 1");
    aws.dataPlane!.attach('instance', 'orders', 'orders');
    aws.dataPlane!.attach('instance', 'billing', 'billing');
    const backup = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' });
    expect(backup.status).toBe('SUCCEEDED');
  });
  afterAll(async () => aws?.stop());

  it('backup -> tamper -> restore -> verify: the restored data is the snapshot-time data, the report lands in S3, the instance is gone', async () => {
    await query('orders', 'DELETE FROM orders WHERE id > 100; UPDATE orders SET total = 0');
    expect((await query('orders', 'SELECT count(*)::int AS n FROM orders'))[0].n).toBe(100);
    expect((await query('orders', CHECKSUM_SQL))[0].md5).not.toBe(SEEDED_CHECKSUM);

    const run = await aws.runDrill({ db: 'orders' }, 'drill-orders');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(expect.arrayContaining(['RestoreInstance', 'ManageInstancePassword', 'RunChecks', 'DeleteThrowawayInstance', 'ReportVerification']));

    const [report] = await reportsFor('orders');
    expect(report).toMatchObject({ database: 'orders', region: DR, passed: true, throwaway: { cleanup: 'deleted', instanceClass: 'db.t4g.micro' } });
    expect(report.snapshot.arn).toBe(`arn:aws:rds:${DR}:${LOCAL_ACCOUNT_ID}:snapshot:rdsdr-orders-202611220200`);
    // RTO = restore start (first poll, right after the restore call) until the data was proven readable.
    expect(typeof report.restoreSeconds).toBe('number');
    // Reported to a tenth of a second: exactly the rounded span (a closeness check fails on a tie such as 0.35 -> 0.4).
    expect(report.restoreSeconds).toBe(Math.round((Date.parse(report.verifiedAt) - Date.parse(report.restoreStartedAt)) / 100) / 10);
    expect(Date.parse(report.restoreAvailableAt)).toBeLessThanOrEqual(Date.parse(report.verifiedAt));
    expect(report.checks.map((c: { name: string; passed: boolean }) => [c.name, c.passed])).toEqual([
      ['connect', true],
      ['table public.orders exists', true],
      ['table public.orders rows >= 200', true],
      ['table public.orders freshness', true],
      ['snapshot-time row count', true],
      ['snapshot-time checksum', true],
      // Built-in integrity (on by default): the table's one B-tree index, verified by amcheck on the restore.
      ['index orders_pkey valid', true],
    ]);
    expect(report.checks[2].observed).toBe(250);
    expect(await throwaways()).toEqual([]);
    expect(aws.dataPlane!.runningRestores).toEqual([]);

    const cw = new CloudWatchClient(motoClientConfig(aws.moto, DR));
    const stat = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'RdsDr', MetricName: 'VerificationPassed', Dimensions: [{ Name: 'Database', Value: 'orders' }, { Name: 'Region', Value: DR }],
        StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 3600_000), Period: 60, Statistics: ['Maximum'],
      }),
    );
    expect(stat.Datapoints?.map((d) => d.Maximum)).toEqual([1]);
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });

  it('data that was already bad at snapshot time fails the drill, names every failing check, and still deletes the instance', async () => {
    const run = await aws.runDrill({ db: 'billing' }, 'drill-billing');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.VerificationFailed');
    const [report] = await reportsFor('billing');
    expect(report.passed).toBe(false);
    expect(report.throwaway.cleanup).toBe('deleted');
    expect(await throwaways()).toEqual([]);
    // Each region pages on its own: a DR-region failure alerts through the DR stack's topic, not the primary's.
    expect(await aws.receiveAlerts('primary')).toEqual([]);
    const [alert] = await aws.receiveAlerts('dr');
    expect(alert.subject).toContain('rds-dr-drill FAILED');
    expect(alert.message).toContain('table public.invoices rows >= 100: observed 10, expected ">= 100"');
    expect(alert.message).toMatch(/table public\.invoices freshness: observed "[^"]+", expected ">= /);
    expect(alert.message).toContain('table public.payments exists: observed false');
    expect(alert.message).toContain('table public.payments rows >= 1: could not run: table is missing');
    expect(alert.message).toContain('no negative invoices: observed "1", expected 0');
  });

  it('an Aurora cluster is restored as cluster + one instance, verified, and both are deleted', async () => {
    const run = await aws.runDrill({ db: 'ledger' }, 'drill-ledger');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(
      expect.arrayContaining(['RestoreCluster', 'CreateClusterInstance', 'ManageClusterPassword', 'RunChecks', 'DeleteClusterInstance', 'DeleteThrowawayCluster']),
    );
    const [report] = await reportsFor('ledger');
    expect(report).toMatchObject({ kind: 'cluster', engine: 'aurora-postgresql', passed: true, throwaway: { instanceClass: 'db.t4g.medium', cleanup: 'deleted' } });
    expect(report.checks.find((c: { name: string }) => c.name === 'table public.entries rows >= 50').observed).toBe(75);
    const clusters = (await aws.rdsDr.send(new DescribeDBClustersCommand({}))).DBClusters ?? [];
    expect(clusters.filter((c) => c.DBClusterIdentifier?.startsWith('rdsdr-verify-'))).toEqual([]);
    expect(await throwaways()).toEqual([]);
  });

  it('a scheduled drill covers every database of the policy and fails naming only the bad one', async () => {
    const run = await aws.runDrill({ policy: 'gold', scheduledTime: '2026-11-29T03:00:00Z' }, 'drill-weekly');
    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(/^Restore drill "gold": 1 of 3 database\(s\) FAILED verification\./);
    expect(run.cause).toContain('- billing:');
    expect(run.cause).toMatch(/- orders: passed, restore [\d.]+ s/);
    expect(run.cause).toMatch(/- ledger: passed, restore [\d.]+ s/);
    expect(run.statesEntered.filter((s) => s === 'ReportVerification')).toHaveLength(3);
    expect(await throwaways()).toEqual([]);
    expect(aws.dataPlane!.runningRestores).toEqual([]);
    expect(await aws.receiveAlerts('dr')).toHaveLength(1);
  });

  it('a restore that never becomes available times out, is cleaned up and alerted', async () => {
    // Any throwaway of orders: its name carries the execution's start minute, which may not be this one.
    const release = holdDatabaseStatus(awsClients.rds(DR), /^rdsdr-verify-orders-\d{12}$/, 'creating');
    try {
      const run = await aws.runDrill({ db: 'orders' }, 'drill-stuck');
      expect(run.status).toBe('FAILED');
      expect(run.statesEntered).toContain('DeleteThrowawayInstance');
      expect(run.statesEntered).not.toContain('RunChecks');
      expect(await throwaways()).toEqual([]);
      const [alert] = await aws.receiveAlerts('dr');
      expect(alert.message).toMatch(/rds-dr\.RestoreTimeout: throwaway rdsdr-verify-orders-\d+ of orders still "creating" after 600 s waiting to become available/);
    } finally {
      release();
    }
  });

  it('a verifier that cannot connect fails the drill, and the instance is still deleted', async () => {
    const restore = aws.dataPlane!.refuseConnections('rdsdr-verify-orders');
    try {
      const run = await aws.runDrill({ db: 'orders' }, 'drill-unreachable');
      expect(run.status).toBe('FAILED');
      expect(await throwaways()).toEqual([]);
      expect(aws.dataPlane!.runningRestores).toEqual([]);
      const [alert] = await aws.receiveAlerts('dr');
      expect(alert.message).toMatch(/connect: .*ECONNREFUSED/);
      expect(alert.message).toContain('table public.orders exists: could not run: no connection');
    } finally {
      restore();
    }
  });

  const drillCalls = (action: string) => {
    const from = aws.sdkCallsDr.length;
    return () => aws.sdkCallsDr.slice(from).filter((c) => c.action === action);
  };

  it('AccessDenied on the restore fails that database\'s drill at the first attempt (no retries of what cannot succeed later), and the alert names it', async () => {
    const restores = drillCalls('restoreDBInstanceFromDBSnapshot');
    const release = aws.rdsFaults.refuse('RestoreDBInstanceFromDBSnapshotCommand', 'AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/drill is not authorized to perform: rds:RestoreDBInstanceFromDBSnapshot');
    try {
      const run = await aws.runDrill({ db: 'orders' }, 'drill-access-denied');
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('rds-dr.VerificationFailed');
      expect(restores().map((c) => c.error)).toEqual(['AccessDenied']);
      expect(run.statesEntered).not.toContain('RunChecks');
      expect(run.statesEntered).toContain('ReportVerification');
      expect(await throwaways()).toEqual([]);
      const [alert] = await aws.receiveAlerts('dr');
      expect(alert.message).toMatch(/- orders:\n\s+Rds\.RdsException: AccessDenied: User: .* is not authorized to perform: rds:RestoreDBInstanceFromDBSnapshot/);
    } finally {
      release();
    }
  });

  it('a throttled delete of the throwaway ("Rate exceeded") is tried again and the throwaway is deleted', async () => {
    const deletes = drillCalls('deleteDBInstance');
    const release = aws.rdsFaults.refuse('DeleteDBInstanceCommand', 'Throttling', 'Rate exceeded', { requests: 2 });
    try {
      const run = await aws.runDrill({ db: 'orders' }, 'drill-delete-throttled');
      expect(run.cause).toBeUndefined();
      expect(run.status).toBe('SUCCEEDED');
      expect(deletes().map((c) => c.error ?? 'ok')).toEqual(['Throttling', 'Throttling', 'ok']);
      expect(await throwaways()).toEqual([]);
      expect(aws.dataPlane!.runningRestores).toEqual([]);
      expect(await aws.receiveAlerts('dr')).toEqual([]);
    } finally {
      release();
    }
  });

  it('AccessDenied on the delete of the throwaway is not retried: the report says the cleanup FAILED with the code (the sweeper\'s to retry)', async () => {
    const deletes = drillCalls('deleteDBInstance');
    const release = aws.rdsFaults.refuse('DeleteDBInstanceCommand', 'AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/drill is not authorized to perform: rds:DeleteDBInstance', { requests: 1 });
    try {
      const run = await aws.runDrill({ db: 'orders' }, 'drill-delete-denied');
      expect(deletes().map((c) => c.error)).toEqual(['AccessDenied']);
      const [leftover] = await throwaways();
      expect(leftover).toMatch(/^rdsdr-verify-orders-\d{12}$/);
      const report = (await reportsFor('orders')).find((r) => r.executionArn.endsWith(':drill-delete-denied'));
      expect(report.throwaway.cleanup).toMatch(/^FAILED: Rds\.RdsException: AccessDenied: User: .* \(the hourly sweeper will retry\)$/);
      expect(run.statesEntered).toContain('CleanupFailed');
      // What the sweeper would do: delete the leftover (and stop its local server).
      const input = { DBInstanceIdentifier: leftover, SkipFinalSnapshot: true };
      await aws.rdsDr.send(new DeleteDBInstanceCommand(input));
      await aws.dataPlane!.onSdkCall({ region: DR, service: 'rds', action: 'deleteDBInstance', input, output: {} });
      expect(await throwaways()).toEqual([]);
    } finally {
      release();
      await aws.receiveAlerts('dr');
    }
  });

  it('the sweeper deletes an expired leftover and leaves a fresh one and every other instance alone', async () => {
    const make = (id: string, tags: Record<string, string>) =>
      aws.rdsDr.send(new CreateDBInstanceCommand({
        DBInstanceIdentifier: id, Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'local-only-pw',
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }));
    const past = new Date(Date.now() - 3600_000).toISOString();
    const future = new Date(Date.now() + 3600_000).toISOString();
    await make('rdsdr-verify-old-202601010000', { 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': past });
    await make('rdsdr-verify-new-202601010000', { 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': future });
    await make('rdsdr-verify-lookalike', { 'rds-dr:expires-at': past });
    await make('customer-db', { 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': past });

    await aws.receiveWarnings('primary'); // earlier backup runs' PITR-readiness warnings (moto's default retention is 1 day)
    const result = await aws.runSweeper();
    expect(result).toEqual({ deleted: ['instance rdsdr-verify-old-202601010000'], failed: [] });
    const left = ((await aws.rdsDr.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((d) => d.DBInstanceIdentifier).sort();
    expect(left).toEqual(['customer-db', 'rdsdr-verify-lookalike', 'rdsdr-verify-new-202601010000']);
    // A cleaned leftover is a warning: on the DR region's warnings topic, never on the critical one that pages
    // nor on the primary region's.
    expect(await aws.receiveAlerts('dr')).toEqual([]);
    expect(await aws.receiveWarnings('primary')).toEqual([]);
    const warnings = await aws.receiveWarnings('dr');
    expect(warnings).toHaveLength(1);
    const [alert] = warnings;
    expect(alert.subject).toContain('sweeper removed 1 leftover drill instance');
    expect(alert.message).toContain('docs/ALARMS.md#sweeper-leftover');
    expect(alert.message).toContain('deleted: instance rdsdr-verify-old-202601010000');
    expect((await aws.runSweeper()).deleted).toEqual([]);
  });

  it.each([
    [{ db: 'nope' }, 'input.db: "nope" is not drilled by this deployment; drilled databases: orders, ledger, billing'],
    [{ db: 'orders', snapshot: 'arn:aws:rds:us-west-2:999999999999:snapshot:rdsdr-orders-202611220200' }, 'input.snapshot: belongs to account 999999999999'],
    [{ db: 'orders', region: 'eu-west-1' }, 'input.region: "eu-west-1" has no verification network; drills run in us-west-2'],
    [{ db: 'orders', snapshot: 'rdsdr-orders-1' }, 'input.snapshot: must be a DB snapshot or cluster snapshot ARN'],
    [{ db: 'orders', force: true }, 'input: unknown field(s) force'],
    ['orders', 'input must be a JSON object'],
    [{ policy: 'silver' }, 'input.policy: "silver" has no restore drills'],
  ])('bad manual input %j fails at the first state, creates nothing, and the alert names the field', async (input, message) => {
    aws.sdkCallsDr.length = 0;
    const run = await aws.runDrill(input);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.InvalidInput');
    expect(run.statesEntered).toEqual(['PlanVerification']);
    expect(aws.sdkCallsDr).toEqual([]);
    const [alert] = await aws.receiveAlerts('dr');
    expect(alert.message).toContain(message);
  });
});
