import { AwsStandbyGateway } from '../aws/standby-gateway.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { checkGlobalWriter, type GlobalWriterEvent, type GlobalWriterResult } from './global-switchover.js';

const settings = readSettings();
const gateway = new AwsStandbyGateway(settings.primaryRegion);

/** Is the original primary-region cluster the available writer of its global cluster yet? Fails on a terminal status or after the wait budget. */
export async function handler(event: GlobalWriterEvent): Promise<GlobalWriterResult> {
  withLogKeys({ db: event.plan.db, executionArn: event.plan.executionArn });
  const result = await checkGlobalWriter(event, gateway, () => new Date());
  logger.info('global writer status', { globalCluster: event.plan.globalCluster, ready: result.ready, status: result.status, endpoint: result.endpoint });
  return result;
}
