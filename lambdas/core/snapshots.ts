// Snapshot facts as the workflows need them, for instance and cluster snapshots alike. SDK-free:
// lambdas/aws/rds-snapshots.ts maps RDS's shapes onto these.
import { TAG } from './naming.js';

/** An RDS tag. */
export type Tag = { Key: string; Value: string };

export type SnapshotKind = 'instance' | 'cluster';

export interface SnapshotInfo {
  id: string;
  arn: string;
  kind: SnapshotKind;
  status: string;
  /** Identifier of the DB instance / cluster the snapshot was taken from. */
  sourceDbId: string;
  createdAt?: string;
  encrypted: boolean;
  kmsKeyId?: string;
  /** DB instance snapshots: the option group the source instance had (TDE lives in it for Oracle / SQL Server). */
  optionGroupName?: string;
  tags: Tag[];
}

/** A snapshot as a Describe*Snapshots listing returns it. */
export type DescribedSnapshot = SnapshotInfo & { engine: string; originalCreatedAt?: string };

export interface SnapshotReader {
  /** The snapshot with this identifier in `region`, or undefined when there is none. */
  describe(region: string, kind: SnapshotKind, id: string): Promise<SnapshotInfo | undefined>;
}

export const tagValueOf = (tags: Tag[], key: string): string | undefined => tags.find((t) => t.Key === key)?.Value;

/** When the data was captured: the slot tag (copies are created later than their data), else RDS's times. */
export function captureTime(s: DescribedSnapshot): string {
  return tagValueOf(s.tags, TAG.slot) ?? s.originalCreatedAt ?? s.createdAt ?? new Date(0).toISOString();
}

/** The source database of a snapshot: its rds-dr source-arn tag, else what RDS says. */
export function sourceDatabaseOf(s: SnapshotInfo): string {
  return tagValueOf(s.tags, TAG.sourceArn)?.split(':').pop() ?? s.sourceDbId;
}

/** A cross-region copy to start (CopyDBSnapshot / CopyDBClusterSnapshot in the destination region). */
export interface CopyRequest {
  kind: SnapshotKind;
  sourceSnapshotArn: string;
  targetSnapshotId: string;
  /** Omitted for an unencrypted DB cluster snapshot: RDS refuses a key there (it cannot encrypt a cluster snapshot on copy). */
  kmsKeyId?: string;
  /** DB instance snapshots only: the DR region's option group (a cross-region copy with TDE needs one). */
  optionGroupName?: string;
  tags: Tag[];
}

export interface SnapshotCopier {
  /** Starts the copy in the DR region; throws CopyAlreadyExistsError when the target exists. */
  startCopy(req: CopyRequest): Promise<{ arn: string; status: string }>;
}

/**
 * When the data was captured, for the RPO: the earlier of the slot tag and RDS's own time. A slot in
 * the future (a bad scheduledTime, a skewed clock) must not read as a fresh backup for ever; a slot
 * in the past (the normal case: RDS starts the snapshot after the scheduled time) keeps the age
 * conservative.
 */
export function recoveryPointTime(s: DescribedSnapshot): string {
  const rds = s.originalCreatedAt ?? s.createdAt;
  const slot = tagValueOf(s.tags, TAG.slot);
  if (!rds || !slot || Number.isNaN(Date.parse(slot))) return captureTime(s);
  return Date.parse(slot) <= Date.parse(rds) ? slot : rds;
}
