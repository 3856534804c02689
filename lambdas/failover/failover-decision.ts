// Pure pre-checks and the failover decision (promote / switchover / failover / refuse).
import type { FailoverPlan } from './failover-plan.js';
import { FailoverRefusedError, PreCheckFailedError } from '../core/errors.js';
import { globalRoleOf, LAG_WINDOW_MINUTES, type ClusterFacts, type GlobalClusterFacts, type InstanceFacts, type PrimaryState } from '../core/standby.js';

/** What the checks observed (standby and primary), read by the failover-checks and promote-standby Lambdas. */
export interface StandbyObservation {
  /** The replica instance (standby.type "replica"). */
  instance?: InstanceFacts;
  /** The secondary cluster and its global cluster (standby.type "global"). */
  cluster?: ClusterFacts;
  global?: GlobalClusterFacts;
  lagSeconds?: number;
  primary: PrimaryState;
}

export type CheckName = 'standby-available' | 'replica-lag' | 'primary-state';

export interface CheckResult {
  name: CheckName;
  result: 'pass' | 'fail';
  detail: string;
}

export type FailoverAction = 'promote-read-replica' | 'switchover' | 'failover' | 'already-promoted' | 'refuse';

export interface FailoverDecision {
  action: FailoverAction;
  detail: string;
}

/** Why the standby already is (or is becoming) the writer, or undefined when it is still a standby. */
export function alreadyPromoted(plan: FailoverPlan, obs: StandbyObservation): string | undefined {
  if (plan.standby.type === 'replica') {
    if (obs.instance && !obs.instance.replicaSource) return `already promoted: ${plan.standby.id} is no longer a read replica (status ${obs.instance.status})`;
    return undefined;
  }
  const role = globalRoleOf(obs.global, plan.standby.arn);
  if (role === 'writer') return `already promoted: ${plan.standby.id} is the writer of global cluster ${plan.standby.globalCluster}`;
  if (role === 'moving') return `promotion in progress: global cluster ${obs.global!.id} is ${obs.global!.status}`;
  return undefined;
}

export function primaryHealthy(primary: PrimaryState): boolean {
  return primary.reachable && primary.status === 'available';
}

function describePrimary(plan: FailoverPlan, primary: PrimaryState): string {
  return primary.reachable
    ? `${plan.db} in ${plan.primaryRegion} is ${primary.status}`
    : `${plan.primaryRegion} unreachable (${primary.error}); expected in a regional outage, recorded only`;
}

function sourceMatches(plan: FailoverPlan, source: string): boolean {
  return source === plan.db || source === plan.primaryArn || source.endsWith(`:db:${plan.db}`);
}

function standbyCheck(plan: FailoverPlan, obs: StandbyObservation, promoted: string | undefined): CheckResult {
  const name = 'standby-available';
  const restoreHint = `restore the newest DR copy instead (restore workflow with --snapshot latest --region ${plan.drRegion})`;
  if (plan.standby.type === 'replica') {
    const db = obs.instance;
    if (!db) return { name, result: 'fail', detail: `standby replica ${plan.standby.id} not found in ${plan.drRegion}; ${restoreHint}` };
    if (promoted) return { name, result: 'pass', detail: promoted };
    if (!sourceMatches(plan, db.replicaSource!)) {
      return { name, result: 'fail', detail: `${plan.standby.id} is a replica of ${db.replicaSource}, not of ${plan.db}; fix incident.databases.${plan.db}.standby` };
    }
    if (db.status !== 'available') return { name, result: 'fail', detail: `standby replica ${plan.standby.id} is ${db.status}, not available; wait for it, or ${restoreHint}` };
    return { name, result: 'pass', detail: `read replica ${plan.standby.id} of ${db.replicaSource} is available in ${plan.drRegion}` };
  }
  const { cluster, global } = obs;
  if (!global) return { name, result: 'fail', detail: `global cluster ${plan.standby.globalCluster} not found; ${restoreHint}` };
  if (!cluster) return { name, result: 'fail', detail: `secondary cluster ${plan.standby.id} not found in ${plan.drRegion}; ${restoreHint}` };
  if (!global.members.some((m) => m.clusterArn === plan.standby.arn)) {
    return { name, result: 'fail', detail: `${plan.standby.id} is not a member of global cluster ${global.id}; fix incident.databases.${plan.db}.standby` };
  }
  if (promoted) return { name, result: 'pass', detail: promoted };
  if (cluster.status !== 'available') return { name, result: 'fail', detail: `secondary cluster ${plan.standby.id} is ${cluster.status}, not available; wait for it, or ${restoreHint}` };
  return { name, result: 'pass', detail: `secondary cluster ${plan.standby.id} of global cluster ${global.id} is available in ${plan.drRegion}` };
}

