import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '../../../bin/cli/status.js';
import { createPostgresInstance } from '../../local/fleet.js';
import { LocalStack } from '../../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../../local/moto.js';
import { DR, localConfig, PRIMARY } from '../../state-machines/fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const DAY = 86_400;

describe('RPO monitor on the local AWS', () => {
  let aws: LocalStack;
  /** The newest value of a series in the CloudWatch of the region its monitor writes to (series-owner.ts: the DR series in the DR region). */
  const lastValue = async (name: string, db: string, region: string) => {
    const cloudwatch = new CloudWatchClient(motoClientConfig(aws.moto, region));
    const out = await cloudwatch.send(new GetMetricStatisticsCommand({
      Namespace: 'RdsDr', MetricName: name, Dimensions: [{ Name: 'Database', Value: db }, { Name: 'Region', Value: region }],
      StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 3600_000), Period: 60, Statistics: ['Maximum'],
    }));
    const points = (out.Datapoints ?? []).sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
    return points.at(-1)?.Maximum;
  };

  beforeAll(async () => {
    aws = await LocalStack.start({ config: localConfig() });
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY * 1000).toISOString();
    expect((await aws.runBackup({ policy: 'gold', scheduledTime: twoDaysAgo }, 'older')).status).toBe('SUCCEEDED');
    expect((await aws.runBackup({ policy: 'gold', scheduledTime: new Date().toISOString() }, 'newest')).status).toBe('SUCCEEDED');
  });
  afterAll(async () => aws?.stop());

  it('publishes each protected database\'s recovery-point ages to CloudWatch (live ages from the primary region\'s monitor, copy ages from the DR region\'s)', async () => {
    const result = await aws.runRpoMonitor();
    expect(result.databases).toBe(1);
    expect((await aws.runRpoMonitor('dr')).databases).toBe(1);
    // Both regions have a backup from moments ago (the primary may also have a newer point-in-time restore target).
    expect(await lastValue('RecoveryPointAgeSeconds', 'orders', PRIMARY)).toBeLessThan(120);
    expect(await lastValue('RecoveryPointAgeSeconds', 'orders', DR)).toBeLessThan(120);
    expect(await lastValue('LastCopyAgeSeconds', 'orders', DR)).toBeLessThan(120);
  });

  it('`rds-dr status` prints the summary, then the table (a small fleet is listed whole) from live data, and reports no breach', async () => {
    const result = await status(aws.config, { account: LOCAL_ACCOUNT_ID, colour: false });
    expect(result.output).toMatch(/^1 protected database: 1 within objectives, 0 breaching\n/);
    expect(result.output).toMatch(/\ndatabase\s+RPO us-east-1\s+RPO us-west-2\s+last snapshot\s+last copy\s+last drill\s+measured RTO/);
    expect(result.output).toMatch(/\norders\s+\d+s \/ 60m\s+\d+s \/ 25h/);
    expect(result.breached).toBe(false);
  });

  it('deleting the newest DR copy raises the DR age to the previous copy\'s', async () => {
    const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 12);
    const newestId = `rdsdr-orders-${stamp(new Date())}`;
    await aws.rdsDr.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: newestId })).catch(async () => {
      // The slot is the minute the backup ran, which may be the previous minute by now.
      await aws.rdsDr.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `rdsdr-orders-${stamp(new Date(Date.now() - 60_000))}` }));
    });
    const result = await aws.runRpoMonitor();
    const drRun = await aws.runRpoMonitor('dr');
    const dr = drRun.metrics.find((m) => m.name === 'RecoveryPointAgeSeconds' && m.region === DR)!.value;
    expect(dr).toBeGreaterThanOrEqual(2 * DAY - 120);
    expect(dr).toBeLessThan(2 * DAY + 120);
    expect(result.metrics.find((m) => m.name === 'RecoveryPointAgeSeconds' && m.region === PRIMARY)!.value).toBeLessThan(120);
    expect(await lastValue('RecoveryPointAgeSeconds', 'orders', DR)).toBeGreaterThanOrEqual(2 * DAY - 120);
    // Two days is past the 25 h DR objective: status flags it and fails.
    const report = await status(aws.config, { account: LOCAL_ACCOUNT_ID, colour: false });
    expect(report.breached).toBe(true);
    expect(report.output).toMatch(/\borders\s+\d+s \/ 60m\s+2d \/ 25h!/);
  });
});
