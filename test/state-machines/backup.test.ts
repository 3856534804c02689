import { DeleteDBInstanceCommand, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuroraPostgresCluster, createPostgresInstance, createReadReplica } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID } from '../local/moto.js';
import { localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const tagsOf = (list?: { Key?: string; Value?: string }[]) => Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value]));

describe('backup workflow on the local AWS (moto + PostgreSQL)', () => {
  let aws: LocalStack;
  const arns: Record<string, string> = {};

  beforeAll(async () => {
    aws = await LocalStack.start({ config: localConfig(), withPostgres: true });
    arns.orders = await createPostgresInstance(aws.rds, 'orders', GOLD);
    arns.billing = await createPostgresInstance(aws.rds, 'billing', GOLD);
    await createPostgresInstance(aws.rds, 'scratch'); // untagged: not protected
    await createReadReplica(aws.rds, 'orders-replica', 'orders', GOLD); // tagged replica: not snapshotted
    arns.ledger = await createAuroraPostgresCluster(aws.rds, 'ledger', GOLD);
    // Real data behind "orders", so a snapshot holds rows that can be read back.
    await aws.pg!.createDatabase('orders');
    const c = aws.pg!.client('orders');
    await c.connect();
    await c.query('CREATE TABLE orders (id int primary key, total numeric); INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 250) g');
    await c.end();
    aws.dataPlane!.attach('instance', 'orders', 'orders');
  });
  afterAll(async () => aws?.stop());

  const slot = '2026-11-22T02:00:00Z';

  it('snapshots exactly the tagged primaries and the cluster, tagged, and copies them encrypted with the DR key', async () => {
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: slot }, 'gold-first');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');

    const snaps = (await aws.rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots ?? [];
    expect(snaps.map((s) => s.DBSnapshotIdentifier).sort()).toEqual(['rdsdr-billing-202611220200', 'rdsdr-orders-202611220200']);
    const orders = snaps.find((s) => s.DBInstanceIdentifier === 'orders')!;
    expect(tagsOf(orders.TagList)).toMatchObject({
      'rds-dr:managed': 'true',
      'rds-dr:policy': 'gold',
      'rds-dr:source-arn': arns.orders,
      'rds-dr:slot': '2026-11-22T02:00:00.000Z',
      'rds-dr:execution': run.executionArn,
    });
    const clusterSnaps = (await aws.rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }))).DBClusterSnapshots ?? [];
    expect(clusterSnaps.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['rdsdr-ledger-202611220200']);
    expect(tagsOf(clusterSnaps[0].TagList)['rds-dr:source-arn']).toBe(arns.ledger);

    const copies = (await aws.rdsDr.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? [];
    expect(copies.map((s) => s.DBSnapshotIdentifier).sort()).toEqual(['rdsdr-billing-202611220200', 'rdsdr-orders-202611220200']);
    for (const copy of copies) {
      expect(copy.Encrypted).toBe(true);
      expect(copy.KmsKeyId).toBe(aws.drKeyArn);
      expect(copy.DBSnapshotArn).toContain(':us-west-2:');
      const source = snaps.find((s) => s.DBSnapshotIdentifier === copy.DBSnapshotIdentifier)!;
      expect(tagsOf(copy.TagList)).toMatchObject({ 'rds-dr:copy-of': source.DBSnapshotArn, 'rds-dr:managed': 'true', 'rds-dr:policy': 'gold' });
    }
    const clusterCopies = (await aws.rdsDr.send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots ?? [];
    expect(clusterCopies).toHaveLength(1);
    expect(clusterCopies[0].KmsKeyId).toBe(aws.drKeyArn);
    expect(tagsOf(clusterCopies[0].TagList)['rds-dr:copy-of']).toBe(clusterSnaps[0].DBClusterSnapshotArn);

    expect((run.output as { failedCount: number }).failedCount).toBe(0);
    const report = await aws.backupReport(run);
    expect(report.succeeded.map((r) => r.db).sort()).toEqual(['billing', 'ledger', 'orders']);
    expect(await aws.receiveAlerts()).toEqual([]);
  });

  it('captures the live PostgreSQL data in the snapshot, and the DR copy holds the same rows', async () => {
    const copyArn = `arn:aws:rds:us-west-2:${LOCAL_ACCOUNT_ID}:snapshot:rdsdr-orders-202611220200`;
    expect(aws.dataPlane!.hasData(copyArn)).toBe(true);
    await aws.dataPlane!.restoreInto(copyArn, 'orders_restored');
    const c = aws.pg!.client('orders_restored');
    await c.connect();
    const { rows } = await c.query('SELECT count(*)::int AS n, sum(total)::text AS s FROM orders');
    await c.end();
    expect(rows[0]).toEqual({ n: 250, s: '47062.5' });
  });

  it('running the same slot again creates no duplicates and still succeeds', async () => {
    const before = aws.lambdaRdsCalls.length;
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:41Z' }, 'gold-retry');
    expect(run.status).toBe('SUCCEEDED');
    const creates = aws.lambdaRdsCalls.slice(before).filter((c) => c.command.startsWith('Create'));
    expect(creates.map((c) => c.error).sort()).toEqual(['DBClusterSnapshotAlreadyExistsFault', 'DBSnapshotAlreadyExistsFault', 'DBSnapshotAlreadyExistsFault']);
    expect((await aws.rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots).toHaveLength(2);
    expect((await aws.rdsDr.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots).toHaveLength(2);
    expect((await aws.rdsDr.send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots).toHaveLength(1);
  });

  it('a database deleted between discovery and snapshot fails only its branch, and the alert reaches SQS', async () => {
    // Delete "billing" the moment discovery has listed it.
    let deleted = false;
    aws.sdkCalls.length = 0;
    const unwrap = aws.wrapLambda('discover-databases', (discover) => async (event) => {
      const plan = await discover(event);
      await aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'billing', SkipFinalSnapshot: true }));
      deleted = true;
      return plan;
    });
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-23T02:00:00Z' }, 'gold-deleted-db').finally(unwrap);
    expect(deleted).toBe(true);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.BackupFailed');
    expect(run.cause).toMatch(/1 of 3 database\(s\) FAILED/);
    // The batch may snapshot a database only if it carries the policy's tags (aws:ResourceTag); IAM
    // authorizes before RDS looks the instance up, and a deleted instance has no tags: AccessDenied.
    expect(run.cause).toMatch(/billing \(instance\): AccessDenied: User: .*rds:CreateDBSnapshot on resource: arn:aws:rds:us-east-1:123456789012:db:billing/);
    // The others completed.
    const copies = (await aws.rdsDr.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? [];
    expect(copies.map((s) => s.DBSnapshotIdentifier)).toContain('rdsdr-orders-202611230200');
    expect(copies.map((s) => s.DBSnapshotIdentifier)).not.toContain('rdsdr-billing-202611230200');
    const clusterCopies = (await aws.rdsDr.send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots ?? [];
    expect(clusterCopies.map((s) => s.DBClusterSnapshotIdentifier)).toContain('rdsdr-ledger-202611230200');

    const alerts = await aws.receiveAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toContain('rds-dr-backup FAILED');
    expect(alerts[0].message).toContain('billing (instance): AccessDenied: User:');
    expect(alerts[0].message).toContain(run.executionArn);
    expect(alerts[0].message).toContain('https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/');
  });

  const future = new Date(Date.now() + 3_600_000).toISOString();
  it.each([
    ['an unknown policy', { policy: 'platinum' }, 'input.policy: unknown policy "platinum"; configured: gold'],
    // No snapshot may be named, or dated, after a slot that has not come.
    ['a scheduledTime in the future', { policy: 'gold', scheduledTime: future }, `input.scheduledTime: ${future} is after this execution's start`],
  ])('bad input (%s) fails at the first state with an alert naming the field, and touches nothing', async (_case, input, message) => {
    aws.sdkCalls.length = 0;
    const run = await aws.runBackup(input, `bad-input-${Object.keys(input).length}`);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.InvalidInput');
    expect(run.statesEntered).toEqual(['DiscoverDatabases']);
    expect(aws.sdkCalls).toEqual([]);
    const alerts = await aws.receiveAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain(message);
  });
});
