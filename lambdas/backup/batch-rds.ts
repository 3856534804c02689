// The backup batch's RDS port over the snapshot service (lambdas/aws/rds-snapshots.ts) and copy.ts.
import { awsClients } from '../aws/clients.js';
import { createSnapshot, describeSnapshots, RdsSnapshotCopier, RdsSnapshotReader } from '../aws/rds-snapshots.js';
import type { BatchRds } from './advance-batch.js';
import type { BackupRoute } from './backup-route.js';
import { copyTags, copyToDrRegion } from './copy.js';

export function rdsForBatches(route: BackupRoute): BatchRds {
  // Copying back to the primary region (the DR deployment) goes to the region that may be down: give up fast there.
  const copier = new RdsSnapshotCopier(awsClients.rds(route.copyRegion, route.role === 'dr'));
  const reader = new RdsSnapshotReader();
  return {
    createSnapshot: (kind, dbId, snapshotId, tags) => createSnapshot(route.sourceRegion, kind, dbId, snapshotId, tags),
    describeMany: describeSnapshots,
    startCopy: (db, tags) => {
      const sourceSnapshotArn = db.snapshotArn ?? '';
      return copyToDrRegion(
        { kind: db.kind, sourceSnapshotArn, targetSnapshotId: db.snapshotId, kmsKeyId: route.copyKmsKeyId, tags: copyTags(tags, sourceSnapshotArn) },
        route.copyRegion,
        copier,
        reader,
        route.copyOptionGroups,
        // The poll that saw the source available described it already.
        { encrypted: db.sourceEncrypted ?? true, optionGroupName: db.sourceOptionGroup },
      );
    },
  };
}
