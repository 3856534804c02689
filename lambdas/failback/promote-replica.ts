// Promoting the failback's replica in the primary region, idempotent: an already-promoted replica
// (ours, by its tag) is recorded and the workflow moves on. A dry run only says what it would do.
import type { FailbackAudit } from './create-replica.js';
import type { FailbackPlan } from './failback-plan.js';
import { createdFrom, type ReplicaGateway } from '../core/replicas.js';
import { ALREADY_CHANGING_ERRORS } from '../core/standby.js';
import { changeStep, type ChangeStepResult } from '../core/timeline.js';

export type PromoteReplicaResult = ChangeStepResult;

export async function promoteReplica(plan: FailbackPlan, gateway: ReplicaGateway, audit: FailbackAudit, now: () => Date): Promise<PromoteReplicaResult> {
  const startedAt = now();
  const step = changeStep('promote', startedAt, now);
  const what = `PromoteReadReplica ${plan.target.id} in ${plan.primaryRegion} (it stops replicating from ${plan.source.id} and becomes the primary)`;
  const replica = await gateway.describeInstance(plan.primaryRegion, plan.target.id);
  if (plan.dryRun) return step('would-do', `dry run: would ${what}`);
  if (!replica || !createdFrom(replica, plan.source.arn, plan.source.id)) {
    throw new Error(`promote: ${plan.target.id} in ${plan.primaryRegion} is ${replica ? 'not the failback replica' : 'missing'}; re-run the failback from the start`);
  }
  if (!replica.replicaSource) return step('already-done', `already promoted: ${plan.target.id} is no longer a read replica (status ${replica.status})`);
  audit.destructive({ who: { reason: plan.reason, executionArn: plan.executionArn }, what, why: plan.reason });
  try {
    await gateway.promoteReadReplica(plan.primaryRegion, plan.target.id, plan.backupRetentionDays);
  } catch (err) {
    // A duplicate request while RDS is already promoting: the first one is doing the work.
    if (ALREADY_CHANGING_ERRORS.has((err as Error).name)) return step('already-done', `already in progress (${(err as Error).name}); waiting for it`);
    throw err;
  }
  return step('done', what, true);
}
