import { DeleteDBClusterSnapshotCommand, DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { rdsClient } from '../shared/rds-clients.js';
import type { SnapshotKind } from '../shared/snapshots.js';

const GONE = new Set(['DBSnapshotNotFoundFault', 'DBClusterSnapshotNotFoundFault']);

/** Deletes one snapshot; one that is already gone counts as deleted (a retried run). */
export async function deleteSnapshot(region: string, kind: SnapshotKind, id: string): Promise<'deleted' | 'already gone'> {
  try {
    if (kind === 'cluster') await rdsClient(region).send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }));
    else await rdsClient(region).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id }));
    return 'deleted';
  } catch (err) {
    if (GONE.has((err as Error).name)) return 'already gone';
    throw err;
  }
}
