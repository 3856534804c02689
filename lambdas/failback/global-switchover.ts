// Phase 2 of an Aurora global database's failback: SwitchoverGlobalCluster back to the original cluster
// in the primary region (no data loss: RDS stops writes and lets the secondary catch up first), then
// one turn of the Wait -> Describe -> Choice loop until it is the writer and available (RDS has no
// .sync integration). Both idempotent: a re-run finds the switchover done or in progress.
import type { GlobalFailbackPlan } from './failback-plan.js';
import type { FailbackAudit } from './create-replica.js';
import { PromotionFailedError, PromotionTimeoutError } from '../core/errors.js';
import { ALREADY_CHANGING_ERRORS, GLOBAL_WRITER_MOVING, globalRoleOf, TERMINAL_DATABASE_STATUS, type GlobalRole, type StandbyGateway } from '../core/standby.js';
import { changeStep, timelineStep, type ChangeStepResult, type StepResult } from '../core/timeline.js';

export type SwitchoverResult = ChangeStepResult;

export async function switchoverBack(plan: GlobalFailbackPlan, gateway: StandbyGateway, audit: FailbackAudit, now: () => Date): Promise<SwitchoverResult> {
  const startedAt = now();
  const step = changeStep('switchover', startedAt, now);
  const what = `SwitchoverGlobalCluster ${plan.globalCluster} to ${plan.target.id} (${plan.target.arn}): the writer moves back to ${plan.primaryRegion}, ${plan.source.id} becomes a secondary`;
  // Re-observe: a retried or re-run execution finds the switchover done or under way and carries on.
  const progress = async () => {
    const global = await gateway.describeGlobalCluster(plan.drRegion, plan.globalCluster);
    const role = globalRoleOf(global, plan.target.arn);
    if (role === 'writer') return `already done: ${plan.target.id} is the writer of ${plan.globalCluster}`;
    if (global && GLOBAL_WRITER_MOVING.has(global.status)) return `in progress: ${plan.globalCluster} is ${global.status}; waiting for it`;
    if (role === 'not-member') throw new Error(`switchover: ${plan.target.arn} is not a member of ${plan.globalCluster}${global ? '' : ' (not found)'}; re-run the failback from the start`);
    return undefined;
  };
  const already = await progress();
  if (already) return step('already-done', already);
  if (plan.dryRun) return step('would-do', `dry run: would ${what}`);
  audit.destructive({ who: { reason: plan.reason, executionArn: plan.executionArn }, what, why: plan.reason });
  try {
    await gateway.switchoverGlobalCluster(plan.drRegion, plan.globalCluster, plan.target.arn);
  } catch (err) {
    // A duplicate request while RDS is already switching over: the first one is doing the work.
    if (ALREADY_CHANGING_ERRORS.has((err as Error).name)) {
      const again = await progress();
      if (again) return step('already-done', `${again} (${(err as Error).name})`);
    }
    throw err;
  }
  return step('done', what, true);
}

const ROLE_WORDS: Record<GlobalRole, string> = { writer: 'the writer', moving: 'a member while the writer moves', secondary: 'a secondary', 'not-member': 'not a member' };

export interface GlobalWriterEvent {
  plan: GlobalFailbackPlan;
  /** When the switchover was requested (ISO): the wait is bounded by plan.waitTimeoutSeconds from it. */
  since: string;
}

export interface GlobalWriterResult extends StepResult {
  ready: boolean;
  status: string;
  /** The primary-region cluster's (writer) endpoint. */
  endpoint?: string;
}

export async function checkGlobalWriter(event: GlobalWriterEvent, gateway: StandbyGateway, now: () => Date): Promise<GlobalWriterResult> {
  const { plan, since } = event;
  const [global, cluster] = await Promise.all([gateway.describeGlobalCluster(plan.drRegion, plan.globalCluster), gateway.describeCluster(plan.primaryRegion, plan.target.id)]);
  const at = now();
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string) => timelineStep('wait-writer', new Date(since), at, outcome, detail);
  const role = globalRoleOf(global, plan.target.arn);
  const status = cluster?.status ?? 'not found';
  if (plan.dryRun) {
    // A host the cutover's dry run can report (".invalid" never resolves) when the cluster shows none.
    const endpoint = cluster?.endpoint ?? `${plan.target.id}.endpoint-unknown.invalid`;
    return { ready: true, status, endpoint, step: step('skipped', `dry run: would wait until ${plan.target.id} is the writer of ${plan.globalCluster} and available (now ${role}, ${status})`) };
  }
  if (!cluster) throw new PromotionFailedError(`${plan.target.id} not found in ${plan.primaryRegion} while switching ${plan.globalCluster} over to it`);
  if (TERMINAL_DATABASE_STATUS.test(cluster.status)) throw new PromotionFailedError(`${plan.target.id} in ${plan.primaryRegion} is ${cluster.status}; inspect it in the RDS console`);
  const settled = global !== undefined && !GLOBAL_WRITER_MOVING.has(global.status);
  if (role === 'writer' && settled && cluster.status === 'available' && cluster.endpoint) {
    return { ready: true, status, endpoint: cluster.endpoint, step: step('done', `${plan.target.id} is the writer of ${plan.globalCluster}, available at ${cluster.endpoint}`) };
  }
  const state = `${plan.target.id} is ${ROLE_WORDS[role]}, ${cluster.status}; ${plan.globalCluster} is ${global?.status ?? 'not found'}`;
  const waited = (at.getTime() - Date.parse(since)) / 1000;
  if (waited > plan.waitTimeoutSeconds) {
    throw new PromotionTimeoutError(
      `${plan.target.id} in ${plan.primaryRegion} not the available writer of ${plan.globalCluster} after ${Math.round(waited)} s (incident.waitTimeoutMinutes = ${plan.waitTimeoutSeconds / 60}); ` +
        `now ${state}. Check the global database in the RDS console; re-running the failback with switch: true continues from here.`,
    );
  }
  return { ready: false, status, endpoint: cluster.endpoint, step: step('done', `waiting: ${state}`) };
}
