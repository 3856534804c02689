// The backup batch's RDS port over the snapshot service (lambdas/aws/rds-snapshots.ts) and copy.ts.
import { awsClients } from '../aws/clients.js';
import { createSnapshot, describeSnapshots, RdsSnapshotCopier, RdsSnapshotReader } from '../aws/rds-snapshots.js';
import type { BatchRds } from './advance-batch.js';
import { copyTags, copyToDrRegion, type DrOptionGroups } from './copy.js';

export function rdsForBatches(settings: { primaryRegion: string; drRegion: string; drKmsKeyId: string; drOptionGroups?: DrOptionGroups }): BatchRds {
  const copier = new RdsSnapshotCopier(awsClients.rds(settings.drRegion));
  const reader = new RdsSnapshotReader();
  return {
    createSnapshot: (kind, dbId, snapshotId, tags) => createSnapshot(settings.primaryRegion, kind, dbId, snapshotId, tags),
    describeMany: describeSnapshots,
    startCopy: (db, tags) => {
      const sourceSnapshotArn = db.snapshotArn ?? '';
      return copyToDrRegion(
        { kind: db.kind, sourceSnapshotArn, targetSnapshotId: db.snapshotId, kmsKeyId: settings.drKmsKeyId, tags: copyTags(tags, sourceSnapshotArn) },
        settings.drRegion,
        copier,
        reader,
        settings.drOptionGroups,
        // The poll that saw the source available described it already.
        { encrypted: db.sourceEncrypted ?? true, optionGroupName: db.sourceOptionGroup },
      );
    },
  };
}
