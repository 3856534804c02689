import { AwsEndpointGateway } from '../aws/endpoints.js';
import { runCutover, type CutoverEvent, type CutoverResult } from './cutover-step.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';

const settings = readSettings(['incident']);
const gateway = new AwsEndpointGateway(settings.primaryRegion);

/** Points the db's configured writer endpoint targets (Route 53 CNAME, SSM parameter) at `endpoint`. */
export async function handler(event: CutoverEvent): Promise<CutoverResult> {
  withLogKeys({ db: event.db, executionArn: event.executionArn });
  const result = await runCutover(event, settings, gateway, () => new Date(), (entry) => logger.warn('DESTRUCTIVE: endpoint cutover', entry));
  logger.info('cutover', { endpoint: event.endpoint, dryRun: event.dryRun === true, outcomes: result.outcomes, detail: result.step.detail });
  return result;
}
