// Which deployment of the RPO monitor publishes which series, so that every series has exactly one
// publisher (one breach, one page) and the series that matter in a primary-region outage come from
// the region that is still there.
//
// Each database has two series (dimension Region, kept as before so alarms and dashboards read them
// alike): Region=<primary> is its LIVE recovery point (against rpoPrimaryMinutes) and Region=<dr> its
// COPIES (against rpoDrMinutes); a failed-over database keeps both under its own name
// (failed-over-facts.ts). The split:
//   - the DR monitor owns everything it can observe in its own region: the copy series of every
//     database that has an rds-dr copy there (found by the copies' tags), and both series of every
//     database a failover made active there (found by the active-region records in DR SSM);
//   - the primary monitor owns the live series of the databases active in the primary region, the
//     drill verdicts of every drilled database (as before), and the copy series of a database that has no rds-dr copy in the DR
//     region at all: the DR monitor cannot know such a database exists (it never reads the primary's
//     fleet), so without this its "copy missing" would page nobody.
// A series' alarm is in the region its publisher writes to (lib/observability/rpo-monitoring.ts).
// Pure.
import type { DatabaseRecoveryFacts, MetricPoint } from './recovery-ages.js';

export type MonitorRole = 'primary' | 'dr';

export type Series = 'live' | 'copy' | 'drill';

/** Which series a metric point belongs to: by its Region dimension, and the drill metrics apart. */
export function seriesOf(metric: Pick<MetricPoint, 'name' | 'region'>, regions: { primary: string; dr: string }): Series {
  if (['LastVerificationAgeSeconds', 'LastVerificationPassed', 'RestoreSeconds'].includes(metric.name)) return 'drill';
  return metric.region === regions.primary ? 'live' : 'copy';
}

/** Whether the monitor deployed as `role` publishes `series` of this database. */
export function ownsSeries(role: MonitorRole, facts: Pick<DatabaseRecoveryFacts, 'failedOver' | 'newestCopyAt'>, series: Series): boolean {
  // The DR monitor lists databases by their copies there (and the failed-over ones by their records):
  // a database without any copy is not among them, and its copy series stays the primary's.
  if (role === 'dr') return facts.failedOver === true ? series !== 'drill' : series === 'copy' && facts.newestCopyAt !== undefined;
  // Drill verdicts come from the reports bucket, wherever the database is active.
  if (series === 'drill') return true;
  if (facts.failedOver) return false;
  return series === 'live' || facts.newestCopyAt === undefined;
}

/** The points of `metrics` that the monitor deployed as `role` publishes. */
export function ownedMetrics(role: MonitorRole, facts: DatabaseRecoveryFacts[], metrics: MetricPoint[], regions: { primary: string; dr: string }): MetricPoint[] {
  const byDb = new Map(facts.map((f) => [f.db, f]));
  return metrics.filter((m) => {
    const f = m.db === undefined ? undefined : byDb.get(m.db);
    return f !== undefined && ownsSeries(role, f, seriesOf(m, regions));
  });
}
