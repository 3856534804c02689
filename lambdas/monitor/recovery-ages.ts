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

const newest = (...times: (string | undefined)[]): number | undefined => {
  const ms = times.map((t) => (t ? Date.parse(t) : Number.NaN)).filter((n) => !Number.isNaN(n));
  return ms.length ? Math.max(...ms) : undefined;
};

/** Seconds from `point` (or the creation time when there is none) to now, never negative. */
function ageSeconds(now: Date, point: number | undefined, createdAt: string | undefined): number {
  const base = point ?? newest(createdAt);
  if (base === undefined) return UNKNOWN_AGE_SECONDS;
  return Math.max(0, Math.round((now.getTime() - base) / 1000));
}

export function recoveryMetrics(facts: DatabaseRecoveryFacts[], regions: { primary: string; dr: string }, now: Date): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const f of facts) {
    const p = (name: string, region: string, value: number, unit: MetricPoint['unit'] = 'Seconds') => out.push({ name, db: f.db, region, value, unit });
    p('RecoveryPointAgeSeconds', regions.primary, ageSeconds(now, newest(f.latestRestorableTime, f.newestSnapshotAt), f.createdAt));
    p('RecoveryPointAgeSeconds', regions.dr, ageSeconds(now, newest(f.newestCopyAt, f.replicatedRestorableTime), f.createdAt));
    p('LastSnapshotAgeSeconds', regions.primary, ageSeconds(now, newest(f.newestSnapshotAt), f.createdAt));
    p('LastCopyAgeSeconds', regions.dr, ageSeconds(now, newest(f.newestCopyAt), f.createdAt));
    if (f.drilled) {
      p('LastVerificationAgeSeconds', regions.dr, ageSeconds(now, newest(f.lastVerification?.at), f.createdAt));
      // Never drilled counts as not passed: the objective is a recent passing drill.
      p('LastVerificationPassed', regions.dr, f.lastVerification?.passed ? 1 : 0, 'Count');
      // The drill publishes RestoreSeconds in the DR region; republished here (the monitor writes to the
      // primary region) so the RTO alarm, which can only read its own region, sees the last measured RTO.
      if (f.lastVerification?.restoreSeconds !== undefined) p('RestoreSeconds', regions.dr, f.lastVerification.restoreSeconds);
    }
  }
  return out;
}
