import type { GlobalFailbackPlan } from './failback-plan.js';
import { AwsStandbyGateway } from '../aws/standby-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { assertGlobalChecksPass, evaluateGlobalChecks, observeGlobalFailback, type GlobalFailbackCheck } from './global-failback-checks.js';

const settings = readSettings();
const gateway = new AwsStandbyGateway(settings.primaryRegion);

/** Pre-checks of an Aurora global database's failback (global cluster, original cluster a member and available, lag); fails naming each failed check. No writes. */
export async function handler(event: { plan: GlobalFailbackPlan }): Promise<{ checks: GlobalFailbackCheck[]; step: TimelineStep }> {
  const { plan } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const startedAt = new Date();
  const obs = await observeGlobalFailback(plan, gateway);
  const checks = evaluateGlobalChecks(plan, obs);
  logger.info('global failback pre-checks', { globalCluster: plan.globalCluster, checks, observation: obs });
  assertGlobalChecksPass(plan, checks);
  return { checks, step: timelineStep('checks', startedAt, new Date(), 'done', checks.map((c) => `${c.name} ${c.result}: ${c.detail}`).join('; ')) };
}
