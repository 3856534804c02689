import { paginateDescribeDBClusterSnapshots, paginateDescribeDBSnapshots, type RDSClient } from '@aws-sdk/client-rds';
import { SNAPSHOT_PREFIX } from '../shared/naming.js';
import { fromDbClusterSnapshot, fromDbSnapshot, type DescribedSnapshot } from '../shared/rds-mapping.js';

export type CatalogSnapshot = DescribedSnapshot;

/** Lists the region's manual snapshots made by rds-dr (instance and cluster), paginated. */
export class RdsSnapshotCatalog {
  constructor(private readonly rds: RDSClient) {}

  async list(): Promise<CatalogSnapshot[]> {
    const out: CatalogSnapshot[] = [];
    for await (const page of paginateDescribeDBSnapshots({ client: this.rds, pageSize: 100 }, { SnapshotType: 'manual' })) {
      out.push(...(page.DBSnapshots ?? []).map(fromDbSnapshot));
    }
    for await (const page of paginateDescribeDBClusterSnapshots({ client: this.rds, pageSize: 100 }, { SnapshotType: 'manual' })) {
      out.push(...(page.DBClusterSnapshots ?? []).map(fromDbClusterSnapshot));
    }
    return out.filter((s) => s.id.startsWith(SNAPSHOT_PREFIX));
  }
}
