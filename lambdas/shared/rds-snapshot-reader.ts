import { DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { rdsClient } from './rds-clients.js';
import { fromDbClusterSnapshot, fromDbSnapshot } from './rds-mapping.js';
import type { SnapshotInfo, SnapshotKind, SnapshotReader } from './snapshots.js';

const NOT_FOUND = new Set(['DBSnapshotNotFoundFault', 'DBClusterSnapshotNotFoundFault']);

/** SnapshotReader over DescribeDBSnapshots / DescribeDBClusterSnapshots. */
export class RdsSnapshotReader implements SnapshotReader {
  async describe(region: string, kind: SnapshotKind, id: string): Promise<SnapshotInfo | undefined> {
    try {
      if (kind === 'cluster') {
        const s = (await rdsClient(region).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }))).DBClusterSnapshots?.[0];
        return s && fromDbClusterSnapshot(s);
      }
      const s = (await rdsClient(region).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }))).DBSnapshots?.[0];
      return s && fromDbSnapshot(s);
    } catch (err) {
      if (NOT_FOUND.has((err as Error).name)) return undefined;
      throw err;
    }
  }
}
