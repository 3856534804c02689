import type { AnyFailbackPlan } from './failback-plan.js';
import { AwsReplicaGateway } from '../aws/replica-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { recordActiveRegion, type ActiveRegionResult } from './active-region-step.js';

const settings = readSettings();
const gateway = new AwsReplicaGateway(settings.primaryRegion);

/** Sets /<appName>/active-region/<db> (DR region) back to the primary region; idempotent. */
export async function handler(event: { plan: AnyFailbackPlan }): Promise<ActiveRegionResult> {
  const { plan } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const result = await recordActiveRegion(plan, gateway, () => new Date());
  logger.info('active region', { parameter: result.parameter, before: result.before, value: result.value, outcome: result.step.outcome });
  return result;
}
