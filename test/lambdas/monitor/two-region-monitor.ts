// Shared by the RPO monitor's two-region tests (a local AWS per test file: the Lambdas' SDK clients
// are cached per process and keep the first moto's endpoint).
import { CreateDBInstanceReadReplicaCommand } from '@aws-sdk/client-rds';
import { expect } from 'vitest';
import type { MonitorRun } from '../../../lambdas/monitor/monitor-recovery.js';
import { createPostgresInstance } from '../../local/fleet.js';
import { LocalStack } from '../../local/local-stack.js';
import { localConfig } from '../../state-machines/fixtures.js';

export const DAY = 86_400;
const GOLD = { 'rds-dr:policy': 'gold' };

/** orders (with a DR read replica as its standby) and billing, both under the gold policy. */
export const TWO_REGION_CONFIG = localConfig({ incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } } });

/** The value of one series as a run published it. */
export const valueOf = (run: MonitorRun, name: string, db: string, region: string) => run.metrics.find((m) => m.name === name && m.db === db && m.region === region)?.value;
/** Which (database, Region) pairs of RecoveryPointAgeSeconds a run published. */
export const series = (run: MonitorRun) => run.metrics.filter((m) => m.name === 'RecoveryPointAgeSeconds').map((m) => `${m.db}@${m.region}`).sort();
/** The subjects of the CloudWatch alarm notifications among `alerts`. */
export const alarmPages = (alerts: { subject: string }[]) => alerts.filter((a) => a.subject.startsWith('ALARM:')).map((a) => a.subject);

/** Both databases backed up and copied two days ago (past the 25 h DR objective), nothing since. */
export async function startWithOldBackups(): Promise<LocalStack> {
  const aws = await LocalStack.start({ config: TWO_REGION_CONFIG });
  const ordersArn = await createPostgresInstance(aws.rds, 'orders', GOLD);
  await createPostgresInstance(aws.rds, 'billing', GOLD);
  // The standby carries the policy's tags (as its primary does): a failover during an outage cannot read the primary's.
  await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: ordersArn, Tags: [{ Key: 'rds-dr:policy', Value: 'gold' }] }));
  const run = await aws.runBackup({ policy: 'gold', scheduledTime: new Date(Date.now() - 2 * DAY * 1000).toISOString() }, 'two-days-ago');
  expect(run.cause ?? '').toBe('');
  expect(run.status).toBe('SUCCEEDED');
  return aws;
}
