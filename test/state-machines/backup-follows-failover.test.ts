// Protection follows the database (issue 13): after a failover of one of a policy's two databases,
// the primary region's backup protects only the other, and the DR region's deployment of the same
// workflow snapshots the promoted database there and copies it back to the primary region.
import { CreateDBInstanceReadReplicaCommand, DeleteDBInstanceCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { motoClientConfig } from '../local/moto.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('backup follows a failed-over database to the DR region', () => {
  let aws: LocalStack;
  let failbackKeyArn = '';

  beforeAll(async () => {
    aws = await LocalStack.start({
      config: localConfig({ incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } } }),
      // The failback copies' key in the primary region (config incident.failbackKmsKeyArn).
      prepare: async (moto, config) => {
        const key = await new KMSClient(motoClientConfig(moto, PRIMARY)).send(new CreateKeyCommand({ Description: 'rds-dr failback copies (local)' }));
        failbackKeyArn = key.KeyMetadata?.Arn ?? '';
        return { ...config, incident: { ...(config.incident as object), failbackKmsKeyArn: failbackKeyArn } };
      },
    });
    const ordersArn = await createPostgresInstance(aws.rds, 'orders', GOLD);
    await createPostgresInstance(aws.rds, 'billing', GOLD);
    // The standby was made by hand, without the policy's tag: the failover gives it the primary's.
    await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: ordersArn }));
  }, 120_000);
  afterAll(async () => aws?.stop());

  const snapshots = async (region: string) =>
    ((await (region === DR ? aws.rdsDr : aws.rds).send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots ?? []).map((s) => ({
      id: s.DBSnapshotIdentifier,
      source: s.DBInstanceIdentifier,
      kms: s.KmsKeyId,
    }));

  it('before a failover, the DR deployment finds nothing to back up and succeeds', async () => {
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-29T02:00:00Z' }, 'dr-idle', DR);
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect((run.output as { counts: Record<string, number> }).counts).toMatchObject({ succeeded: 0, failed: 0 });
    expect(await snapshots(DR)).toEqual([]);
  });

  it('after failing over orders: the primary backs up only billing; the DR region backs up the promoted orders and copies it to the primary region', async () => {
    const failover = await aws.runFailover({ db: 'orders', reason: 'us-east-1 outage INC-13', force: true }, 'orders-failover');
    expect(failover.cause ?? '').toBe('');
    expect(failover.status).toBe('SUCCEEDED');

    const primaryRun = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-30T02:00:00Z' }, 'gold-primary');
    expect(primaryRun.cause ?? '').toBe('');
    expect(primaryRun.status).toBe('SUCCEEDED');
    const primaryReport = await aws.backupReport(primaryRun);
    expect(primaryReport.succeeded.map((s) => s.db)).toEqual(['billing']);
    expect(primaryReport.failed).toEqual([]);

    const drRun = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-30T02:00:00Z' }, 'gold-dr', DR);
    expect(drRun.cause ?? '').toBe('');
    expect(drRun.status).toBe('SUCCEEDED');
    const drReport = await aws.backupReport(drRun);
    expect(drReport.succeeded.map((s) => s.db)).toEqual(['orders-replica']);
    expect(drReport.failed).toEqual([]);

    // Snapshotted in the DR region, from the promoted instance; copied to the primary region with the failback key.
    expect((await snapshots(DR)).filter((s) => s.id?.startsWith('rdsdr-orders'))).toEqual([
      { id: 'rdsdr-orders-replica-202611300200', source: 'orders-replica', kms: expect.any(String) },
    ]);
    const primarySnapshots = await snapshots(PRIMARY);
    expect(primarySnapshots.filter((s) => s.id === 'rdsdr-orders-replica-202611300200')).toEqual([
      { id: 'rdsdr-orders-replica-202611300200', source: 'orders-replica', kms: failbackKeyArn },
    ]);
    // The primary took no snapshot of orders in this slot: the database is protected in one region only.
    expect(primarySnapshots.map((s) => s.id)).not.toContain('rdsdr-orders-202611300200');
    expect(primarySnapshots.map((s) => s.id)).toContain('rdsdr-billing-202611300200');
  });

  it('the RPO monitor measures the failed-over database from its DR-region snapshot and its copy in the primary region, under its own name', async () => {
    // The old primary is gone: without following the record, orders would drop out of the metrics.
    await aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders', SkipFinalSnapshot: true }));
    // Both its series are the DR region's monitor's (lambdas/monitor/series-owner.ts); the primary's measures only billing's live age.
    const primary = await aws.runRpoMonitor();
    expect(primary.metrics.some((m) => m.db === 'orders')).toBe(false);
    expect(primary.metrics.filter((m) => m.name === 'RecoveryPointAgeSeconds').map((m) => `${m.db}@${m.region}`)).toEqual([`billing@${PRIMARY}`]);
    const { metrics } = await aws.runRpoMonitor('dr');
    const of = (name: string, region: string) => metrics.find((m) => m.name === name && m.db === 'orders' && m.region === region)?.value;
    // Real ages of the DR backup's snapshot and copy (their recovery point is the schedule slot), not the
    // "never backed up" age and not missing.
    const sinceSlot = (Date.now() - Date.parse('2026-11-30T02:00:00Z')) / 1000;
    for (const [name, region] of [['LastSnapshotAgeSeconds', PRIMARY], ['LastCopyAgeSeconds', DR], ['RecoveryPointAgeSeconds', DR]]) {
      expect(Math.abs((of(name, region) ?? -1e9) - sinceSlot), `${name} ${region}`).toBeLessThan(300);
    }
    expect(of('RecoveryPointAgeSeconds', PRIMARY)).toBeDefined();
    // The promoted instance is reported as orders, not as a database of its own.
    expect(metrics.some((m) => m.db === 'orders-replica')).toBe(false);
    expect(metrics.filter((m) => m.name === 'LastSnapshotAgeSeconds').map((m) => m.db).sort()).toEqual(['orders']);
    // billing's copy age (its DR copy) is the DR region's monitor's too.
    expect(metrics.filter((m) => m.name === 'LastCopyAgeSeconds').map((m) => m.db).sort()).toEqual(['billing', 'orders']);
  });
});
