import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { drillVerdictsFromSettings } from './recovery-facts.js';
import { MAX_NAMED_BREACHES, monitorRecovery, type MonitorRun } from './monitor-recovery.js';

const settings = readSettings(['policies', 'verification']);
// Kept across invocations: it remembers the reports bucket's name and the drill reports it has read.
const drills = drillVerdictsFromSettings(settings);

/** Scheduled every few minutes: publishes every protected database's recovery-point ages. */
export async function handler(event: { id?: string } = {}): Promise<MonitorRun> {
  withLogKeys({ invocation: event.id });
  const run = await monitorRecovery(settings, drills, new Date());
  // Summary first, then the worst breaches by name: one readable line at any fleet size.
  const unnamed = run.summary.breaching - run.worst.length;
  logger.info('recovery summary', { ...run.summary, worstBreaches: run.worst, ...(unnamed > 0 ? { breachesNotNamed: unnamed, namedAtMost: MAX_NAMED_BREACHES } : {}) });
  // Per database only when debugging: the metrics hold the same values.
  for (const m of run.metrics) logger.debug('recovery point age', { db: m.db, metric: m.name, region: m.region, value: m.value });
  return run;
}
