import type { FailbackPlan } from './failback-plan.js';
import { AwsReplicaGateway } from '../aws/replica-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { promoteReplica, type PromoteReplicaResult } from './promote-replica.js';

const settings = readSettings();
const gateway = new AwsReplicaGateway(settings.primaryRegion);

export interface PromoteFailbackReplicaEvent {
  plan: FailbackPlan;
}

/** Promotes the failback's replica in the primary region; idempotent. */
export async function handler(event: PromoteFailbackReplicaEvent): Promise<PromoteReplicaResult> {
  const { plan } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const result = await promoteReplica(plan, gateway, { destructive: (entry) => logger.warn('DESTRUCTIVE: failback', entry) }, () => new Date());
  logger.info('promote', { performed: result.performed, outcome: result.step.outcome, detail: result.step.detail });
  return result;
}
