import { logger, withLogKeys } from '../aws/logger.js';
import { putMetrics } from '../aws/metrics.js';
import { SnsAlertPublisher } from '../aws/notices.js';
import { reportsFromSettings } from '../aws/reports.js';
import { readSettings } from '../core/settings.js';
import { quotaAlert, quotaMetrics, summarizePrune, type PruneReportInput, type PruneVerdict } from './prune-summary.js';

const settings = readSettings(['pruning']);
const alerts = new SnsAlertPublisher(settings.alertTopicArn);
const reports = reportsFromSettings(settings);

/** Last step of the prune workflow: audit, metrics, quota warning; the workflow fails on `failed`. */
export async function handler(event: PruneReportInput): Promise<PruneVerdict> {
  withLogKeys({ executionArn: event.executionArn });
  const verdict = summarizePrune(event, settings.pruning.quotaWarnPercent);
  if (reports) {
    await reports.put(event.planKey.replace(/-plan\.json$/, '-audit.json'), JSON.stringify({ ...event, verdict }, null, 2));
  }
  await putMetrics(settings.primaryRegion, quotaMetrics(verdict, new Date()));
  if (verdict.quotaWarnings.length) await alerts.publish(quotaAlert(verdict, { appName: settings.appName, ...settings.pruning }));
  for (const o of event.outcomes) logger.info('prune outcome', { region: o.region, snapshotId: o.snapshotId, outcome: o.outcome, detail: o.detail });
  logger[verdict.failed ? 'error' : 'info']('prune finished', { failed: verdict.failed, usage: verdict.usage, quotaWarnings: verdict.quotaWarnings });
  return verdict;
}
