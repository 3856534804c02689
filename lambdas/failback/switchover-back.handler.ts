import type { GlobalFailbackPlan } from './failback-plan.js';
import { AwsStandbyGateway } from '../aws/standby-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { switchoverBack, type SwitchoverResult } from './global-switchover.js';

const settings = readSettings();
const gateway = new AwsStandbyGateway(settings.primaryRegion);

/** SwitchoverGlobalCluster back to the original cluster in the primary region; idempotent (done or in progress is recorded). */
export async function handler(event: { plan: GlobalFailbackPlan }): Promise<SwitchoverResult> {
  const { plan } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const result = await switchoverBack(plan, gateway, { destructive: (entry) => logger.warn('DESTRUCTIVE: failback', entry) }, () => new Date());
  logger.info('switchover back', { globalCluster: plan.globalCluster, performed: result.performed, outcome: result.step.outcome, detail: result.step.detail });
  return result;
}
