// One turn of the failback's Wait -> Describe -> Choice loops (RDS has no .sync integration), on the
// replica in the primary region:
// - in-sync: available, still replicating, replica lag within maxReplicaLagSeconds (phase 1);
// - caught-up: after writes stopped, the drain time passed and the lag is 0 (phase 2, before promoting);
// - writable: promoted, available, no longer a replica.
// Each wait is bounded by incident.waitTimeoutMinutes from `since`.
import type { FailbackPlan } from './failback-plan.js';
import { PromotionFailedError, PromotionTimeoutError } from '../core/errors.js';
import { createdFrom, type ReplicaGateway } from '../core/replicas.js';
import { LAG_WINDOW_MINUTES, lagMetricFor, TERMINAL_DATABASE_STATUS } from '../core/standby.js';
import { timelineStep, type StepResult } from '../core/timeline.js';

export type ReplicaCondition = 'in-sync' | 'caught-up' | 'writable';

export interface ReplicaStatusEvent {
  plan: FailbackPlan;
  require: ReplicaCondition;
  /** When the wait began (ISO): the step that started it ended then. */
  since: string;
}

export interface ReplicaStatusResult extends StepResult {
  ready: boolean;
  status: string;
  /** Host name of the replica (the writer once promoted). */
  endpoint: string;
  lagSeconds?: number;
}

const STEP_NAMES: Record<ReplicaCondition, string> = { 'in-sync': 'wait-in-sync', 'caught-up': 'wait-caught-up', writable: 'wait-writable' };

/** A host name a dry run can report before the replica exists (".invalid" never resolves). */
export const pendingEndpoint = (plan: FailbackPlan) => `${plan.target.id}.not-created-yet.invalid`;

export async function checkReplica(event: ReplicaStatusEvent, gateway: ReplicaGateway, now: () => Date): Promise<ReplicaStatusResult> {
  const { plan, require, since } = event;
  const replica = await gateway.describeInstance(plan.primaryRegion, plan.target.id);
  const at = now();
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string) => timelineStep(STEP_NAMES[require], new Date(since), at, outcome, detail);
  const endpoint = replica?.endpoint ?? pendingEndpoint(plan);
  if (plan.dryRun) {
    return { ready: true, status: replica?.status ?? 'not created', endpoint, step: step('skipped', `dry run: would wait until ${plan.target.id} is ${require} (now ${replica?.status ?? 'not created'})`) };
  }
  if (!replica) throw new PromotionFailedError(`${plan.target.id} not found in ${plan.primaryRegion} while waiting for it to be ${require}`);
  if (!createdFrom(replica, plan.source.arn, plan.source.id)) throw new PromotionFailedError(`${plan.target.id} in ${plan.primaryRegion} is not the failback's replica of ${plan.source.id}`);
  if (TERMINAL_DATABASE_STATUS.test(replica.status)) throw new PromotionFailedError(`${plan.target.id} in ${plan.primaryRegion} is ${replica.status}; inspect it in the RDS console`);
  const promoted = !replica.replicaSource;
  const available = replica.status === 'available' && !!replica.endpoint;
  const done = (detail: string): ReplicaStatusResult => ({ ready: true, status: replica.status, endpoint, step: step('done', detail) });

  let waiting: string;
  let lagSeconds: number | undefined;
  if (require === 'writable') {
    if (promoted && available) return done(`${plan.target.id} is available and writable at ${replica.endpoint}`);
    waiting = `${replica.status}, ${promoted ? 'promoted' : 'still a replica'}`;
  } else if (promoted) {
    // A re-run after the switch: the lag of a promoted instance no longer applies.
    if (available) return done(`not applicable: ${plan.target.id} is already promoted (${replica.status})`);
    waiting = `${replica.status}, promoted`;
  } else {
    lagSeconds = await gateway.replicaLagSeconds(plan.primaryRegion, lagMetricFor({ type: 'replica', id: plan.target.id }), LAG_WINDOW_MINUTES);
    const lag = lagSeconds === undefined ? 'lag unknown (no ReplicaLag datapoint yet)' : `lag ${lagSeconds} s`;
    if (require === 'in-sync') {
      if (available && lagSeconds !== undefined && lagSeconds <= plan.maxReplicaLagSeconds) {
        return { ...done(`${plan.target.id} is available, ${lag} within the limit of ${plan.maxReplicaLagSeconds} s`), lagSeconds };
      }
    } else {
      const drained = (at.getTime() - Date.parse(since)) / 1000 >= plan.drainSeconds;
      if (available && drained && lagSeconds === 0) return { ...done(`writes stopped ${plan.drainSeconds} s+ ago and ${plan.target.id} has caught up (lag 0 s)`), lagSeconds };
      if (!drained) waiting = `draining: clients may resolve the old writer for ${plan.drainSeconds} s (CNAME TTL)`;
    }
    waiting ??= `${replica.status}, ${lag}`;
  }
  const waited = (at.getTime() - Date.parse(since)) / 1000;
  if (waited > plan.waitTimeoutSeconds) {
    throw new PromotionTimeoutError(
      `${plan.target.id} in ${plan.primaryRegion} not ${require} after ${Math.round(waited)} s (incident.waitTimeoutMinutes = ${plan.waitTimeoutSeconds / 60}); ` +
        `now ${waiting}. Check the RDS console; re-running the failback continues from here.`,
    );
  }
  return { ready: false, status: replica.status, endpoint, lagSeconds, step: step('done', `waiting: ${plan.target.id} is ${waiting}`) };
}
