// What the failover needs to know about a standby and the primary, and the writes it makes,
// behind a small gateway (RDS + CloudWatch in AWS: aws-standby-gateway.ts).

export interface InstanceFacts {
  id: string;
  arn: string;
  status: string;
  /** Set while the instance is a read replica (identifier or ARN of its source). */
  replicaSource?: string;
  endpoint?: string;
}

export interface ClusterFacts {
  id: string;
  arn: string;
  status: string;
  /** The cluster (writer) endpoint. */
  endpoint?: string;
}

export interface GlobalClusterFacts {
  id: string;
  status: string;
  members: { clusterArn: string; isWriter: boolean }[];
}

/** Global cluster statuses while its writer moves (SwitchoverGlobalCluster / FailoverGlobalCluster in progress). */
export const GLOBAL_WRITER_MOVING = new Set(['switching-over', 'failing-over']);

/**
 * Where a cluster stands in a global cluster: its writer, becoming the writer or losing it (a
 * switchover or failover in progress), a secondary, or not a member. Shared by the failover (the DR
 * cluster) and the failback (the original primary-region cluster).
 */
export type GlobalRole = 'writer' | 'moving' | 'secondary' | 'not-member';

export function globalRoleOf(global: GlobalClusterFacts | undefined, clusterArn: string): GlobalRole {
  const member = global?.members.find((m) => m.clusterArn === clusterArn);
  if (!global || !member) return 'not-member';
  if (member.isWriter) return 'writer';
  return GLOBAL_WRITER_MOVING.has(global.status) ? 'moving' : 'secondary';
}

/** What RDS answers a promotion or switchover with while the instance or global cluster is already changing: a duplicate request. */
export const ALREADY_CHANGING_ERRORS = new Set(['InvalidDBInstanceStateFault', 'InvalidDBInstanceState', 'InvalidGlobalClusterStateFault', 'InvalidGlobalClusterState']);

export type PrimaryState = { reachable: true; status: string } | { reachable: false; error: string };

/** Statuses an instance or cluster being waited for does not recover from by itself. Shared by failover and failback. */
export const TERMINAL_DATABASE_STATUS = /^(failed|incompatible-|inaccessible-encryption-credentials|storage-full|deleting|stopped)/;

/** Lag metrics are read over this window; no datapoint in it means "unknown". Shared by failover and failback. */
export const LAG_WINDOW_MINUTES = 10;

export interface StandbyGateway {
  describeInstance(region: string, id: string): Promise<InstanceFacts | undefined>;
  describeCluster(region: string, id: string): Promise<ClusterFacts | undefined>;
  describeGlobalCluster(region: string, id: string): Promise<GlobalClusterFacts | undefined>;
  /** Newest datapoint of the lag metric in `region` within the last `windowMinutes`, in seconds; undefined without datapoints. */
  replicaLagSeconds(region: string, metric: LagMetric, windowMinutes: number): Promise<number | undefined>;
  /** The primary's state, through a client that gives up fast; never throws. */
  primaryState(region: string, kind: 'instance' | 'cluster', id: string): Promise<PrimaryState>;
  /**
   * Promotes a read replica with automated backups kept `backupRetentionDays` days (RDS creates read
   * replicas with backups off, and PromoteReadReplica turns them on for 1 day unless told otherwise);
   * undefined: RDS's default.
   */
  promoteReadReplica(region: string, id: string, backupRetentionDays?: number): Promise<void>;
  switchoverGlobalCluster(region: string, globalCluster: string, targetClusterArn: string): Promise<void>;
  failoverGlobalCluster(region: string, globalCluster: string, targetClusterArn: string): Promise<void>;
}

/** ReplicaLag (seconds, per replica instance) or AuroraGlobalDBReplicationLag (milliseconds, per secondary cluster). */
export type LagMetric =
  | { name: 'ReplicaLag'; dimension: { Name: 'DBInstanceIdentifier'; Value: string }; unit: 'Seconds' }
  | { name: 'AuroraGlobalDBReplicationLag'; dimension: { Name: 'DBClusterIdentifier'; Value: string }; unit: 'Milliseconds' };

export function lagMetricFor(standby: { type: 'replica' | 'global'; id: string }): LagMetric {
  return standby.type === 'replica'
    ? { name: 'ReplicaLag', dimension: { Name: 'DBInstanceIdentifier', Value: standby.id }, unit: 'Seconds' }
    : { name: 'AuroraGlobalDBReplicationLag', dimension: { Name: 'DBClusterIdentifier', Value: standby.id }, unit: 'Milliseconds' };
}
