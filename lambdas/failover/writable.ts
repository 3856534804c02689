// One turn of the Wait -> Describe -> Choice loop: is the promoted standby available and writable yet?
import { alreadyPromoted } from './failover-decision.js';
import { observeStandby } from './observe-standby.js';
import type { FailoverPlan } from './failover-plan.js';
import { PromotionFailedError, PromotionTimeoutError } from '../core/errors.js';
import { TERMINAL_DATABASE_STATUS, type StandbyGateway } from '../core/standby.js';
import { timelineStep, type StepResult } from '../core/timeline.js';

export interface WritableResult extends StepResult {
  ready: boolean;
  /** Host name of the (new) writer: the instance endpoint or the cluster (writer) endpoint. */
  endpoint?: string;
  status: string;
}


/** `since`: when the promotion was requested (the promote step's end); the wait is bounded by plan.waitTimeoutSeconds from it. */
export async function checkWritable(plan: FailoverPlan, since: string, gateway: StandbyGateway, now: () => Date): Promise<WritableResult> {
  const obs = await observeStandby(plan, gateway, { lag: false, primary: false });
  const facts = plan.standby.type === 'replica' ? obs.instance : obs.cluster;
  const at = now();
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string) => timelineStep('wait-writable', new Date(since), at, outcome, detail);
  if (!facts) throw new PromotionFailedError(`${plan.standby.id} disappeared from ${plan.drRegion} while being promoted`);
  if (plan.dryRun) {
    return { ready: true, endpoint: facts.endpoint, status: facts.status, step: step('skipped', `dry run: would wait until ${plan.standby.id} is available and writable (now ${facts.status}); its endpoint is ${facts.endpoint}`) };
  }
  if (TERMINAL_DATABASE_STATUS.test(facts.status)) throw new PromotionFailedError(`${plan.standby.id} is ${facts.status} after the promotion request; inspect it in the RDS console`);
  const writable = alreadyPromoted(plan, obs) !== undefined && (plan.standby.type === 'replica' || obs.global?.members.find((m) => m.clusterArn === plan.standby.arn)?.isWriter === true);
  const ready = writable && facts.status === 'available' && !!facts.endpoint;
  if (ready) return { ready, endpoint: facts.endpoint, status: facts.status, step: step('done', `${plan.standby.id} is available and writable at ${facts.endpoint}`) };
  const waited = (at.getTime() - Date.parse(since)) / 1000;
  if (waited > plan.waitTimeoutSeconds) {
    throw new PromotionTimeoutError(
      `${plan.standby.id} not available and writable after ${Math.round(waited)} s (incident.waitTimeoutMinutes = ${plan.waitTimeoutSeconds / 60}); ` +
        `status ${facts.status}, ${writable ? 'writable' : 'not yet writable'}. Check the RDS console; re-running the failover continues from here.`,
    );
  }
  return { ready: false, endpoint: facts.endpoint, status: facts.status, step: step('done', `waiting: ${plan.standby.id} is ${facts.status}, ${writable ? 'writable' : 'not yet writable'}`) };
}
