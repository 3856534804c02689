import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import { readSettings } from '../core/settings.js';
import { runDataRef } from '../core/run-data.js';
import { parseRunRequest, planBackup } from './backup-plan.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { selectDatabases } from '../core/selection.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';
import { startBackupRun, type BackupRun } from './backup-run.js';

const settings = readSettings(['policies']);
const store = new S3RunDataStore(awsClients.s3(settings.primaryRegion));

export type DiscoverEvent = WorkflowStartEvent;

/** First state of the backup workflow: validate the input, list what the policy protects, write the plan to S3. */
export async function handler(event: DiscoverEvent): Promise<BackupRun> {
  withLogKeys({ executionArn: event.executionArn });
  const request = parseRunRequest(event.input, settings, event.executionStartTime);
  const reader = new RdsFleetReader(awsClients.rds(settings.primaryRegion));
  const [instances, clusters] = await Promise.all([reader.listInstances(), reader.listClusters()]);
  const plan = planBackup(request, selectDatabases({ instances, clusters }, request.policy), event.executionArn, settings.backupRdsWritesPerSecond);
  const runData = runDataRef(settings.workBucket ?? '', 'backup', event.executionArn, new Date(event.executionStartTime));
  const run = await startBackupRun(plan, runData, store);
  logger.info('backup planned', { policy: plan.policy, slot: plan.slot, counts: run.counts, missing: plan.missing, plan: runData.planKey });
  return run;
}
