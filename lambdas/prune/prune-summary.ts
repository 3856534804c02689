// The verdict of a prune run, its audit record, and the quota numbers it publishes.
import type { Alert } from '../core/alert.js';
import type { Metric } from '../core/metrics.js';

export interface DeletionOutcome {
  region: string;
  snapshotId: string;
  outcome: 'deleted' | 'already gone' | 'refused' | 'failed';
  detail: string;
}

export interface RegionQuota {
  manual: number;
  managed: number;
  plannedDeletions: number;
  quota: number;
  /** Days until the quota is full at the current growth rate, when it is growing. */
  daysUntilFull?: number;
}

export interface PruneReportInput {
  planKey: string;
  dryRun: boolean;
  guardTripped: boolean;
  guardProblems: string[];
  quota: Record<string, RegionQuota>;
  deletions: { region: string; snapshotId: string }[];
  /** How many the plan deletes (the Map carries them only in a real, unguarded run). */
  plannedDeletions: number;
  outcomes: DeletionOutcome[];
  executionArn: string;
}

export interface RegionUsage {
  region: string;
  managedAfter: number;
  manualAfter: number;
  usedPercent: number;
  daysUntilFull?: number;
}

export interface PruneVerdict {
  failed: boolean;
  message: string;
  usage: RegionUsage[];
  quotaWarnings: string[];
}

/** Snapshots actually removed in a region (a dry run or a tripped guard removes none). */
function removed(input: PruneReportInput, region: string): number {
  return input.outcomes.filter((o) => o.region === region && (o.outcome === 'deleted' || o.outcome === 'already gone')).length;
}

export function summarizePrune(input: PruneReportInput, warnPercent: number): PruneVerdict {
  const usage = Object.entries(input.quota).map(([region, q]) => {
    const gone = removed(input, region);
    const manualAfter = q.manual - gone;
    return { region, managedAfter: q.managed - gone, manualAfter, usedPercent: Math.round((manualAfter / q.quota) * 1000) / 10, daysUntilFull: q.daysUntilFull };
  });
  const quotaWarnings = usage
    .filter((u) => u.usedPercent >= warnPercent)
    .map((u) => `${u.region}: ${u.manualAfter} manual snapshots = ${u.usedPercent}% of the quota${u.daysUntilFull !== undefined ? `; full in about ${u.daysUntilFull} day(s) at the current rate` : ''}`);
  const failures = input.outcomes.filter((o) => o.outcome === 'failed');
  const refused = input.outcomes.filter((o) => o.outcome === 'refused');
  const lines: string[] = [];
  if (input.guardTripped) {
    lines.push('Prune STOPPED without deleting anything: the plan looks like a clock or config error.', ...input.guardProblems.map((p) => `- ${p}`));
  } else if (input.dryRun) {
    lines.push(`Prune dry run: would delete ${input.plannedDeletions} snapshot(s); nothing was deleted.`);
  } else {
    lines.push(`Prune deleted ${input.outcomes.length - failures.length - refused.length} of ${input.deletions.length} planned snapshot(s).`);
  }
  lines.push(...failures.map((f) => `- FAILED ${f.region} ${f.snapshotId}: ${f.detail}`));
  lines.push(...refused.map((r) => `- refused at the last check ${r.region} ${r.snapshotId}: ${r.detail}`));
  lines.push(...usage.map((u) => `- ${u.region}: ${u.managedAfter} rds-dr snapshots, ${u.usedPercent}% of the manual snapshot quota`));
  lines.push(`Full plan: ${input.planKey}`);
  return { failed: input.guardTripped || failures.length > 0, message: lines.join('\n'), usage, quotaWarnings };
}

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
