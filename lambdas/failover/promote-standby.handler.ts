import type { FailoverDecision } from './failover-decision.js';
import type { FailoverPlan } from './failover-plan.js';
import { AwsStandbyGateway } from '../aws/standby-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { promoteStandby, type PromoteResult } from './promote.js';

const settings = readSettings();
const gateway = new AwsStandbyGateway(settings.primaryRegion);

export interface PromoteStandbyEvent {
  plan: FailoverPlan;
  decision: FailoverDecision;
}

/** Promotes the standby (read replica promotion, or Aurora global switchover / forced failover); idempotent. */
export async function handler(event: PromoteStandbyEvent): Promise<PromoteResult> {
  const { plan, decision } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const result = await promoteStandby(plan, decision, gateway, { destructive: (entry) => logger.warn('DESTRUCTIVE: failover', entry) }, () => new Date());
  logger.info('promote', { action: result.action, performed: result.performed, outcome: result.step.outcome, detail: result.step.detail });
  return result;
}
