// The RPO monitor deployed in both regions (issue 13, part 4: "RPO metrics stay continuous through
// the whole incident: no gap, no false 0 s"). Each deployment publishes the series it owns
// (lambdas/monitor/series-owner.ts) in its own region, where its alarms are: one breach pages once,
// and with the primary region unreachable the DR region's monitor still publishes the DR-copy age of
// every database and both ages of a failed-over one, and its alarms page through the DR topics.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceReadReplicaCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPAIRED_REGION_CLIENT } from '../../../lambdas/aws/clients.js';
import type { MonitorRun } from '../../../lambdas/monitor/monitor-recovery.js';
import { createPostgresInstance } from '../../local/fleet.js';
import { LocalStack } from '../../local/local-stack.js';
import { motoClientConfig } from '../../local/moto.js';
import { DR, localConfig, PRIMARY } from '../../state-machines/fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const DAY = 86_400;
const TWO_DAYS_AGO = () => new Date(Date.now() - 2 * DAY * 1000).toISOString();

/** The value of one series as a run published it. */
const valueOf = (run: MonitorRun, name: string, db: string, region: string) => run.metrics.find((m) => m.name === name && m.db === db && m.region === region)?.value;
/** Which (database, Region) pairs of RecoveryPointAgeSeconds a run published. */
const series = (run: MonitorRun) => run.metrics.filter((m) => m.name === 'RecoveryPointAgeSeconds').map((m) => `${m.db}@${m.region}`).sort();

/** Two databases of the gold policy, both backed up and copied two days ago (past the 25 h DR objective). */
async function startWithOldBackups(config: Record<string, unknown>): Promise<LocalStack> {
  const aws = await LocalStack.start({ config });
  const ordersArn = await createPostgresInstance(aws.rds, 'orders', GOLD);
  await createPostgresInstance(aws.rds, 'billing', GOLD);
  // The standby carries the policy's tags (as its primary does): a failover during an outage cannot read the primary's.
  await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: ordersArn, Tags: [{ Key: 'rds-dr:policy', Value: 'gold' }] }));
  const run = await aws.runBackup({ policy: 'gold', scheduledTime: TWO_DAYS_AGO() }, 'two-days-ago');
  expect(run.cause ?? '').toBe('');
  expect(run.status).toBe('SUCCEEDED');
  return aws;
}

const CONFIG = localConfig({ incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } } });
const alarmPages = (alerts: { subject: string }[]) => alerts.filter((a) => a.subject.startsWith('ALARM:')).map((a) => a.subject);

describe('RPO monitor in both regions, normal operation', () => {
  let aws: LocalStack;
  beforeAll(async () => {
    aws = await startWithOldBackups(CONFIG);
  }, 180_000);
  afterAll(async () => aws?.stop());

  it('each series has one publisher: the primary the live ages, the DR region the copy ages, each in its own CloudWatch', async () => {
    const primary = await aws.runRpoMonitor('primary');
    const dr = await aws.runRpoMonitor('dr');
    expect(primary.role).toBe('primary');
    expect(dr.role).toBe('dr');
    expect(series(primary)).toEqual([`billing@${PRIMARY}`, `orders@${PRIMARY}`]);
    expect(series(dr)).toEqual([`billing@${DR}`, `orders@${DR}`]);
    // The DR monitor's list of databases comes from the copies it holds.
    expect(dr.databases).toBe(2);
    for (const db of ['orders', 'billing']) {
      const age = valueOf(dr, 'RecoveryPointAgeSeconds', db, DR) ?? -1;
      expect(Math.abs(age - 2 * DAY), db).toBeLessThan(300);
    }
    // Written where its alarms are: the DR region's CloudWatch has the copy series, the primary's does not.
    const last = async (region: string, db: string, seriesRegion: string) => {
      const out = await new CloudWatchClient(motoClientConfig(aws.moto, region)).send(
        new GetMetricStatisticsCommand({
          Namespace: 'RdsDr', MetricName: 'RecoveryPointAgeSeconds', Dimensions: [{ Name: 'Database', Value: db }, { Name: 'Region', Value: seriesRegion }],
          StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 3600_000), Period: 60, Statistics: ['Maximum'],
        }),
      );
      return out.Datapoints?.[0]?.Maximum;
    };
    expect(await last(DR, 'orders', DR)).toBeGreaterThan(DAY);
    expect(await last(PRIMARY, 'orders', DR)).toBeUndefined();
    expect(await last(PRIMARY, 'orders', PRIMARY)).toBeDefined();
    expect(await last(DR, 'orders', PRIMARY)).toBeUndefined();
  });

  it('a DR-copy breach pages exactly once: the DR region\'s alarm on its critical topic, nothing from the primary region; not again while it lasts', async () => {
    await aws.runRpoMonitor('primary');
    await aws.runRpoMonitor('dr');
    const primarySent = await aws.evaluateAlarms('primary');
    const drSent = await aws.evaluateAlarms('dr');
    expect(primarySent).toEqual([]);
    expect(drSent.map((n) => n.alarm).sort()).toEqual(['rds-dr-CopyLagHigh', 'rds-dr-RpoDrBreached']);
    const pages = [...alarmPages(await aws.receiveAlerts('primary')), ...alarmPages(await aws.receiveAlerts('dr'))];
    expect(pages).toEqual([`ALARM: "rds-dr-RpoDrBreached" in ${DR}`]);
    // The copy lag is a warning (email), on the DR region's warnings topic.
    expect(alarmPages(await aws.receiveWarnings('dr'))).toEqual([`ALARM: "rds-dr-CopyLagHigh" in ${DR}`]);
    expect(alarmPages(await aws.receiveWarnings('primary'))).toEqual([]);

    await aws.runRpoMonitor('dr');
    expect(await aws.evaluateAlarms('dr')).toEqual([]);
    expect(alarmPages(await aws.receiveAlerts('dr'))).toEqual([]);
  });
});

