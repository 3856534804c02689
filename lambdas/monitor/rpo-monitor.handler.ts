import { logger, withLogKeys } from '../aws/logger.js';
import { putMetrics } from '../aws/metrics.js';
import { reportsFromSettings } from '../aws/reports.js';
import { readSettings } from '../core/settings.js';
import { recoveryMetrics, type MetricPoint } from './recovery-ages.js';
import { readRecoveryFacts } from './recovery-facts.js';

const settings = readSettings(['policies', 'verification']);
const reports = reportsFromSettings(settings);

/** Scheduled every few minutes: publishes every protected database's recovery-point ages. */
export async function handler(event: { id?: string } = {}): Promise<{ databases: number; metrics: MetricPoint[] }> {
  withLogKeys({ invocation: event.id });
  const now = new Date();
  const facts = await readRecoveryFacts(settings, reports);
  const metrics = recoveryMetrics(facts, { primary: settings.primaryRegion, dr: settings.drRegion }, now);
  await putMetrics(
    settings.primaryRegion,
    metrics.map((m) => ({ name: m.name, dimensions: { ...(m.db ? { Database: m.db } : {}), Region: m.region }, value: m.value, unit: m.unit, timestamp: now })),
  );
  for (const f of facts) {
    const mine = metrics.filter((m) => m.db === f.db);
    logger.info('recovery point ages', { db: f.db, ...Object.fromEntries(mine.map((m) => [`${m.name}@${m.region}`, m.value])) });
  }
  return { databases: facts.length, metrics };
}
