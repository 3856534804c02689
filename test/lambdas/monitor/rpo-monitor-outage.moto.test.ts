// The RPO monitor's DR-region deployment with the primary region unreachable (issue 13, part 4: "RPO
// metrics stay continuous through the whole incident: no gap, no false 0 s"): it still publishes the
// DR-copy age of every database and both ages of a failed-over one, from the DR region alone, and its
// alarms page through the DR region's topics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPAIRED_REGION_CLIENT } from '../../../lambdas/aws/clients.js';
import type { MonitorRun } from '../../../lambdas/monitor/monitor-recovery.js';
import type { LocalStack } from '../../local/local-stack.js';
import { DR, PRIMARY } from '../../state-machines/fixtures.js';
import { alarmPages, DAY, series, startWithOldBackups, valueOf } from './two-region-monitor.js';

describe('RPO monitor with the primary region unreachable', () => {
  let aws: LocalStack;
  let outage: Awaited<ReturnType<LocalStack['regionOutage']>>;
  let run: MonitorRun;
  beforeAll(async () => {
    aws = await startWithOldBackups();
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
