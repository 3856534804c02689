import { AwsReplicaGateway } from '../aws/replica-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { checkDrStandby, type DrStandbyStatusEvent, type DrStandbyStatusResult } from './dr-standby-status.js';
import { checkReplica, type ReplicaStatusEvent, type ReplicaStatusResult } from './replica-status.js';

const settings = readSettings();
const gateway = new AwsReplicaGateway(settings.primaryRegion);

export type FailbackStatusEvent = ReplicaStatusEvent | (DrStandbyStatusEvent & { require: 'dr-standby-available' });

/**
 * Is the failback's replica in sync / caught up / writable yet (fails on a terminal status or after the
 * wait budget)? Or is the new DR standby available (settles as not available instead of failing)?
 */
export async function handler(event: FailbackStatusEvent): Promise<ReplicaStatusResult | DrStandbyStatusResult> {
  withLogKeys({ db: event.plan.db, executionArn: event.plan.executionArn });
  if (event.require === 'dr-standby-available') {
    const standby = await checkDrStandby(event, gateway, () => new Date());
    logger.info('failback DR standby status', { standby: event.plan.drStandby.id, ready: standby.ready, available: standby.available, status: standby.status, outcome: standby.step.outcome });
    return standby;
  }
  const result = await checkReplica(event, gateway, () => new Date());
  logger.info('failback replica status', { require: event.require, ready: result.ready, status: result.status, lagSeconds: result.lagSeconds, endpoint: result.endpoint });
  return result;
}
