// The prune's first state, as a function of the inventory: plan, guard, quota forecast, the deletion
// pace, and the compact output the state machine carries. The full plan goes to the reports bucket,
// the deletions to the work bucket, where the deletions' Distributed Map reads them.
import { deletionPace, type DeletionPace } from '../core/deletion-pace.js';
import { forecastQuota } from '../core/retention/quota-forecast.js';
import type { RetentionDecision } from '../core/retention/plan-retention.js';
import { runDataRef, type RunDataRef } from '../core/run-data.js';
import type { SettingsWith } from '../core/settings.js';
import { checkDeletionGuard } from './plan-guard.js';
import type { PruneRequest } from './prune-request.js';

const DAY_MS = 86_400_000;

/** One item of the deletions' Distributed Map (a JSON array in the work bucket, at the run's planKey). */
export interface PlannedDeletion {
  region: string;
  kind: 'instance' | 'cluster';
  snapshotId: string;
  /** Why the plan deletes it (logged with the deletion). */
  reason: string;
}

export interface RegionQuotaPlan {
  manual: number;
  managed: number;
  plannedDeletions: number;
  quota: number;
  daysUntilFull?: number;
}

/** A deletion's reason as its batch carries it (100 to a batch stay far below 256 KiB); the plan report has them whole. */
const MAX_REASON_CHARS = 300;

/** Guard problems the state carries; the plan report in S3 lists every one. */
export const LISTED_GUARD_PROBLEMS = 20;

/**
 * The state after PlanPrune: a summary and where the run's data is, never the deletions themselves
 * (they grow with the fleet; Step Functions allows 256 KiB of state).
 */
export interface PrunePlanOutput {
  dryRun: boolean;
  guardTripped: boolean;
  /** The first LISTED_GUARD_PROBLEMS problems, worst first. */
  guardProblems: string[];
  guardProblemCount: number;
  /** Reports bucket: every snapshot with its decision and reasons. */
  planReportKey: string;
  plannedDeletions: number;
  quota: Record<string, RegionQuotaPlan>;
  /** The Distributed Map's MaxConcurrency, batch size and the pace within a batch. */
  limits: DeletionPace;
  /** Work bucket: the deletions the Map carries out (planKey; empty in a dry run or when the guard tripped) and its results. */
  runData: RunDataRef;
  /** Set by the deletions' Map (its results' manifest, or its error); null until then or when it does not run. */
  deletionRun: null;
}

/** reports/prune/<yyyy>/<mm>/<dd>/<execution name>-plan.json */
export function planReportKeyOf(executionArn: string, executionStartTime: string): string {
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

/** The state's output, the full plan document for the reports bucket and the deletions for the work bucket. */
export function buildPrunePlan(args: {
  decisions: RetentionDecision[];
  request: PruneRequest;
  settings: Pick<SettingsWith<'pruning'>, 'primaryRegion' | 'drRegion' | 'pruning'>;
  /** The regions this deployment inventoried (prune-route.ts); default: both. */
  regions?: string[];
  workBucket: string;
  executionArn: string;
  executionStartTime: string;
  now: Date;
}): { output: PrunePlanOutput; document: string; deletions: PlannedDeletion[] } {
  const { decisions, request, settings, now } = args;
  const { pruning } = settings;
  const guardProblems = checkDeletionGuard(decisions, { maxShareOfDatabase: pruning.maxDeleteShare, maxTotal: pruning.maxDeletesPerRun });
  const planned: PlannedDeletion[] = decisions
    .filter((d) => d.action === 'delete')
    .map((d) => ({ region: d.snapshot.region, kind: d.snapshot.kind, snapshotId: d.snapshot.id, reason: d.reasons.join('; ').slice(0, MAX_REASON_CHARS) }));
  const quota = Object.fromEntries(
    (args.regions ?? [settings.primaryRegion, settings.drRegion]).map((region) => [region, regionQuota(decisions, region, pruning.snapshotQuota, request.dryRun, now)]),
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
      guardProblems: guardProblems.slice(0, LISTED_GUARD_PROBLEMS),
      guardProblemCount: guardProblems.length,
      planReportKey: planReportKeyOf(args.executionArn, args.executionStartTime),
      plannedDeletions: planned.length,
      quota,
      limits: deletionPace(pruning.rdsRequestsPerSecond, pruning.maxConcurrency),
      runData: runDataRef(args.workBucket, 'prune', args.executionArn, new Date(args.executionStartTime)),
      deletionRun: null,
    },
    document,
    // A dry run or a tripped guard deletes nothing: the Map's item source says so too.
    deletions: request.dryRun || guardProblems.length > 0 ? [] : planned,
  };
}
