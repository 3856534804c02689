// What discovery needs to know about the RDS fleet, independent of the SDK.
import type { Tag } from './snapshots.js';

/** What instances and clusters have in common. */
interface DatabaseInfo {
  id: string;
  arn: string;
  engine: string;
  status: string;
  tags: Tag[];
  createdAt?: string;
  /** Newest point-in-time restore target, when automated backups are on. */
  latestRestorableTime?: string;
}

export interface DbInstanceInfo extends DatabaseInfo {
  /** Set when the instance is a read replica (of an instance or a cluster). */
  replicaSource?: string;
  /** Set when the instance is a member of an Aurora / Multi-AZ DB cluster. */
  clusterId?: string;
}

export interface DbClusterInfo extends DatabaseInfo {
  /** Set when the cluster is a cross-region read replica cluster. */
  replicaSource?: string;
}

/** A region's databases. */
export interface Fleet {
  instances: DbInstanceInfo[];
  clusters: DbClusterInfo[];
}

/** Reads a region's fleet (paginated by the adapter). */
export interface FleetReader {
  listInstances(): Promise<DbInstanceInfo[]>;
  listClusters(): Promise<DbClusterInfo[]>;
}
