import type { FailoverPlan } from './failover-plan.js';
import { AwsStandbyGateway } from '../aws/standby-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { checkWritable, type WritableResult } from './writable.js';

const settings = readSettings();
const gateway = new AwsStandbyGateway(settings.primaryRegion);

export interface StandbyStatusEvent {
  plan: FailoverPlan;
  /** When the promotion was requested (ISO). */
  since: string;
}

/** Is the promoted standby available and writable? Fails on a terminal status or after the wait budget. */
export async function handler(event: StandbyStatusEvent): Promise<WritableResult> {
  withLogKeys({ db: event.plan.db, executionArn: event.plan.executionArn });
  const result = await checkWritable(event.plan, event.since, gateway, () => new Date());
  logger.info('standby status', { ready: result.ready, status: result.status, endpoint: result.endpoint });
  return result;
}
