// Recovery facts of the databases a failover made active in the DR region. Such a database is now
// its promoted copy there (tagged rds-dr:failover-of=<db>); its "live" recovery point is that copy's
// latest restorable time or its newest snapshot in the DR region, and its copies are the ones the DR
// region's backup makes back to the primary region. They are reported under the database's own name
// and in the same two series as before the failover (Region=<primary>: where its live recovery points
// are measured for the live objective; Region=<dr>: its copies, for the copy objective), so its metric
// never goes missing and never reads 0 s from a stale primary that is no longer the database. Pure.
import type { ActiveRegions } from '../core/active-region.js';
import type { Fleet } from '../core/fleet.js';
import { TAG } from '../core/naming.js';
import { selectedByTags } from '../core/selection.js';
import type { PolicySettings } from '../core/settings.js';
import { tagValueOf } from '../core/snapshots.js';
import type { DatabaseRecoveryFacts } from './recovery-ages.js';

export interface FailedOverInputs {
  records: ActiveRegions;
  drRegion: string;
  /** The DR region's databases. */
  drFleet: Fleet;
  /** Capture time of the newest rds-dr snapshot per source database: in the DR region, and copies in the primary region. */
  drSnapshotsAt: Map<string, string>;
  primaryCopiesAt: Map<string, string>;
  /**
   * Capture time of the newest rds-dr copy the DR region holds of each database (made before its
   * failover), when the caller counts them: the DR monitor does (see failedOverFacts).
   */
  earlierDrCopiesAt?: Map<string, string>;
  policies: Record<string, PolicySettings>;
}

/** Facts per protected database active in the DR region, by its name; base facts (drills) come from `base`. */
export function failedOverFacts(inputs: FailedOverInputs, base: (db: string) => Pick<DatabaseRecoveryFacts, 'drilled' | 'lastVerification'>): Map<string, DatabaseRecoveryFacts> {
  const out = new Map<string, DatabaseRecoveryFacts>();
  const policies = Object.values(inputs.policies);
  for (const promoted of [...inputs.drFleet.instances.filter((d) => !d.replicaSource && !d.clusterId), ...inputs.drFleet.clusters.filter((c) => !c.replicaSource)]) {
    const db = tagValueOf(promoted.tags, TAG.failoverOf);
    if (!db || inputs.records.get(db) !== inputs.drRegion) continue;
    const protectedByPolicy = policies.some((p) => p.selection.instances.includes(db) || p.selection.clusters.includes(db) || selectedByTags(promoted.tags, p.selection.tags));
    if (!protectedByPolicy) continue;
    out.set(db, {
      db,
      createdAt: promoted.createdAt,
      latestRestorableTime: promoted.latestRestorableTime,
      newestSnapshotAt: inputs.drSnapshotsAt.get(promoted.id),
      // The DR monitor also counts the copies this database had in the DR region before its failover:
      // real, restorable points of it, older than any copy made back to the primary since. With the
      // primary region unreachable they are all it can see, so the age it publishes is never lower
      // than the true one (never a false 0 s) and never missing.
      newestCopyAt: newest(inputs.primaryCopiesAt.get(promoted.id), inputs.earlierDrCopiesAt?.get(db)),
      failedOver: true,
      ...base(db),
    });
  }
  return out;
}

const newest = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined || Date.parse(a) >= Date.parse(b) ? a : b);
