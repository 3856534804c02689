import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { readSettings } from '../core/settings.js';
import { parseRunRequest, planBackup, type BackupPlan } from './backup-plan.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { selectDatabases } from '../core/selection.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';

const settings = readSettings(['policies']);

export type DiscoverEvent = WorkflowStartEvent;

/** First state of the backup workflow: validate the input, then list what the policy protects. */
export async function handler(event: DiscoverEvent): Promise<BackupPlan> {
  withLogKeys({ executionArn: event.executionArn });
  const request = parseRunRequest(event.input, settings, event.executionStartTime);
  const reader = new RdsFleetReader(awsClients.rds(settings.primaryRegion));
  const [instances, clusters] = await Promise.all([reader.listInstances(), reader.listClusters()]);
  const plan = planBackup(request, selectDatabases({ instances, clusters }, request.policy), event.executionArn);
  logger.info('backup planned', {
    policy: plan.policy,
    slot: plan.slot,
    databases: plan.databases.map((d) => ({ db: d.id, kind: d.kind, snapshotId: d.snapshotId })),
    missing: plan.missing,
  });
  return plan;
}
