import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SnsAlertPublisher } from '../aws/notices.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { METRIC_NAMESPACE } from '../core/metrics.js';
import { summarizePrune, type PruneReportInput, type PruneVerdict } from './prune-summary.js';

const settings = readSettings();
const s3 = new S3Client({ region: settings.drRegion, maxAttempts: 5 });
const cloudwatch = new CloudWatchClient({ region: settings.primaryRegion, maxAttempts: 5 });
const alerts = new SnsAlertPublisher(settings.alertTopicArn);

/** Last step of the prune workflow: audit, metrics, quota warning; the workflow fails on `failed`. */
export async function handler(event: PruneReportInput): Promise<PruneVerdict> {
  withLogKeys({ executionArn: event.executionArn });
  const verdict = summarizePrune(event, settings.pruning.quotaWarnPercent);
  if (settings.reportsBucket) {
    await s3.send(
      new PutObjectCommand({
        Bucket: settings.reportsBucket,
        Key: event.planKey.replace(/-plan\.json$/, '-audit.json'),
        ContentType: 'application/json',
        Body: JSON.stringify({ ...event, verdict }, null, 2),
      }),
    );
  }
  const now = new Date();
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: verdict.usage.flatMap((u) => [
        { MetricName: 'ManagedSnapshotCount', Dimensions: [{ Name: 'Region', Value: u.region }], Value: u.managedAfter, Unit: 'Count', Timestamp: now },
        { MetricName: 'SnapshotQuotaUsedPercent', Dimensions: [{ Name: 'Region', Value: u.region }], Value: u.usedPercent, Unit: 'Percent', Timestamp: now },
      ]),
    }),
  );
  if (verdict.quotaWarnings.length) {
    await alerts.publish({
      severity: 'critical',
      subject: `[${settings.appName}] RDS snapshot quota at ${Math.max(...verdict.usage.map((u) => u.usedPercent))}%`.slice(0, 99),
      message: [
        `${settings.appName}: manual snapshot usage reached ${settings.pruning.quotaWarnPercent}% of the quota (${settings.pruning.snapshotQuota}).`,
        'At the quota, new snapshots fail with SnapshotQuotaExceeded and backups stop.',
        ...verdict.quotaWarnings.map((w) => `- ${w}`),
        'Next: raise the quota in Service Quotas, or shorten retention, or remove hand-made snapshots.',
      ].join('\n'),
    });
  }
  for (const o of event.outcomes) logger.info('prune outcome', { region: o.region, snapshotId: o.snapshotId, outcome: o.outcome, detail: o.detail });
  logger[verdict.failed ? 'error' : 'info']('prune finished', { failed: verdict.failed, usage: verdict.usage, quotaWarnings: verdict.quotaWarnings });
  return verdict;
}
