// Starting a cross-region copy idempotently: a copy that already exists from the same source
// (a retried run) is success; one with our name from another source is a conflict.
import { CopyAlreadyExistsError, SnapshotConflictError } from '../core/errors.js';
import { TAG } from '../core/naming.js';
import { tagValueOf, type CopyRequest, type SnapshotCopier, type SnapshotReader, type Tag } from '../core/snapshots.js';

export interface CopyOutcome {
  snapshotId: string;
  region: string;
  arn: string;
  status: string;
  started: boolean;
}

/** The copy's tags: everything the source carries plus where it was copied from. */
export function copyTags(sourceTags: Tag[], sourceSnapshotArn: string): Tag[] {
  return [...sourceTags.filter((t) => t.Key !== TAG.copyOf), { Key: TAG.copyOf, Value: sourceSnapshotArn }];
}

export async function copyToDrRegion(
  req: CopyRequest,
  drRegion: string,
  copier: SnapshotCopier,
  reader: SnapshotReader,
): Promise<CopyOutcome> {
  try {
    const started = await copier.startCopy(req);
    return { snapshotId: req.targetSnapshotId, region: drRegion, arn: started.arn, status: started.status, started: true };
  } catch (err) {
    if (!(err instanceof CopyAlreadyExistsError)) throw err;
  }
  const existing = await reader.describe(drRegion, req.kind, req.targetSnapshotId);
  const copyOf = existing && tagValueOf(existing.tags, TAG.copyOf);
  if (!existing || copyOf !== req.sourceSnapshotArn) {
    throw new SnapshotConflictError(
      `DR snapshot ${req.targetSnapshotId} in ${drRegion} already exists but is not a copy of ${req.sourceSnapshotArn} (copy-of: ${copyOf ?? 'none'})`,
    );
  }
  return { snapshotId: req.targetSnapshotId, region: drRegion, arn: existing.arn, status: existing.status, started: false };
}
