// The last check before a snapshot is deleted, against a fresh Describe (not the plan's copy): the
// plan may be minutes old, and a legal hold or an in-progress copy may have appeared since.
import { SNAPSHOT_PREFIX, TAG } from '../core/naming.js';
import { tagValueOf, type SnapshotInfo } from '../core/snapshots.js';


/** Why this snapshot must not be deleted now, or undefined when deleting it is allowed. */
export function refusalReason(current: SnapshotInfo): string | undefined {
  if (!current.id.startsWith(SNAPSHOT_PREFIX)) return `identifier does not start with ${SNAPSHOT_PREFIX}`;
  if (tagValueOf(current.tags, TAG.managed) !== 'true') return `not tagged ${TAG.managed}=true`;
  if (current.tags.some((t) => t.Key === TAG.legalHold)) return `under legal hold (${TAG.legalHold})`;
  if (current.status !== 'available') return `status is "${current.status}", not available`;
  return undefined;
}
