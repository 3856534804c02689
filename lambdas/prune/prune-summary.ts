// The verdict of a prune run: counts, the first failures and a readable message, small whatever the
// number of deletions (the audit in S3 has every outcome).
import type { RunDataRef } from '../core/run-data.js';

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

/**
 * What the deletions' Distributed Map left in the state: the manifest its ResultWriter wrote, or the
 * error it failed with (caught, so the run is still audited); null when it did not run.
 */
export type DeletionRun = { manifestKey: string } | { Error: string; Cause?: string } | null;

/** ReportPrune's input: the plan's summary (PrunePlanOutput) and the deletions' Map run. */
export interface PruneReportEvent {
  executionArn: string;
  planReportKey: string;
  dryRun: boolean;
  guardTripped: boolean;
  /** The first few guard problems; guardProblemCount counts them all (the plan report lists every one). */
  guardProblems: string[];
  guardProblemCount: number;
  quota: Record<string, RegionQuota>;
  /** How many the plan deletes (the Map deletes them only in a real, unguarded run). */
  plannedDeletions: number;
  runData: RunDataRef;
  deletionRun: DeletionRun;
}

/** The facts a verdict is made of: the event, every deletion's outcome, and where the audit is. */
export interface PruneFacts extends PruneReportEvent {
  outcomes: DeletionOutcome[];
  auditKey?: string;
}

export interface RegionUsage {
  region: string;
  managedAfter: number;
  manualAfter: number;
  usedPercent: number;
  daysUntilFull?: number;
}

export interface DeletionCounts {
  planned: number;
  deleted: number;
  alreadyGone: number;
  refused: number;
  failed: number;
  /** Planned deletions the Map's results say nothing about (the Map failed, or a batch's input was lost). */
  withoutOutcome: number;
}

/** ReportPrune's output: small whatever the number of deletions (the audit in S3 has every outcome). */
export interface PruneVerdict {
  failed: boolean;
  /** Readable summary, at most MAX_MESSAGE_BYTES: the Fail state's cause and the alert's text. */
  message: string;
  counts: DeletionCounts;
  /** The first LISTED_OUTCOMES failed deletions. */
  failures: DeletionOutcome[];
  auditKey?: string;
  usage: RegionUsage[];
  quotaWarnings: string[];
}

/** Failures (and refusals) a verdict names one by one; the audit has the rest. */
export const LISTED_OUTCOMES = 20;
/** The verdict's message, well under Step Functions' 32,768-character cause and easy to read in an alert. */
export const MAX_MESSAGE_BYTES = 7_000;
/** What a listed outcome shows of its detail: 30 listed lines stay under 6 KB. */
const DETAIL_CHARS = 120;

function countOutcomes(facts: PruneFacts): DeletionCounts {
  const count = (outcome: DeletionOutcome['outcome']) => facts.outcomes.filter((o) => o.outcome === outcome).length;
  const mapRan = !facts.dryRun && !facts.guardTripped;
  return {
    planned: facts.plannedDeletions,
    deleted: count('deleted'),
    alreadyGone: count('already gone'),
    refused: count('refused'),
    failed: count('failed'),
    withoutOutcome: mapRan ? Math.max(0, facts.plannedDeletions - facts.outcomes.length) : 0,
  };
}

/** Snapshots actually removed in a region (a dry run or a tripped guard removes none). */
function removed(outcomes: DeletionOutcome[], region: string): number {
  return outcomes.filter((o) => o.region === region && (o.outcome === 'deleted' || o.outcome === 'already gone')).length;
}

/** The first few outcomes as lines, and how many more the audit has. */
function listed(outcomes: DeletionOutcome[], label: string, limit: number): string[] {
  const lines = outcomes.slice(0, limit).map((o) => `- ${label} ${o.region} ${o.snapshotId}: ${o.detail.slice(0, DETAIL_CHARS)}`);
  if (outcomes.length > limit) lines.push(`- … and ${outcomes.length - limit} more ${label === 'FAILED' ? 'failed' : 'refused'} (see the audit)`);
  return lines;
}

