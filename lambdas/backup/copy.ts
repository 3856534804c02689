// Starting a cross-region copy idempotently: a copy that already exists from the same source
// (a retried run) is success; one with our name from another source is a conflict.
import { CopyAlreadyExistsError, SnapshotConflictError } from '../core/errors.js';
import { TAG } from '../core/naming.js';
import { tagValueOf, type CopyRequest, type SnapshotCopier, type SnapshotInfo, type SnapshotReader, type Tag } from '../core/snapshots.js';

export interface CopyOutcome {
  snapshotId: string;
  region: string;
  arn: string;
  status: string;
  started: boolean;
  /** What the copy lacks that the product promises (an unencrypted copy), for the backup report. */
  warnings: string[];
}

/** DR option group to use, by the source snapshot's option group name (config `drOptionGroups`). */
export type DrOptionGroups = Record<string, string>;

/**
 * The copy request this source needs, and what the copy will lack:
 * - CopyDBClusterSnapshot, KmsKeyId: "If you copy an unencrypted DB cluster snapshot and specify a
 *   value for the KmsKeyId parameter, an error is returned" (RDS API Reference). The copy of an
 *   unencrypted cluster snapshot therefore goes without the DR key and stays unencrypted: a warning,
 *   not a failure (the DR copy is still a restorable backup; the fix is encrypting the cluster).
 * - CopyDBSnapshot, OptionGroupName: a cross-region copy of a snapshot whose option group holds a
 *   persistent option (Oracle / SQL Server TDE) must name an option group of the destination region
 *   (RDS API Reference, CopyDBSnapshot; RDS User Guide, "Option group considerations" for copying
 *   snapshots). The one configured for the source's option group is used whenever there is one.
 */
export function planCopy(req: CopyRequest, source: SnapshotInfo | undefined, drOptionGroups: DrOptionGroups = {}): { req: CopyRequest; warnings: string[] } {
  if (req.kind === 'cluster' && source && !source.encrypted) {
    const { kmsKeyId, ...withoutKey } = req;
    return {
      req: withoutKey,
      warnings: [
        `DR copy ${req.targetSnapshotId} is NOT encrypted: source cluster snapshot ${req.sourceSnapshotArn} is unencrypted and RDS cannot encrypt a DB cluster snapshot when copying it (DR key ${kmsKeyId} not applied); encrypt the cluster to get encrypted DR copies`,
      ],
    };
  }
  const drOptionGroup = req.kind === 'instance' && source?.optionGroupName ? drOptionGroups[source.optionGroupName] : undefined;
  return { req: drOptionGroup ? { ...req, optionGroupName: drOptionGroup } : req, warnings: [] };
}

/** The copy's tags: everything the source carries plus where it was copied from. */
export function copyTags(sourceTags: Tag[], sourceSnapshotArn: string): Tag[] {
  return [...sourceTags.filter((t) => t.Key !== TAG.copyOf), { Key: TAG.copyOf, Value: sourceSnapshotArn }];
}

export async function copyToDrRegion(
  requested: CopyRequest,
  drRegion: string,
  copier: SnapshotCopier,
  reader: SnapshotReader,
  drOptionGroups: DrOptionGroups = {},
  /** The source as already described (a batch's poll saw it available): saves a Describe per copy. */
  known?: Pick<SnapshotInfo, 'encrypted' | 'optionGroupName'>,
): Promise<CopyOutcome> {
  // The source (arn:aws:rds:<region>:<account>:snapshot:<id>) says whether it is encrypted and which option group it has.
  const [, , , sourceRegion, , , sourceId] = requested.sourceSnapshotArn.split(':');
  const source = known ? ({ ...known, id: sourceId, arn: requested.sourceSnapshotArn, kind: requested.kind, status: 'available', sourceDbId: '', tags: [] } satisfies SnapshotInfo) : await reader.describe(sourceRegion, requested.kind, sourceId);
  const { req, warnings } = planCopy(requested, source, drOptionGroups);
  try {
    const started = await copier.startCopy(req);
    return { snapshotId: req.targetSnapshotId, region: drRegion, arn: started.arn, status: started.status, started: true, warnings };
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
  return { snapshotId: req.targetSnapshotId, region: drRegion, arn: existing.arn, status: existing.status, started: false, warnings };
}
