// The RPO monitor deployed in both regions (issue 13, part 4: "RPO metrics stay continuous through
// the whole incident: no gap, no false 0 s"), in normal operation: each deployment publishes the
// series it owns (lambdas/monitor/series-owner.ts) in its own region, where its alarms are, so one
// breach pages once. The primary-region outage: rpo-monitor-outage.moto.test.ts.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { motoClientConfig } from '../../local/moto.js';
import { DR, PRIMARY } from '../../state-machines/fixtures.js';
import { alarmPages, DAY, series, startWithOldBackups, valueOf } from './two-region-monitor.js';

describe('RPO monitor in both regions, normal operation', () => {
  let aws: LocalStack;
  beforeAll(async () => {
    aws = await startWithOldBackups();
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

