import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { drillVerdictsFromSettings } from './recovery-facts.js';
import { MAX_NAMED_BREACHES, monitorRecovery, type MonitorRun } from './monitor-recovery.js';

const settings = readSettings(['policies', 'verification']);
// Which deployment this is (series-owner.ts): the primary region's or the DR region's.
const role = settings.monitorRole ?? 'primary';
// Kept across invocations: it remembers the reports bucket's name and the drill reports it has read.
// Only the primary deployment reads drill verdicts (series-owner.ts).
const drills = role === 'primary' ? drillVerdictsFromSettings(settings) : undefined;

/** Scheduled every few minutes: publishes the recovery-point ages this deployment owns. */
export async function handler(event: { id?: string } = {}): Promise<MonitorRun> {
  withLogKeys({ invocation: event.id });
  const run = await monitorRecovery(settings, drills, new Date(), role);
  // Never fails the run: what the other region would have told is left out (no value, never a guessed one).
  if (run.unread) logger.warn('other region unreadable: its part of the recovery facts is left out this run', { monitorRole: role, ...run.unread });
  for (const g of run.garbledRecords ?? []) logger.warn('active-region record ignored', g);
  // Summary first, then the worst breaches by name: one readable line at any fleet size.
  const unnamed = run.summary.breaching - run.worst.length;
  logger.info('recovery summary', { monitorRole: role, ...run.summary, worstBreaches: run.worst, ...(unnamed > 0 ? { breachesNotNamed: unnamed, namedAtMost: MAX_NAMED_BREACHES } : {}) });
  // Per database only when debugging: the metrics hold the same values.
  for (const m of run.metrics) logger.debug('recovery point age', { db: m.db, metric: m.name, region: m.region, value: m.value });
  return run;
}
