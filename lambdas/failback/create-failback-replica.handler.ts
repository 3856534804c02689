import { AwsReplicaGateway } from '../aws/replica-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { createReplica, type CreateReplicaEvent, type CreateReplicaResult } from './create-replica.js';

const settings = readSettings();
const gateway = new AwsReplicaGateway(settings.primaryRegion);

/** Creates the failback's cross-region read replica (primary region) or the new DR standby; idempotent. */
export async function handler(event: CreateReplicaEvent): Promise<CreateReplicaResult> {
  withLogKeys({ db: event.plan.db, executionArn: event.plan.executionArn });
  const result = await createReplica(event, gateway, { destructive: (entry) => logger.warn('DESTRUCTIVE: failback', entry) }, () => new Date());
  logger.info('create replica', { role: event.role, replica: result.replica, created: result.created, outcome: result.step.outcome, detail: result.step.detail });
  return result;
}
