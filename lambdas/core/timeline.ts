// The incident timeline: every step of a failover or restore records when it started and ended and
// what it did; the report turns the steps into a timeline whose total is the measured RTO.
// Pure and SDK-free; shared by the failover and restore workflows.

/** What a step did. `would-do` is a dry run's stand-in for a change; `already-done` is an idempotent re-run. */
export type StepOutcome = 'done' | 'skipped' | 'would-do' | 'already-done' | 'failed';

export interface TimelineStep {
  /** Short step name, e.g. "plan", "checks", "promote", "wait-writable", "cutover", "report". */
  name: string;
  /** ISO-8601 instants. */
  startedAt: string;
  endedAt: string;
  outcome: StepOutcome;
  /** One human-readable line: what was (or would be) done, or why not. */
  detail: string;
}

/** What every incident step Lambda returns besides its own data; the ASL keeps it under `$.steps.<name>`. */
export interface StepResult {
  step: TimelineStep;
}

export function timelineStep(name: string, startedAt: Date, endedAt: Date, outcome: StepOutcome, detail: string): TimelineStep {
  return { name, startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), outcome, detail };
}

function isStep(v: unknown): v is TimelineStep {
  const s = v as Partial<TimelineStep> | null;
  return !!s && typeof s === 'object' && typeof s.name === 'string' && typeof s.startedAt === 'string' && typeof s.endedAt === 'string';
}

/**
 * The steps out of whatever the workflow carried: an array or an object of values that are either a
 * TimelineStep or a step Lambda's result ({step: TimelineStep, ...}). Anything else is ignored.
 * Sorted by start time (ties: end time), so the ASL's key order does not matter.
 */
/** The result of a step that may change something (promote, switch over): `performed` says whether this call did. */
export interface ChangeStepResult extends StepResult {
  performed: boolean;
}

/** Builds a change step's results, timed from `startedAt` to each call's `now()`. */
export function changeStep(name: string, startedAt: Date, now: () => Date) {
  return (outcome: StepOutcome, detail: string, performed = false): ChangeStepResult => ({ performed, step: timelineStep(name, startedAt, now(), outcome, detail) });
}

export function collectSteps(carried: unknown): TimelineStep[] {
  const values = Array.isArray(carried) ? carried : carried && typeof carried === 'object' ? Object.values(carried) : [];
  const steps = values.map((v) => (isStep(v) ? v : isStep((v as StepResult | null)?.step) ? (v as StepResult).step : undefined)).filter(isStep);
  return steps.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.endedAt.localeCompare(b.endedAt));
}

export interface IncidentTimelineInput {
  /** Which workflow: "failover", "restore", ... (also the S3 key segment). */
  workflow: string;
  db: string;
  executionArn: string;
  /** $$.Execution.StartTime: the clock of the measured RTO starts here. */
  executionStartTime: string;
  dryRun: boolean;
  /** Why the operator started it (execution input). */
  reason?: string;
  steps: TimelineStep[];
}

export interface IncidentTimeline extends IncidentTimelineInput {
  endedAt: string;
  /** From the execution start to the end of the last step: the measured RTO (for a dry run, of the rehearsal). */
  totalSeconds: number;
  /** Seconds per step, by step name (a repeated name adds up). */
  stepSeconds: Record<string, number>;
}

const seconds = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 10) / 100);

export function buildTimeline(input: IncidentTimelineInput, now: Date): IncidentTimeline {
  const steps = [...input.steps].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const lastEnd = steps.reduce((max, s) => (s.endedAt > max ? s.endedAt : max), '');
  const endedAt = lastEnd || now.toISOString();
  const stepSeconds: Record<string, number> = {};
  for (const s of steps) stepSeconds[s.name] = Math.round(((stepSeconds[s.name] ?? 0) + seconds(s.startedAt, s.endedAt)) * 100) / 100;
  return { ...input, steps, endedAt, totalSeconds: seconds(input.executionStartTime, endedAt), stepSeconds };
}

/** S3 key: incidents/<workflow>/<db>/<yyyy>/<mm>/<dd>/<execution name>.json (date of the execution start, UTC). */
export function timelineReportKey(t: Pick<IncidentTimeline, 'workflow' | 'db' | 'executionArn' | 'executionStartTime'>): string {
  const d = new Date(t.executionStartTime);
  const p = (n: number) => String(n).padStart(2, '0');
  const name = t.executionArn.split(':').pop() || 'execution';
  return `incidents/${t.workflow}/${t.db}/${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${name}.json`;
}

/** A readable notice (SNS email): subject ≤ 100 chars, one line per step. */
export function formatTimelineNotice(t: IncidentTimeline, reportLocation?: string): { subject: string; message: string } {
  const mode = t.dryRun ? 'DRY RUN ' : '';
  const subject = `rds-dr: ${mode}${t.workflow} of ${t.db} completed in ${Math.round(t.totalSeconds)} s`.slice(0, 100);
  const lines = [
    `rds-dr: ${mode}${t.workflow} of ${t.db} completed.`,
    '',
    `Why:        ${t.reason ?? '(no reason given)'}`,
    `Execution:  ${t.executionArn}`,
    `Started:    ${t.executionStartTime}`,
    `Ended:      ${t.endedAt}`,
    `Total:      ${t.totalSeconds} s${t.dryRun ? ' (dry run: nothing was changed)' : ' (measured RTO)'}`,
    '',
    'Timeline:',
    ...t.steps.map((s) => `- ${s.startedAt} ${s.name} (${seconds(s.startedAt, s.endedAt)} s, ${s.outcome}): ${s.detail}`),
  ];
  if (reportLocation) lines.push('', `Report: ${reportLocation}`);
  return { subject, message: lines.join('\n') };
}