describe('RPO monitor with the primary region unreachable', () => {
  let aws: LocalStack;
  let outage: Awaited<ReturnType<LocalStack['regionOutage']>>;
  let run: MonitorRun;
  beforeAll(async () => {
    aws = await startWithOldBackups(CONFIG);
    outage = await aws.regionOutage(PRIMARY);
    const failover = await aws.runFailover({ db: 'orders', reason: 'us-east-1 outage INC-13', force: true }, 'orders-failover');
    expect(failover.cause ?? '').toBe('');
    expect(failover.status).toBe('SUCCEEDED');
    outage.attempts.length = 0;
    run = await aws.runRpoMonitor('dr');
  }, 240_000);
  afterAll(async () => {
    await outage?.end();
    await aws?.stop();
  });

  it('publishes the DR-copy age of every database and both ages of the failed-over one, from the DR region alone', () => {
    expect(series(run)).toEqual([`billing@${DR}`, `orders@${PRIMARY}`, `orders@${DR}`]);
    // Its live age: the promoted database's own restorable time in the DR region (moto's is always now).
    expect(valueOf(run, 'RecoveryPointAgeSeconds', 'orders', PRIMARY)).toBeLessThan(300);
    // The promoted database is reported as orders, not as a database of its own.
    expect(run.metrics.some((m) => m.db === 'orders-replica')).toBe(false);
  });

  it('publishes no 0 s for a database not backed up since: the copy ages are those of the two-day-old copies', () => {
    for (const db of ['orders', 'billing']) {
      for (const name of ['RecoveryPointAgeSeconds', 'LastCopyAgeSeconds']) {
        const age = valueOf(run, name, db, DR);
        expect(age, `${name} ${db}`).toBeDefined();
        expect(Math.abs((age ?? 0) - 2 * DAY), `${name} ${db}`).toBeLessThan(300);
      }
    }
    expect(run.metrics.filter((m) => m.unit === 'Seconds' && m.region === DR).every((m) => m.value > DAY)).toBe(true);
  });

  it('tries the primary region once, best effort, with the client that gives up fast, and says so', () => {
    expect(run.unread).toMatchObject({ region: PRIMARY, error: expect.stringMatching(/ECONNREFUSED/) });
    const calls = new Set(outage.attempts.map((a) => `${a.client}.${a.command}`));
    expect([...calls].every((c) => /^RDSClient\.DescribeDB(Cluster)?SnapshotsCommand$/.test(c))).toBe(true);
    expect(outage.attempts.length).toBeGreaterThan(0);
    expect(outage.attempts.length).toBeLessThanOrEqual(2 * IMPAIRED_REGION_CLIENT.maxAttempts);
  });

  it('a breach pages the DR region\'s inbox, not the primary\'s (whose CloudWatch is down with it)', async () => {
    await expect(aws.evaluateAlarms('primary')).rejects.toThrow(/down/);
    const sent = await aws.evaluateAlarms('dr');
    expect(sent.filter((n) => n.alarm === 'rds-dr-RpoDrBreached')).toEqual([
      { alarm: 'rds-dr-RpoDrBreached', region: DR, value: expect.any(Number), topics: [aws.alertTopicArnOf('dr')] },
    ]);
    // The failed-over database's live age is within its objective: no page for it.
    expect(sent.map((n) => n.alarm)).not.toContain('rds-dr-RpoPrimaryBreached');
    expect(alarmPages(await aws.receiveAlerts('dr'))).toEqual([`ALARM: "rds-dr-RpoDrBreached" in ${DR}`]);
    expect(alarmPages(await aws.receiveAlerts('primary'))).toEqual([]);
  });
});
