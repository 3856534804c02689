// The live RPO, per database and region, as ages (seconds) that keep growing while nothing new
// arrives: a database that stops being backed up shows a rising line, never a missing point.

export interface DatabaseRecoveryFacts {
  db: string;
  /** When the database was created: the age baseline before its first backup. */
  createdAt?: string;
  /** Primary region: newest point-in-time restore target (automated backups), if enabled. */
  latestRestorableTime?: string;
  /** Primary region: capture time of the newest available rds-dr snapshot. */
  newestSnapshotAt?: string;
  /** DR region: capture time of the newest available rds-dr copy. */
  newestCopyAt?: string;
  /** DR region: newest restorable time of replicated automated backups, if replication is on. */
  replicatedRestorableTime?: string;
  /**
   * A failover made it active in the DR region (failed-over-facts.ts): its live recovery points are
   * there, so the DR region's monitor publishes both its series (series-owner.ts).
   */
  failedOver?: boolean;
  /** Restore drills, when this database is drilled. */
  drilled: boolean;
  lastVerification?: { at: string; passed: boolean; restoreSeconds?: number };
}

export interface MetricPoint {
  name: string;
  db?: string;
  region: string;
  value: number;
  unit: 'Seconds' | 'Count' | 'None';
}

// With no backup and no known creation time the age is unknown; a large value still breaches.
const UNKNOWN_AGE_SECONDS = 10 * 365 * 86_400;

/**
 * How far ahead of the monitor's clock a recovery point may be and still count: clocks of RDS and
 * Lambda differ by seconds, not minutes (the backup's scheduledTime allows the same 5 minutes).
 */
export const FUTURE_TOLERANCE_SECONDS = 300;

/**
 * The newest of the times that are not in the future. A time past `now` (+ tolerance) is a skewed
 * clock or a forged tag: counted, it would read as "0 s old" until the clock caught up, possibly for
 * ever, so it is left out (the age falls back on the other points) and reported by `inFuture`.
 */
function newestTrusted(now: Date, times: (string | undefined)[]): { at?: number; inFuture: number } {
  const ms = times.map((t) => (t ? Date.parse(t) : Number.NaN)).filter((n) => !Number.isNaN(n));
  const latestAllowed = now.getTime() + FUTURE_TOLERANCE_SECONDS * 1000;
  const trusted = ms.filter((t) => t <= latestAllowed);
  return { at: trusted.length ? Math.max(...trusted) : undefined, inFuture: ms.length - trusted.length };
}

/** Seconds from the newest trusted point (or the creation time when there is none) to now, never negative. */
function ageSeconds(now: Date, points: (string | undefined)[], createdAt: string | undefined): number {
  const base = newestTrusted(now, points).at ?? newestTrusted(now, [createdAt]).at;
  if (base === undefined) return UNKNOWN_AGE_SECONDS;
  return Math.max(0, Math.round((now.getTime() - base) / 1000));
}

export function recoveryMetrics(facts: DatabaseRecoveryFacts[], regions: { primary: string; dr: string }, now: Date): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const f of facts) {
    const p = (name: string, region: string, value: number, unit: MetricPoint['unit'] = 'Seconds') => out.push({ name, db: f.db, region, value, unit });
    p('RecoveryPointAgeSeconds', regions.primary, ageSeconds(now, [f.latestRestorableTime, f.newestSnapshotAt], f.createdAt));
    p('RecoveryPointAgeSeconds', regions.dr, ageSeconds(now, [f.newestCopyAt, f.replicatedRestorableTime], f.createdAt));
    p('LastSnapshotAgeSeconds', regions.primary, ageSeconds(now, [f.newestSnapshotAt], f.createdAt));
    p('LastCopyAgeSeconds', regions.dr, ageSeconds(now, [f.newestCopyAt], f.createdAt));
    // Always published (0 when all is well), so the alarm on it sees a value every run.
    p('FutureRecoveryPoints', regions.primary, newestTrusted(now, [f.latestRestorableTime, f.newestSnapshotAt]).inFuture, 'Count');
    p('FutureRecoveryPoints', regions.dr, newestTrusted(now, [f.newestCopyAt, f.replicatedRestorableTime]).inFuture, 'Count');
    if (f.drilled) {
      p('LastVerificationAgeSeconds', regions.dr, ageSeconds(now, [f.lastVerification?.at], f.createdAt));
      // Never drilled counts as not passed: the objective is a recent passing drill.
      p('LastVerificationPassed', regions.dr, f.lastVerification?.passed ? 1 : 0, 'Count');
      // The drill publishes RestoreSeconds in the DR region; republished here (the monitor writes to the
      // primary region) so the RTO alarm, which can only read its own region, sees the last measured RTO.
      if (f.lastVerification?.restoreSeconds !== undefined) p('RestoreSeconds', regions.dr, f.lastVerification.restoreSeconds);
    }
  }
  return out;
}