function lagCheck(plan: FailoverPlan, obs: StandbyObservation, promoted: string | undefined): CheckResult {
  const name = 'replica-lag';
  const metric = plan.standby.type === 'replica' ? 'ReplicaLag' : 'AuroraGlobalDBReplicationLag';
  const observed = obs.lagSeconds === undefined ? `unknown (no ${metric} datapoint in the last ${LAG_WINDOW_MINUTES} minutes)` : `${obs.lagSeconds} s`;
  if (promoted) return { name, result: 'pass', detail: `not applicable: ${promoted}` };
  if (plan.force) return { name, result: 'pass', detail: `not enforced (force: true): lag ${observed}, limit ${plan.maxReplicaLagSeconds} s` };
  if (obs.lagSeconds === undefined) {
    return { name, result: 'fail', detail: `lag ${observed}, limit ${plan.maxReplicaLagSeconds} s: how much data would be lost is unknown; rerun with force: true to accept possible data loss` };
  }
  if (obs.lagSeconds > plan.maxReplicaLagSeconds) {
    return { name, result: 'fail', detail: `lag ${observed} exceeds the limit of ${plan.maxReplicaLagSeconds} s (maxReplicaLagSeconds): about ${obs.lagSeconds} s of writes would be lost; rerun with force: true to accept data loss` };
  }
  return { name, result: 'pass', detail: `lag ${observed} within the limit of ${plan.maxReplicaLagSeconds} s` };
}

/** Every check, always all three (a dry run reports each). The primary's state never fails. */
export function evaluateChecks(plan: FailoverPlan, obs: StandbyObservation): CheckResult[] {
  const promoted = alreadyPromoted(plan, obs);
  return [standbyCheck(plan, obs, promoted), lagCheck(plan, obs, promoted), { name: 'primary-state', result: 'pass', detail: describePrimary(plan, obs.primary) }];
}

/**
 * Instance: promote the read replica. Aurora global database: switch over (no data loss) while the
 * primary is healthy; fail over with AllowDataLoss only with force; otherwise refuse.
 */
export function decideAction(plan: FailoverPlan, obs: StandbyObservation): FailoverDecision {
  const promoted = alreadyPromoted(plan, obs);
  if (promoted) return { action: 'already-promoted', detail: promoted };
  if (plan.standby.type === 'replica') {
    return { action: 'promote-read-replica', detail: `PromoteReadReplica ${plan.standby.id} in ${plan.drRegion}` };
  }
  const target = `${plan.standby.id} (${plan.standby.arn})`;
  if (primaryHealthy(obs.primary)) {
    return { action: 'switchover', detail: `SwitchoverGlobalCluster ${plan.standby.globalCluster} to ${target}: the primary is healthy, so no data is lost` };
  }
  if (plan.force) {
    return { action: 'failover', detail: `FailoverGlobalCluster ${plan.standby.globalCluster} to ${target} with AllowDataLoss (force: true; ${describePrimary(plan, obs.primary)})` };
  }
  return {
    action: 'refuse',
    detail:
      `refusing to fail over global cluster ${plan.standby.globalCluster}: the primary is not healthy (${describePrimary(plan, obs.primary)}), ` +
      'so a switchover (no data loss) cannot run and a failover may lose the writes not yet replicated; rerun with force: true to fail over with AllowDataLoss',
  };
}

/** Throws the error the workflow fails with: a failed check (naming each) or a refusal. */
export function assertCanProceed(plan: FailoverPlan, checks: CheckResult[], decision: FailoverDecision): void {
  const failed = checks.filter((c) => c.result === 'fail');
  if (failed.length > 0) {
    throw new PreCheckFailedError(
      `failover of ${plan.db} stopped before any change: ${failed.map((c) => `pre-check ${c.name} failed: ${c.detail}`).join('; ')}`,
    );
  }
  if (decision.action === 'refuse') throw new FailoverRefusedError(`failover of ${plan.db} stopped before any change: ${decision.detail}`);
}
