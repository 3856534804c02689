import type { FailbackPlan } from './failback-plan.js';
import { AwsReplicaGateway } from '../aws/replica-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { assertChecksPass, evaluateChecks, targetStage, type FailbackCheck, type ResolvedPlacement, type TargetStage } from './failback-checks.js';
import { observeFailback } from './observe-failback.js';

const settings = readSettings();
const gateway = new AwsReplicaGateway(settings.primaryRegion);

export interface FailbackChecksEvent {
  plan: FailbackPlan;
}

/** Pre-checks (DR writer, primary region, replica and standby names, placement); fails naming each failed check. No writes. */
export async function handler(event: FailbackChecksEvent): Promise<{ checks: FailbackCheck[]; placement: ResolvedPlacement; stage: TargetStage; step: TimelineStep }> {
  const { plan } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const startedAt = new Date();
  const obs = await observeFailback(plan, gateway);
  const { checks, placement } = evaluateChecks(plan, obs);
  const stage = obs.primary.reachable ? targetStage(plan, obs.primary.target) : 'absent';
  logger.info('failback pre-checks', { checks, placement, stage });
  assertChecksPass(plan, checks);
  const detail = checks.map((c) => `${c.name} ${c.result}: ${c.detail}`).join('; ');
  return { checks, placement, stage, step: timelineStep('checks', startedAt, new Date(), 'done', detail) };
}
