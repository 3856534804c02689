// What the failback needs to know about an RDS instance and the writes it makes (cross-region read
// replicas, promotion, the active-region record), behind a small gateway (RDS, CloudWatch and SSM in
// AWS: lambdas/aws/replica-gateway.ts). SDK-free.
import type { LagMetric } from './standby.js';

/** Where a replica is placed in its region: key, network and parameters. Any may be unknown. */
export interface ReplicaPlacement {
  kmsKeyId?: string;
  subnetGroupName?: string;
  securityGroupIds?: string[];
  parameterGroupName?: string;
}

export interface InstanceDetails extends ReplicaPlacement {
  id: string;
  arn: string;
  status: string;
  /** Set while the instance is a read replica (identifier or ARN of its source). */
  replicaSource?: string;
  endpoint?: string;
  storageEncrypted: boolean;
  tags: Record<string, string>;
}

export interface CreateReplicaRequest extends ReplicaPlacement {
  /** Region the replica is created in. */
  region: string;
  id: string;
  /** ARN of the source instance, in `sourceRegion`. */
  sourceArn: string;
  sourceRegion: string;
  tags: Record<string, string>;
}

export interface ReplicaGateway {
  /** The instance, or undefined when there is none with that identifier. Throws when the region cannot be reached. */
  describeInstance(region: string, id: string): Promise<InstanceDetails | undefined>;
  /** Newest datapoint of the lag metric in `region` within the last `windowMinutes`, in seconds; undefined without datapoints. */
  replicaLagSeconds(region: string, metric: LagMetric, windowMinutes: number): Promise<number | undefined>;
  createReadReplica(request: CreateReplicaRequest): Promise<void>;
  /**
   * Promotes a read replica with automated backups kept `backupRetentionDays` days (RDS creates read
   * replicas with backups off, and PromoteReadReplica turns them on for 1 day unless told otherwise);
   * undefined: RDS's default.
   */
  promoteReadReplica(region: string, id: string, backupRetentionDays?: number): Promise<void>;
  readParameter(region: string, name: string): Promise<string | undefined>;
  putParameter(region: string, name: string, value: string, description: string): Promise<void>;
}

/** Tag on every replica the failback creates: the ARN of the instance it was created from (how a re-run knows it is ours). */
export const FAILBACK_SOURCE_TAG = 'rds-dr:failback-source';

/** Is `instance` a replica of `sourceArn`, or (after promotion) one the failback created from it? */
export function createdFrom(instance: InstanceDetails, sourceArn: string, sourceId: string): boolean {
  if (instance.tags[FAILBACK_SOURCE_TAG] === sourceArn) return true;
  const source = instance.replicaSource;
  return source !== undefined && (source === sourceArn || source === sourceId);
}
