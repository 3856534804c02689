import { AwsEndpointGateway } from '../shared/incident/aws-endpoint-gateway.js';
import { runCutover, type CutoverEvent, type CutoverResult } from '../shared/incident/cutover-step.js';
import { logger, withLogKeys } from '../shared/logger.js';
import { readSettings } from '../shared/settings.js';

const settings = readSettings();
const gateway = new AwsEndpointGateway(settings.primaryRegion);

/** Points the db's configured writer endpoint targets (Route 53 CNAME, SSM parameter) at `endpoint`. */
export async function handler(event: CutoverEvent): Promise<CutoverResult> {
  withLogKeys({ db: event.db, executionArn: event.executionArn });
  const result = await runCutover(event, settings, gateway, () => new Date(), (entry) => logger.warn('DESTRUCTIVE: endpoint cutover', entry));
  logger.info('cutover', { endpoint: event.endpoint, dryRun: event.dryRun === true, outcomes: result.outcomes, detail: result.step.detail });
  return result;
}
