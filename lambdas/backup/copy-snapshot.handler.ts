import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { RdsSnapshotReader, RdsSnapshotCopier } from '../aws/rds-snapshots.js';
import { readSettings } from '../core/settings.js';
import { type SnapshotKind, type Tag } from '../core/snapshots.js';
import { copyTags, copyToDrRegion, type CopyOutcome } from './copy.js';

const settings = readSettings();
const copier = new RdsSnapshotCopier(awsClients.rds(settings.drRegion));
const reader = new RdsSnapshotReader();

export interface CopySnapshotEvent {
  kind: SnapshotKind;
  dbId: string;
  sourceSnapshotArn: string;
  snapshotId: string;
  tags: Tag[];
  executionArn?: string;
}

/** Starts (or confirms) the KMS-encrypted copy of a source snapshot in the DR region (unencrypted Aurora sources stay unencrypted: a warning). */
export async function handler(event: CopySnapshotEvent): Promise<CopyOutcome> {
  withLogKeys({ executionArn: event.executionArn, db: event.dbId, snapshotId: event.snapshotId });
  const outcome = await copyToDrRegion(
    {
      kind: event.kind,
      sourceSnapshotArn: event.sourceSnapshotArn,
      targetSnapshotId: event.snapshotId,
      kmsKeyId: settings.drKmsKeyId,
      tags: copyTags(event.tags, event.sourceSnapshotArn),
    },
    settings.drRegion,
    copier,
    reader,
    settings.drOptionGroups,
  );
  for (const warning of outcome.warnings) logger.warn('DR copy falls short', { warning });
  logger.info(outcome.started ? 'DR copy started' : 'DR copy already exists from this source', {
    region: outcome.region,
    copyArn: outcome.arn,
    kmsKeyId: settings.drKmsKeyId,
    status: outcome.status,
  });
  return outcome;
}
