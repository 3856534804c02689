import { paginateDescribeDBClusterSnapshots, paginateDescribeDBSnapshots, type RDSClient } from '@aws-sdk/client-rds';
import { SNAPSHOT_PREFIX } from './naming.js';
import { fromDbClusterSnapshot, fromDbSnapshot, type DescribedSnapshot } from './rds-mapping.js';

export type CatalogSnapshot = DescribedSnapshot;

/** Lists the region's manual snapshots (instance and cluster), paginated: rds-dr's, or all of them. */
export class RdsSnapshotCatalog {
  constructor(private readonly rds: RDSClient) {}

  async list(which: 'rds-dr' | 'all' = 'rds-dr'): Promise<CatalogSnapshot[]> {
    const out: CatalogSnapshot[] = [];
    for await (const page of paginateDescribeDBSnapshots({ client: this.rds, pageSize: 100 }, { SnapshotType: 'manual' })) {
      out.push(...(page.DBSnapshots ?? []).map(fromDbSnapshot));
    }
    for await (const page of paginateDescribeDBClusterSnapshots({ client: this.rds, pageSize: 100 }, { SnapshotType: 'manual' })) {
      out.push(...(page.DBClusterSnapshots ?? []).map(fromDbClusterSnapshot));
    }
    return which === 'all' ? out : out.filter((s) => s.id.startsWith(SNAPSHOT_PREFIX));
  }
}
