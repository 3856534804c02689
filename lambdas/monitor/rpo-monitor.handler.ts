import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { METRIC_NAMESPACE } from '../core/metrics.js';
import { recoveryMetrics, type MetricPoint } from './recovery-ages.js';
import { readRecoveryFacts } from './recovery-facts.js';

const settings = readSettings();
const cloudwatch = new CloudWatchClient({ region: settings.primaryRegion, maxAttempts: 5 });
// PutMetricData accepts at most 1,000 data points per call.
const BATCH = 1000;

/** Scheduled every few minutes: publishes every protected database's recovery-point ages. */
export async function handler(event: { id?: string } = {}): Promise<{ databases: number; metrics: MetricPoint[] }> {
  withLogKeys({ invocation: event.id });
  const now = new Date();
  const facts = await readRecoveryFacts(settings);
  const metrics = recoveryMetrics(facts, { primary: settings.primaryRegion, dr: settings.drRegion }, now);
  const data: MetricDatum[] = metrics.map((m) => ({
    MetricName: m.name,
    Dimensions: [...(m.db ? [{ Name: 'Database', Value: m.db }] : []), { Name: 'Region', Value: m.region }],
    Value: m.value,
    Unit: m.unit,
    Timestamp: now,
  }));
  for (let i = 0; i < data.length; i += BATCH) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: data.slice(i, i + BATCH) }));
  }
  for (const f of facts) {
    const mine = metrics.filter((m) => m.db === f.db);
    logger.info('recovery point ages', { db: f.db, ...Object.fromEntries(mine.map((m) => [`${m.name}@${m.region}`, m.value])) });
  }
  return { databases: facts.length, metrics };
}
