// Turns described snapshots into the planner's input, and plans each backup policy with its own
// retention (a snapshot's rds-dr:policy tag says which policy made it).
import { SNAPSHOT_PREFIX, TAG } from '../core/naming.js';
import type { RetentionSettings } from '../core/settings.js';
import { captureTime, sourceDatabaseOf, tagValueOf, type DescribedSnapshot } from '../core/snapshots.js';
import { planRetention, type RetentionDecision, type RetentionPolicy, type RetentionSnapshot } from '../core/retention/plan-retention.js';
import { otherOwnerReason, pruneOwnerOf, type PruneRole } from '../core/retention/ownership.js';

export interface Inventory {
  /** Every manual snapshot per region (rds-dr's and everyone else's: they all count against the quota). */
  snapshots: (DescribedSnapshot & { region: string })[];
  /**
   * Identifiers of databases (instances and clusters) that still exist: the primary region's and the
   * DR region's promoted ones (primary prune), or the DR region's (DR prune).
   */
  existingDatabases: ReadonlySet<string>;
  /** Snapshot ARNs that a running restore drill restored from. */
  inUseByVerification: ReadonlySet<string>;
}

export function toRetentionSnapshot(s: DescribedSnapshot & { region: string }, inUse: ReadonlySet<string>): RetentionSnapshot {
  return {
    id: s.id,
    arn: s.arn,
    region: s.region,
    kind: s.kind,
    dbId: sourceDatabaseOf(s),
    createdAt: captureTime(s),
    status: s.status,
    // Both marks, as the last check before a delete requires them: a snapshot tagged managed by hand but
    // not named rdsdr-* would otherwise be planned for deletion on every run and refused every time.
    managed: tagValueOf(s.tags, TAG.managed) === 'true' && s.id.startsWith(SNAPSHOT_PREFIX),
    legalHold: s.tags.some((t) => t.Key === TAG.legalHold),
    inUseByVerification: inUse.has(s.arn),
  };
}

function regionPolicies(retention: RetentionSettings, primaryRegion: string, drRegion: string): Record<string, RetentionPolicy> {
  const base = { timeZone: retention.timeZone, keepDeletedDatabases: retention.keepDeletedDatabases };
  return { [primaryRegion]: { ...retention.primary, ...base }, [drRegion]: { ...retention.dr, ...base } };
}

/**
 * Plans every snapshot `role`'s deployment owns (lambdas/core/retention/ownership.ts); the others are
 * kept, saying which prune decides about them (they still count against their region's quota).
 * Snapshots of unknown policies (or no policy tag) are planned with no policy: kept.
 */
export function planInventory(
  inventory: Inventory,
  retentionByPolicy: Record<string, RetentionSettings>,
  regions: { primary: string; dr: string },
  now: Date,
  role: PruneRole = 'primary',
): RetentionDecision[] {
  const byPolicy = new Map<string, RetentionSnapshot[]>();
  const othersOwn: RetentionDecision[] = [];
  for (const s of inventory.snapshots) {
    const owner = pruneOwnerOf(s, regions);
    if (owner !== role) {
      othersOwn.push({ snapshot: toRetentionSnapshot(s, inventory.inUseByVerification), action: 'keep', reasons: [otherOwnerReason(owner)] });
      continue;
    }
    const policy = tagValueOf(s.tags, TAG.policy) ?? '';
    const list = byPolicy.get(policy) ?? [];
    list.push(toRetentionSnapshot(s, inventory.inUseByVerification));
    byPolicy.set(policy, list);
  }
  const context = { existingDatabases: inventory.existingDatabases };
  const planned = [...byPolicy.entries()].flatMap(([policy, snapshots]) => {
    const retention = retentionByPolicy[policy];
    return planRetention(snapshots, retention ? regionPolicies(retention, regions.primary, regions.dr) : {}, now, context);
  });
  return [...planned, ...othersOwn];
}
