// What a prune run publishes about the manual snapshot quota: metrics per region, and a page near it.
import type { Alert } from '../core/alert.js';
import type { Metric } from '../core/metrics.js';
import type { PruneVerdict } from './prune-summary.js';

/** The page sent when a region's manual snapshots near the quota (backups stop at it). */
export function quotaAlert(verdict: PruneVerdict, ctx: { appName: string; quotaWarnPercent: number; snapshotQuota: number }): Alert {
  return {
    severity: 'critical',
    subject: `[${ctx.appName}] RDS snapshot quota at ${Math.max(...verdict.usage.map((u) => u.usedPercent))}%`.slice(0, 99),
    message: [
      `${ctx.appName}: manual snapshot usage reached ${ctx.quotaWarnPercent}% of the quota (${ctx.snapshotQuota}).`,
      'At the quota, new snapshots fail with SnapshotQuotaExceeded and backups stop.',
      ...verdict.quotaWarnings.map((w) => `- ${w}`),
      'Next: raise the quota in Service Quotas, or shorten retention, or remove hand-made snapshots.',
    ].join('\n'),
  };
}

/** ManagedSnapshotCount and SnapshotQuotaUsedPercent per region, after the run. */
export function quotaMetrics(verdict: PruneVerdict, now: Date): Metric[] {
  return verdict.usage.flatMap((u) => [
    { name: 'ManagedSnapshotCount', dimensions: { Region: u.region }, value: u.managedAfter, unit: 'Count' as const, timestamp: now },
    { name: 'SnapshotQuotaUsedPercent', dimensions: { Region: u.region }, value: u.usedPercent, unit: 'Percent' as const, timestamp: now },
  ]);
}
