// SDK shapes -> the small records the logic works on. One place, so every Lambda reads RDS alike.
import type { DBClusterSnapshot, DBSnapshot } from '@aws-sdk/client-rds';
import type { SnapshotInfo } from './snapshots.js';

export type Tag = { Key: string; Value: string };

export const tagsOf = (list: { Key?: string; Value?: string }[] | undefined): Tag[] =>
  (list ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));

export type DescribedSnapshot = SnapshotInfo & { engine: string; originalCreatedAt?: string };

export function fromDbSnapshot(s: DBSnapshot): DescribedSnapshot {
  return {
    id: s.DBSnapshotIdentifier ?? '',
    arn: s.DBSnapshotArn ?? '',
    kind: 'instance',
    status: s.Status ?? 'unknown',
    sourceDbId: s.DBInstanceIdentifier ?? '',
    createdAt: s.SnapshotCreateTime?.toISOString(),
    originalCreatedAt: s.OriginalSnapshotCreateTime?.toISOString(),
    encrypted: s.Encrypted ?? false,
    kmsKeyId: s.KmsKeyId,
    tags: tagsOf(s.TagList),
    engine: s.Engine ?? '',
  };
}

export function fromDbClusterSnapshot(s: DBClusterSnapshot): DescribedSnapshot {
  return {
    id: s.DBClusterSnapshotIdentifier ?? '',
    arn: s.DBClusterSnapshotArn ?? '',
    kind: 'cluster',
    status: s.Status ?? 'unknown',
    sourceDbId: s.DBClusterIdentifier ?? '',
    createdAt: s.SnapshotCreateTime?.toISOString(),
    encrypted: s.StorageEncrypted ?? false,
    kmsKeyId: s.KmsKeyId,
    tags: tagsOf(s.TagList),
    engine: s.Engine ?? '',
  };
}
