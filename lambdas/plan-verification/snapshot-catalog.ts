import { paginateDescribeDBClusterSnapshots, paginateDescribeDBSnapshots, type RDSClient } from '@aws-sdk/client-rds';
import { SNAPSHOT_PREFIX } from '../shared/naming.js';
import type { SnapshotInfo } from '../shared/snapshots.js';

export type CatalogSnapshot = SnapshotInfo & { engine: string; originalCreatedAt?: string };

const tagsOf = (list: { Key?: string; Value?: string }[] | undefined) => (list ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));

/** Lists the region's manual snapshots made by rds-dr (instance and cluster), paginated. */
export interface SnapshotCatalog {
  list(): Promise<CatalogSnapshot[]>;
}

export class RdsSnapshotCatalog implements SnapshotCatalog {
  constructor(private readonly rds: RDSClient) {}

  async list(): Promise<CatalogSnapshot[]> {
    const out: CatalogSnapshot[] = [];
    for await (const page of paginateDescribeDBSnapshots({ client: this.rds, pageSize: 100 }, { SnapshotType: 'manual' })) {
      for (const s of page.DBSnapshots ?? []) {
        if (!s.DBSnapshotIdentifier?.startsWith(SNAPSHOT_PREFIX)) continue;
        out.push({
          id: s.DBSnapshotIdentifier, arn: s.DBSnapshotArn ?? '', kind: 'instance', status: s.Status ?? '', sourceDbId: s.DBInstanceIdentifier ?? '',
          createdAt: s.SnapshotCreateTime?.toISOString(), originalCreatedAt: s.OriginalSnapshotCreateTime?.toISOString(),
          encrypted: s.Encrypted ?? false, kmsKeyId: s.KmsKeyId, tags: tagsOf(s.TagList), engine: s.Engine ?? '',
        });
      }
    }
    for await (const page of paginateDescribeDBClusterSnapshots({ client: this.rds, pageSize: 100 }, { SnapshotType: 'manual' })) {
      for (const s of page.DBClusterSnapshots ?? []) {
        if (!s.DBClusterSnapshotIdentifier?.startsWith(SNAPSHOT_PREFIX)) continue;
        out.push({
          id: s.DBClusterSnapshotIdentifier, arn: s.DBClusterSnapshotArn ?? '', kind: 'cluster', status: s.Status ?? '', sourceDbId: s.DBClusterIdentifier ?? '',
          createdAt: s.SnapshotCreateTime?.toISOString(), encrypted: s.StorageEncrypted ?? false, kmsKeyId: s.KmsKeyId, tags: tagsOf(s.TagList), engine: s.Engine ?? '',
        });
      }
    }
    return out;
  }
}
