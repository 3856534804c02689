// The destructive step of a failover, idempotent: re-observe the standby, then promote / switch
// over / fail over, or record that it already happened. A dry run only says what it would do.
import { alreadyPromoted, type FailoverDecision } from './failover-decision.js';
import { observeStandby } from './observe-standby.js';
import type { FailoverPlan } from './failover-plan.js';
import { timelineStep, type StepResult } from '../core/timeline.js';
import { ALREADY_CHANGING_ERRORS, type StandbyGateway } from '../core/standby.js';

export interface PromoteResult extends StepResult {
  action: FailoverDecision['action'];
  performed: boolean;
}

export interface AuditLog {
  /** Who / what / why of a destructive act, logged before the call. */
  destructive(entry: { who: { reason: string; executionArn: string }; what: string; why: string }): void;
}

export async function promoteStandby(plan: FailoverPlan, decision: FailoverDecision, gateway: StandbyGateway, audit: AuditLog, now: () => Date): Promise<PromoteResult> {
  const startedAt = now();
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string) => timelineStep('promote', startedAt, now(), outcome, detail);
  // Re-observe: a retried or re-run execution finds the standby already promoted and carries on.
  const obs = await observeStandby(plan, gateway, { lag: false, primary: false });
  const promoted = alreadyPromoted(plan, obs);
  if (promoted) return { action: 'already-promoted', performed: false, step: step('already-done', promoted) };
  if (decision.action === 'already-promoted' || decision.action === 'refuse') {
    // The checks saw it promoted (or refused) but it is a standby now: never act on a stale decision.
    throw new Error(`promote: decision "${decision.action}" does not match the standby's state (still a standby); re-run the failover`);
  }
  if (plan.dryRun) return { action: decision.action, performed: false, step: step('would-do', `dry run: would ${decision.detail}`) };

  audit.destructive({ who: { reason: plan.reason, executionArn: plan.executionArn }, what: decision.detail, why: plan.reason });
  try {
    if (decision.action === 'promote-read-replica') await gateway.promoteReadReplica(plan.drRegion, plan.standby.id, plan.backupRetentionDays);
    else if (plan.standby.type === 'global' && decision.action === 'switchover') await gateway.switchoverGlobalCluster(plan.drRegion, plan.standby.globalCluster, plan.standby.arn);
    else if (plan.standby.type === 'global' && decision.action === 'failover') await gateway.failoverGlobalCluster(plan.drRegion, plan.standby.globalCluster, plan.standby.arn);
    else throw new Error(`promote: action ${decision.action} does not apply to a ${plan.standby.type} standby`);
  } catch (err) {
    // A duplicate request while RDS is already promoting: the first one is doing the work.
    if (ALREADY_CHANGING_ERRORS.has((err as Error).name)) {
      const again = await observeStandby(plan, gateway, { lag: false, primary: false });
      const busy = plan.standby.type === 'replica' ? again.instance?.status !== 'available' : again.global?.status !== 'available';
      if (busy || alreadyPromoted(plan, again)) {
        return { action: decision.action, performed: false, step: step('already-done', `already in progress (${(err as Error).name}); waiting for it`) };
      }
    }
    throw err;
  }
  return { action: decision.action, performed: true, step: step('done', decision.detail) };
}
