// The prune's first state, as a function of the inventory: plan, guard, quota forecast, and the
// compact output the state machine carries (the full plan goes to S3).
import { forecastQuota } from '../core/retention/quota-forecast.js';
import type { RetentionDecision } from '../core/retention/plan-retention.js';
import type { SettingsWith } from '../core/settings.js';
import { checkDeletionGuard } from './plan-guard.js';
import type { PruneRequest } from './prune-request.js';

const DAY_MS = 86_400_000;

export interface PlannedDeletion {
  region: string;
  kind: 'instance' | 'cluster';
  snapshotId: string;
}

export interface RegionQuotaPlan {
  manual: number;
  managed: number;
  plannedDeletions: number;
  quota: number;
  daysUntilFull?: number;
}

export interface PrunePlanOutput {
  dryRun: boolean;
  guardTripped: boolean;
  guardProblems: string[];
  planKey: string;
  /** What the Map deletes: empty in a dry run or when the guard tripped (the full plan is in S3). */
  deletions: PlannedDeletion[];
  plannedDeletions: number;
  outcomes: never[];
  quota: Record<string, RegionQuotaPlan>;
  limits: { maxConcurrency: number };
}

/** reports/prune/<yyyy>/<mm>/<dd>/<execution name>-plan.json */
export function planKeyOf(executionArn: string, executionStartTime: string): string {
  return `reports/prune/${executionStartTime.slice(0, 10).replace(/-/g, '/')}/${executionArn.split(':').pop()}-plan.json`;
}

/**
 * Each region's manual-snapshot count against the quota, and when it fills up: the count after this
 * run, growing by what the last week created per day less what a daily run like this one removes.
 */
export function regionQuota(decisions: RetentionDecision[], region: string, quota: number, dryRun: boolean, now: Date): RegionQuotaPlan {
  const here = decisions.filter((d) => d.snapshot.region === region);
  const plannedDeletions = here.filter((d) => d.action === 'delete').length;
  const removed = dryRun ? 0 : plannedDeletions;
  const createdPerDay = here.filter((d) => now.getTime() - Date.parse(d.snapshot.createdAt) <= 7 * DAY_MS).length / 7;
  const after = here.length - removed;
  const growthPerDay = createdPerDay - removed;
  // Two samples a day apart carry that rate; forecastQuota projects from the newest.
  const forecast = forecastQuota(
    [
      { at: new Date(now.getTime() - DAY_MS).toISOString(), count: after - growthPerDay },
      { at: now.toISOString(), count: after },
    ],
    quota,
    now,
  );
  return {
    manual: here.length,
    managed: here.filter((d) => d.snapshot.managed).length,
    plannedDeletions,
    quota,
    daysUntilFull: growthPerDay > 0 ? forecast.daysUntilFull : undefined,
  };
}

/** The state's output and the full plan document for S3. */
export function buildPrunePlan(args: {
  decisions: RetentionDecision[];
  request: PruneRequest;
  settings: Pick<SettingsWith<'pruning'>, 'primaryRegion' | 'drRegion' | 'pruning'>;
  executionArn: string;
  executionStartTime: string;
  now: Date;
}): { output: PrunePlanOutput; document: string } {
  const { decisions, request, settings, now } = args;
  const { pruning } = settings;
  const planKey = planKeyOf(args.executionArn, args.executionStartTime);
  const guardProblems = checkDeletionGuard(decisions, { maxShareOfDatabase: pruning.maxDeleteShare, maxTotal: pruning.maxDeletesPerRun });
  const deletions: PlannedDeletion[] = decisions
    .filter((d) => d.action === 'delete')
    // Compact items (at most ~150 bytes, so 1,500 fit in a 256 KB payload); every decision's reasons are in the plan in S3.
    .map((d) => ({ region: d.snapshot.region, kind: d.snapshot.kind, snapshotId: d.snapshot.id }));
  const quota = Object.fromEntries(
    [settings.primaryRegion, settings.drRegion].map((region) => [region, regionQuota(decisions, region, pruning.snapshotQuota, request.dryRun, now)]),
  );
  const document = JSON.stringify({
    executionArn: args.executionArn,
    dryRun: request.dryRun,
    guardProblems,
    decisions: decisions.map((d) => ({ ...d.snapshot, action: d.action, reasons: d.reasons })),
  });
  return {
    output: {
      dryRun: request.dryRun,
      guardTripped: guardProblems.length > 0,
      guardProblems,
      planKey,
      // Only what the Map must delete crosses the state machine; the full plan (every snapshot, decision
      // and reason) is in S3. A dry run or a tripped guard deletes nothing, so it carries nothing.
      deletions: request.dryRun || guardProblems.length > 0 ? [] : deletions,
      plannedDeletions: deletions.length,
      outcomes: [],
      quota,
      limits: { maxConcurrency: pruning.maxConcurrency },
    },
    document,
  };
}