/** At most `max` bytes of UTF-8, cut at a line where possible. */
function clip(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const note = '\n… (cut short; the audit has everything)';
  let cut = Buffer.from(text).subarray(0, max - Buffer.byteLength(note)).toString('utf8').replace(/\uFFFD$/, '');
  const lastLine = cut.lastIndexOf('\n');
  if (lastLine > max / 2) cut = cut.slice(0, lastLine);
  return cut + note;
}

export function summarizePrune(facts: PruneFacts, warnPercent: number): PruneVerdict {
  const usage = Object.entries(facts.quota).map(([region, q]) => {
    const gone = removed(facts.outcomes, region);
    const manualAfter = q.manual - gone;
    return { region, managedAfter: q.managed - gone, manualAfter, usedPercent: Math.round((manualAfter / q.quota) * 1000) / 10, daysUntilFull: q.daysUntilFull };
  });
  const quotaWarnings = usage
    .filter((u) => u.usedPercent >= warnPercent)
    .map((u) => `${u.region}: ${u.manualAfter} manual snapshots = ${u.usedPercent}% of the quota${u.daysUntilFull !== undefined ? `; full in about ${u.daysUntilFull} day(s) at the current rate` : ''}`);
  const counts = countOutcomes(facts);
  const failures = facts.outcomes.filter((o) => o.outcome === 'failed');
  const refused = facts.outcomes.filter((o) => o.outcome === 'refused');
  const mapError = facts.deletionRun && 'Error' in facts.deletionRun ? facts.deletionRun : undefined;
  const lines: string[] = [];
  if (facts.guardTripped) {
    lines.push('Prune STOPPED without deleting anything: the plan looks like a clock or config error.', ...facts.guardProblems.map((p) => `- ${p}`));
    const unlisted = facts.guardProblemCount - facts.guardProblems.length;
    if (unlisted > 0) lines.push(`- … and ${unlisted} more problem(s) (see the plan report)`);
  } else if (facts.dryRun) {
    lines.push(`Prune dry run: would delete ${facts.plannedDeletions} snapshot(s); nothing was deleted.`);
  } else {
    const gone = counts.alreadyGone ? ` (${counts.alreadyGone} of them already gone)` : '';
    lines.push(`Prune deleted ${counts.deleted + counts.alreadyGone} of ${counts.planned} planned snapshot(s)${gone}; ${counts.refused} refused at the last check, ${counts.failed} failed.`);
  }
  if (mapError) lines.push(`- The deletions' Map failed with ${mapError.Error}: ${(mapError.Cause ?? '').slice(0, 500)}`);
  if (counts.withoutOutcome) lines.push(`- ${counts.withoutOutcome} planned deletion(s) have no outcome: check them by hand (results under s3://${facts.runData.bucket}/${facts.runData.resultsPrefix})`);
  lines.push(...usage.map((u) => `- ${u.region}: ${u.managedAfter} rds-dr snapshots, ${u.usedPercent}% of the manual snapshot quota`));
  lines.push(`Full plan: ${facts.planReportKey}`);
  if (facts.auditKey) lines.push(`Audit: ${facts.auditKey}`);
  // Last, so that a cut (clip) only ever shortens the lists.
  lines.push(...listed(failures, 'FAILED', LISTED_OUTCOMES), ...listed(refused, 'refused at the last check', LISTED_OUTCOMES / 2));
  return {
    failed: facts.guardTripped || counts.failed > 0 || counts.withoutOutcome > 0 || mapError !== undefined,
    message: clip(lines.join('\n'), MAX_MESSAGE_BYTES),
    counts,
    failures: failures.slice(0, LISTED_OUTCOMES).map((f) => ({ ...f, detail: f.detail.slice(0, DETAIL_CHARS) })),
    auditKey: facts.auditKey,
    usage,
    quotaWarnings,
  };
}
