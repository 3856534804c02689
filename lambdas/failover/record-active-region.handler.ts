import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { RdsTagReader, RdsTagWriter } from '../aws/rds-tags.js';
import { SsmActiveRegionStore } from '../aws/ssm-active-region.js';
import { readSettings } from '../core/settings.js';
import { sourceDatabaseOf, tagValueOf } from '../core/snapshots.js';
import { TAG } from '../core/naming.js';
import { recordActiveRegion, type ActiveRegionStepResult } from './active-region-step.js';
import type { FailoverPlan } from './failover-plan.js';

const settings = readSettings(['policies']);
// The primary region may be the one in trouble: its tags are read through a client that gives up fast.
const primaryTags = new RdsTagReader(awsClients.rds(settings.primaryRegion, true));
const drTags = new RdsTagWriter(awsClients.rds(settings.drRegion));
const records = new SsmActiveRegionStore(settings.appName, settings.drRegion);
const drSnapshots = new RdsSnapshotCatalog(awsClients.rds(settings.drRegion));

/** The policies whose rds-dr copies of `db` are in the DR region (read there only). */
async function drCopyPolicies(db: string): Promise<string[]> {
  const copies = (await drSnapshots.list('rds-dr')).filter((s) => sourceDatabaseOf(s) === db);
  return [...new Set(copies.map((s) => tagValueOf(s.tags, TAG.policy)).filter((p) => p !== undefined))].sort();
}

export interface RecordActiveRegionEvent {
  plan: FailoverPlan;
}

/** Once the promoted standby is writable: tag it for the DR region's backup and record the database as active in the DR region. */
export async function handler(event: RecordActiveRegionEvent): Promise<ActiveRegionStepResult> {
  const { plan } = event;
  withLogKeys({ db: plan.db, executionArn: plan.executionArn });
  const result = await recordActiveRegion(
    plan,
    settings.policies,
    { primaryTags: (arn) => primaryTags.tagsOf(arn), drCopyPolicies, tagDatabase: (arn, tags) => drTags.addTags(arn, tags), readRecord: (db) => records.read(db), writeRecord: (db, record) => records.write(db, record) },
    () => new Date(),
  );
  logger.info('active region recorded', { parameter: result.parameter, promoted: plan.standby.id, tagged: result.tagged, outcome: result.step.outcome, detail: result.step.detail });
  return result;
}
