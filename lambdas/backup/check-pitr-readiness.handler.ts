import { SnsAlertPublisher } from '../aws/notices.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { readSettings } from '../core/settings.js';
import { checkPitrReadiness, type PitrCheckInput } from './check-pitr.js';
import { RdsPitrGateway } from '../aws/pitr-gateway.js';
import type { PitrSummary } from '../core/pitr-readiness.js';

const settings = readSettings(['incident']);
const warnings = new SnsAlertPublisher(settings.warningTopicArn);
const gateway = new RdsPitrGateway(awsClients.rds(settings.primaryRegion), awsClients.rds(settings.drRegion), settings.drRegion, settings.drKmsKeyId);

/** Backup workflow, after discovery: PITR readiness of every database the run protects (warns; never fails the backup). */
export async function handler(event: PitrCheckInput & { executionArn?: string }): Promise<PitrSummary & { warningId?: string }> {
  withLogKeys({ executionArn: event.executionArn });
  const databases = event.databases.map(({ id, arn, kind }) => ({ id, arn, kind }));
  const summary = await checkPitrReadiness({ policy: event.policy, databases }, { settings, gateway, warnings, log: logger });
  logger.info('PITR readiness checked', { policy: event.policy, checked: summary.checked, shortfalls: summary.shortfalls.length, started: summary.started });
  return summary;
}
