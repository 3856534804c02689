// Creating a cross-region read replica, idempotent: the failback's replica in the primary region
// (of the DR writer) and the new DR standby (of the new primary). A replica that already exists and
// is ours is recorded and the workflow moves on; a dry run only says what it would create.
import type { ResolvedPlacement } from './failback-checks.js';
import type { FailbackPlan, InstanceRef } from './failback-plan.js';
import { PreCheckFailedError } from '../core/errors.js';
import { createdFrom, FAILBACK_SOURCE_TAG, type CreateReplicaRequest, type ReplicaGateway, type ReplicaPlacement } from '../core/replicas.js';
import { timelineStep, type StepResult } from '../core/timeline.js';

export type ReplicaRole = 'primary-replica' | 'dr-standby';

export interface CreateReplicaEvent {
  plan: FailbackPlan;
  role: ReplicaRole;
  /** The primary-region placement the pre-checks resolved (role primary-replica). */
  placement?: ResolvedPlacement;
}

export interface CreateReplicaResult extends StepResult {
  replica: string;
  created: boolean;
}

export interface FailbackAudit {
  /** Who / what / why of a change, logged before the call. */
  destructive(entry: { who: { reason: string; executionArn: string }; what: string; why: string }): void;
}

const ALREADY_EXISTS = new Set(['DBInstanceAlreadyExistsFault', 'DBInstanceAlreadyExists']);

/** The replica and its source for a role: primary-replica copies the DR writer back; dr-standby copies the new primary out. */
export function replicaOf(plan: FailbackPlan, role: ReplicaRole): { replica: InstanceRef; source: InstanceRef } {
  return role === 'primary-replica' ? { replica: plan.target, source: plan.source } : { replica: plan.drStandby, source: plan.target };
}

const describeRequest = (r: CreateReplicaRequest) =>
  `CreateDBInstanceReadReplica ${r.id} in ${r.region} from ${r.sourceArn}` +
  [
    r.kmsKeyId && `KmsKeyId ${r.kmsKeyId}`,
    r.subnetGroupName && `DBSubnetGroupName ${r.subnetGroupName}`,
    r.securityGroupIds?.length && `VpcSecurityGroupIds ${r.securityGroupIds.join(',')}`,
    r.parameterGroupName && `DBParameterGroupName ${r.parameterGroupName}`,
  ]
    .filter(Boolean)
    .map((s) => `, ${s}`)
    .join('');

export async function createReplica(event: CreateReplicaEvent, gateway: ReplicaGateway, audit: FailbackAudit, now: () => Date): Promise<CreateReplicaResult> {
  const { plan, role } = event;
  const startedAt = now();
  const name = role === 'primary-replica' ? 'create-replica' : 'create-dr-standby';
  const { replica, source } = replicaOf(plan, role);
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string, created = false): CreateReplicaResult => ({
    replica: replica.id,
    created,
    step: timelineStep(name, startedAt, now(), outcome, detail),
  });

  const existing = await gateway.describeInstance(replica.region, replica.id);
  if (existing) {
    if (createdFrom(existing, source.arn, source.id)) return step('already-done', `${replica.id} in ${replica.region} already exists as the replica of ${source.id} (${existing.status})`);
    throw new PreCheckFailedError(`${replica.id} in ${replica.region} exists and is not a replica of ${source.arn}; rename or delete it (or configure another name) and re-run`);
  }
  const sourceFacts = await gateway.describeInstance(source.region, source.id);
  if (!sourceFacts) {
    if (plan.dryRun) return step('would-do', `dry run: would create ${replica.id} in ${replica.region} as a read replica of ${source.id} once it exists`);
    throw new Error(`${source.id} not found in ${source.region}: cannot create its replica ${replica.id}`);
  }
  // The standby is placed where the DR writer was (the DR network), encrypted with the DR key.
  let placement: ReplicaPlacement;
  if (role === 'primary-replica') {
    placement = event.placement ?? {};
  } else {
    const drWriter = await gateway.describeInstance(plan.source.region, plan.source.id);
    placement = { subnetGroupName: drWriter?.subnetGroupName, securityGroupIds: drWriter?.securityGroupIds, parameterGroupName: drWriter?.parameterGroupName, kmsKeyId: plan.drKmsKeyId };
  }
  const request: CreateReplicaRequest = {
    region: replica.region,
    id: replica.id,
    sourceArn: sourceFacts.arn || source.arn,
    sourceRegion: source.region,
    // RDS refuses a key for the replica of an unencrypted instance, and requires one across regions for an encrypted one.
    kmsKeyId: sourceFacts.storageEncrypted ? placement.kmsKeyId : undefined,
    subnetGroupName: placement.subnetGroupName,
    securityGroupIds: placement.securityGroupIds,
    parameterGroupName: placement.parameterGroupName,
    tags: { ...sourceFacts.tags, [FAILBACK_SOURCE_TAG]: source.arn, 'rds-dr:failback-execution': plan.executionArn.split(':').pop() ?? '' },
  };
  if (plan.dryRun) return step('would-do', `dry run: would ${describeRequest(request)}`);
  audit.destructive({ who: { reason: plan.reason, executionArn: plan.executionArn }, what: describeRequest(request), why: plan.reason });
  try {
    await gateway.createReadReplica(request);
  } catch (err) {
    // A retried request whose first attempt went through: the replica exists now.
    if (ALREADY_EXISTS.has((err as Error).name)) {
      const again = await gateway.describeInstance(replica.region, replica.id);
      if (again && createdFrom(again, source.arn, source.id)) return step('already-done', `${replica.id} in ${replica.region} already being created as the replica of ${source.id}`);
    }
    throw err;
  }
  return step('done', describeRequest(request), true);
}
