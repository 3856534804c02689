import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { putMetrics } from '../aws/metrics.js';
import { SnsAlertPublisher } from '../aws/notices.js';
import { reportsFromSettings } from '../aws/reports.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import { readSettings } from '../core/settings.js';
import { readDeletionOutcomes } from './deletion-results.js';
import { summarizePrune, type PruneReportEvent, type PruneVerdict } from './prune-summary.js';
import { quotaAlert, quotaMetrics } from './quota-notices.js';
import { pruneRoute } from './prune-route.js';

const settings = readSettings(['pruning']);
const alerts = new SnsAlertPublisher(settings.alertTopicArn);
const reports = reportsFromSettings(settings);
// The work bucket and the metrics are in this deployment's own region (the DR one runs through a primary outage).
const { homeRegion } = pruneRoute(settings);

/** Last step of the prune workflow: every outcome into the audit, metrics, quota warning; the workflow fails on `failed`. */
export async function handler(event: PruneReportEvent): Promise<PruneVerdict> {
  withLogKeys({ executionArn: event.executionArn });
  const run = event.deletionRun;
  const outcomes = run && 'manifestKey' in run ? await readDeletionOutcomes(new S3RunDataStore(awsClients.s3(homeRegion)), event.runData.bucket, run.manifestKey) : [];
  const auditKey = reports ? event.planReportKey.replace(/-plan\.json$/, '-audit.json') : undefined;
  const verdict = summarizePrune({ ...event, outcomes, auditKey }, settings.pruning.quotaWarnPercent);
  if (reports && auditKey) await reports.put(auditKey, JSON.stringify({ ...event, verdict, outcomes }, null, 2));
  await putMetrics(homeRegion, quotaMetrics(verdict, new Date()));
  if (verdict.quotaWarnings.length) await alerts.publish(quotaAlert(verdict, { appName: settings.appName, ...settings.pruning }));
  logger[verdict.failed ? 'error' : 'info']('prune finished', { failed: verdict.failed, counts: verdict.counts, usage: verdict.usage, quotaWarnings: verdict.quotaWarnings, auditKey });
  return verdict;
}
