// One turn of the wait for the new DR standby (the read replica of the new primary that the next
// failover promotes). The database itself is already back in the primary region when this runs, so
// the wait never fails the step: a standby that does not become available within
// incident.waitTimeoutMinutes (or ends in a terminal status, or is gone) settles the wait as "not
// available" — the timeline records it as failed and the workflow ends FAILED after its report, which
// pages. Only an available standby lets the failback report success.
import type { FailbackPlan } from './failback-plan.js';
import { createdFrom, type ReplicaGateway } from '../core/replicas.js';
import { TERMINAL_DATABASE_STATUS } from '../core/standby.js';
import { timelineStep, type StepResult } from '../core/timeline.js';

export interface DrStandbyStatusEvent {
  plan: FailbackPlan;
  /** When the wait began (ISO): the standby's creation step ended then. */
  since: string;
}

export interface DrStandbyStatusResult extends StepResult {
  /** The wait is over: the standby is available, or it will not be (see `available`). */
  ready: boolean;
  available: boolean;
  status: string;
}

export async function checkDrStandby(event: DrStandbyStatusEvent, gateway: ReplicaGateway, now: () => Date): Promise<DrStandbyStatusResult> {
  const { plan, since } = event;
  const { id, region } = plan.drStandby;
  const standby = await gateway.describeInstance(region, id);
  const at = now();
  const status = standby?.status ?? 'not found';
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string) => timelineStep('wait-dr-standby', new Date(since), at, outcome, detail);
  const settled = (available: boolean, outcome: Parameters<typeof timelineStep>[3], detail: string): DrStandbyStatusResult => ({ ready: true, available, status, step: step(outcome, detail) });
  const back = `${plan.db} itself is back in ${plan.primaryRegion} as ${plan.target.id}`;
  const notAvailable = (why: string) =>
    settled(
      false,
      'failed',
      `new DR standby ${id} in ${region} ${why}. ${back}; until a standby is available there is no failover target: check the standby in the RDS console ` +
        `(its events), then re-run the failback with switch: true (every step done is skipped; it waits for the standby again), or delete it and re-run to create it anew.`,
    );

  if (plan.dryRun) return settled(true, 'skipped', `dry run: would wait until the new DR standby ${id} in ${region} is available (now ${status})`);
  if (!standby) return notAvailable('is gone (not found)');
  if (!createdFrom(standby, plan.target.arn, plan.target.id)) return notAvailable(`is not a replica of ${plan.target.arn}`);
  if (standby.status === 'available') return settled(true, 'done', `new DR standby ${id} in ${region} is available, replicating ${plan.target.id}`);
  if (TERMINAL_DATABASE_STATUS.test(standby.status)) return notAvailable(`is ${standby.status}`);
  const waited = (at.getTime() - Date.parse(since)) / 1000;
  if (waited > plan.waitTimeoutSeconds) {
    return notAvailable(`is not available after ${Math.round(waited)} s (incident.waitTimeoutMinutes = ${plan.waitTimeoutSeconds / 60}); now ${standby.status}`);
  }
  return { ready: false, available: false, status, step: step('done', `waiting: new DR standby ${id} in ${region} is ${standby.status}`) };
}
