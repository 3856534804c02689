import type { FailoverPlan } from './failover-plan.js';
import { AwsStandbyGateway } from '../aws/standby-gateway.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { assertCanProceed, decideAction, evaluateChecks, type CheckResult, type FailoverDecision } from './failover-decision.js';
import { observeStandby } from './observe-standby.js';

const settings = readSettings();
const gateway = new AwsStandbyGateway(settings.primaryRegion);

export interface FailoverChecksEvent {
  plan: FailoverPlan;
}

/** Pre-checks (standby available, replica lag, primary state) and the decision; fails naming each failed check. No writes. */
export async function handler(event: FailoverChecksEvent): Promise<{ checks: CheckResult[]; decision: FailoverDecision; step: TimelineStep }> {
  const { plan } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const startedAt = new Date();
  const obs = await observeStandby(plan, gateway, { lag: true, primary: true });
  const checks = evaluateChecks(plan, obs);
  const decision = decideAction(plan, obs);
  logger.info('failover pre-checks', { checks, decision, observation: obs });
  assertCanProceed(plan, checks, decision);
  const detail = `${checks.map((c) => `${c.name} ${c.result}: ${c.detail}`).join('; ')}; decision: ${plan.dryRun ? 'would ' : ''}${decision.detail}`;
  return { checks, decision, step: timelineStep('checks', startedAt, new Date(), 'done', detail) };
}
