import { DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { rdsClient } from './rds-clients.js';
import type { SnapshotInfo, SnapshotKind, SnapshotReader } from './snapshots.js';

const NOT_FOUND = new Set(['DBSnapshotNotFoundFault', 'DBClusterSnapshotNotFoundFault']);
const tagsOf = (list: { Key?: string; Value?: string }[] | undefined) =>
  (list ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));

/** SnapshotReader over DescribeDBSnapshots / DescribeDBClusterSnapshots. */
export class RdsSnapshotReader implements SnapshotReader {
  async describe(region: string, kind: SnapshotKind, id: string): Promise<SnapshotInfo | undefined> {
    try {
      if (kind === 'cluster') {
        const out = await rdsClient(region).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }));
        const s = out.DBClusterSnapshots?.[0];
        return s && {
          id: s.DBClusterSnapshotIdentifier ?? id,
          arn: s.DBClusterSnapshotArn ?? '',
          kind,
          status: s.Status ?? 'unknown',
          sourceDbId: s.DBClusterIdentifier ?? '',
          createdAt: s.SnapshotCreateTime?.toISOString(),
          encrypted: s.StorageEncrypted ?? false,
          kmsKeyId: s.KmsKeyId,
          tags: tagsOf(s.TagList),
        };
      }
      const out = await rdsClient(region).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }));
      const s = out.DBSnapshots?.[0];
      return s && {
        id: s.DBSnapshotIdentifier ?? id,
        arn: s.DBSnapshotArn ?? '',
        kind,
        status: s.Status ?? 'unknown',
        sourceDbId: s.DBInstanceIdentifier ?? '',
        createdAt: s.SnapshotCreateTime?.toISOString(),
        encrypted: s.Encrypted ?? false,
        kmsKeyId: s.KmsKeyId,
        tags: tagsOf(s.TagList),
      };
    } catch (err) {
      if (NOT_FOUND.has((err as Error).name)) return undefined;
      throw err;
    }
  }
}
