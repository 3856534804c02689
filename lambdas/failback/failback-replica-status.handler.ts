import { AwsReplicaGateway } from '../aws/replica-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { checkReplica, type ReplicaStatusEvent, type ReplicaStatusResult } from './replica-status.js';

const settings = readSettings();
const gateway = new AwsReplicaGateway(settings.primaryRegion);

/** Is the failback's replica in sync / caught up / writable yet? Fails on a terminal status or after the wait budget. */
export async function handler(event: ReplicaStatusEvent): Promise<ReplicaStatusResult> {
  withLogKeys({ db: event.plan.db, executionArn: event.plan.executionArn });
  const result = await checkReplica(event, gateway, () => new Date());
  logger.info('failback replica status', { require: event.require, ready: result.ready, status: result.status, lagSeconds: result.lagSeconds, endpoint: result.endpoint });
  return result;
}
