// Snapshot facts as the workflow needs them, for instance and cluster snapshots alike.
import type { Tag } from '../discover-databases/fleet.js';

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
  tags: Tag[];
}

export interface SnapshotReader {
  /** The snapshot with this identifier in `region`, or undefined when there is none. */
  describe(region: string, kind: SnapshotKind, id: string): Promise<SnapshotInfo | undefined>;
}

export const tagValueOf = (tags: Tag[], key: string): string | undefined => tags.find((t) => t.Key === key)?.Value;
