import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import { SsmActiveRegionStore } from '../aws/ssm-active-region.js';
import { readSettings } from '../core/settings.js';
import { runDataRef } from '../core/run-data.js';
import { parseRunRequest, planBackup } from './backup-plan.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { selectActiveInDr, selectActiveInPrimary } from '../core/active-selection.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';
import { startBackupRun, type BackupRun } from './backup-run.js';
import { backupRoute } from './backup-route.js';
import { readActiveRegions } from './active-regions.js';

const settings = readSettings(['policies']);
const route = backupRoute(settings);
// The work bucket is in this deployment's region, beside its state machine.
const store = new S3RunDataStore(awsClients.s3(route.sourceRegion));
// The primary deployment reads the records across regions from the DR region, the one that may be in trouble: a client that gives up fast.
const records = new SsmActiveRegionStore(settings.appName, route.recordsRegion, route.role === 'primary');

export type DiscoverEvent = WorkflowStartEvent;

/** First state of the backup workflow: validate the input, list what the policy protects in this region, write the plan to S3. */
export async function handler(event: DiscoverEvent): Promise<BackupRun> {
  withLogKeys({ executionArn: event.executionArn });
  const request = parseRunRequest(event.input, settings, event.executionStartTime);
  const reader = new RdsFleetReader(awsClients.rds(route.sourceRegion));
  const [instances, clusters, active] = await Promise.all([reader.listInstances(), reader.listClusters(), readActiveRegions(records, route.role, { warn: (message, extra) => logger.warn(message, { ...extra }) })]);
  const selection =
    route.role === 'dr'
      ? selectActiveInDr({ instances, clusters }, request.policy, active, route.sourceRegion)
      : selectActiveInPrimary({ instances, clusters }, request.policy, active, settings.primaryRegion);
  const plan = planBackup(request, selection, event.executionArn, settings.backupRdsWritesPerSecond);
  const runData = runDataRef(settings.workBucket ?? '', 'backup', event.executionArn, new Date(event.executionStartTime));
  const run = await startBackupRun(plan, runData, store);
  logger.info('backup planned', { policy: plan.policy, slot: plan.slot, role: route.role, region: route.sourceRegion, copyRegion: route.copyRegion, counts: run.counts, missing: plan.missing, activeElsewhere: selection.activeElsewhere.slice(0, 50), plan: runData.planKey });
  return run;
}
