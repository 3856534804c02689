import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { SnsAlertPublisher } from '../aws/notices.js';
import { RdsPitrGateway } from '../aws/pitr-gateway.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import type { PitrCheckOutput } from '../core/pitr-report.js';
import { readSettings } from '../core/settings.js';
import { checkPitrReadiness } from './check-pitr.js';
import { readPitrRequest, type PitrCheckEvent } from './check-pitr-input.js';
import { backupRoute } from './backup-route.js';

const deployed = readSettings(['incident']);
const route = backupRoute(deployed);
// The check reads "primary" as the region this deployment backs up in and "DR" as where it copies to:
// in the DR region's deployment, the promoted databases' own automated backups are what is checked.
// It never starts a replication there (incident.databases are keyed by the primary's identifiers).
const settings = { ...deployed, primaryRegion: route.sourceRegion, drRegion: route.copyRegion, ...(route.role === 'dr' && deployed.incident && { incident: { ...deployed.incident, databases: {} } }) };
const warnings = new SnsAlertPublisher(settings.warningTopicArn);
const gateway = new RdsPitrGateway({ primary: awsClients.rds(route.sourceRegion), dr: awsClients.rds(route.copyRegion, route.role === 'dr'), drKmsKeyId: route.copyKmsKeyId });
// The work bucket is in this deployment's region, beside its state machine.
const store = new S3RunDataStore(awsClients.s3(route.sourceRegion));

/**
 * Backup workflow, after discovery: PITR readiness of every database the run protects (warns; never
 * fails the backup). Input `{ policy, executionArn?, runData: { bucket, planKey, prefix } }` (or inline
 * `databases`); output bounded whatever the fleet (lambdas/core/pitr-report.ts).
 */
export async function handler(event: PitrCheckEvent): Promise<PitrCheckOutput> {
  withLogKeys({ executionArn: event.executionArn });
  const request = await readPitrRequest(event, store);
  const output = await checkPitrReadiness(request, { settings, gateway, warnings, store, log: logger });
  logger.info('PITR readiness checked', { policy: request.policy, checked: output.checked, shortfalls: output.shortfallCount, started: output.started.length, startsDeferred: output.startsDeferred, reportKey: output.reportKey });
  return output;
}
