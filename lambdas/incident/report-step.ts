// The report step (lambdas/incident-report) as a function of its input, settings and sinks.
import { InvalidInputError } from '../core/errors.js';
import { buildTimeline, collectSteps, formatTimelineNotice, timelineReportKey, timelineStep, type IncidentTimeline, type StepResult } from '../core/timeline.js';

/**
 * Input of lambdas/incident-report (stable interface, also used by the restore workflow).
 * `steps` is whatever the workflow carried: an object or array whose values are TimelineSteps or
 * step results ({step: TimelineStep, ...}); see timeline.ts collectSteps.
 */
export interface IncidentReportEvent {
  workflow: string;
  db: string;
  executionArn: string;
  executionStartTime: string;
  dryRun?: boolean;
  reason?: string;
  steps: unknown;
  /** Extra facts to keep in the JSON report (e.g. the failover plan). */
  details?: unknown;
  /**
   * Set when reporting a failed run (a Catch's error output {Error, Cause}): the timeline ends with a
   * "failed" step and no notice is published (the execution-failure alert covers it).
   */
  failure?: { Error?: string; Cause?: string };
}

export interface IncidentReportSinks {
  /** Writes the JSON report; returns its location (s3://bucket/key). */
  store(key: string, body: string): Promise<string>;
  /** Publishes the readable notice. */
  notify(subject: string, message: string): Promise<void>;
}

export interface IncidentReportResult extends StepResult {
  reportLocation: string;
  totalSeconds: number;
  notice: { published: boolean; error?: string };
}

export async function runIncidentReport(event: IncidentReportEvent, sinks: IncidentReportSinks, now: () => Date): Promise<IncidentReportResult> {
  const startedAt = now();
  for (const field of ['workflow', 'db', 'executionArn', 'executionStartTime'] as const) {
    if (typeof event?.[field] !== 'string' || !event[field]) throw new InvalidInputError(`report.${field}: required string`);
  }
  if (!/^[a-z][a-z0-9-]*$/.test(event.workflow)) throw new InvalidInputError(`report.workflow: "${event.workflow}" must be lowercase letters, digits, hyphens`);
  const steps = collectSteps(event.steps);
  const failure = event.failure ? { error: event.failure.Error ?? 'unknown', cause: causeMessage(event.failure.Cause) } : undefined;
  if (failure) steps.push(timelineStep('failed', startedAt, startedAt, 'failed', `${failure.error}: ${failure.cause}`));
  const base = {
    workflow: event.workflow,
    db: event.db,
    executionArn: event.executionArn,
    executionStartTime: event.executionStartTime,
    dryRun: event.dryRun === true,
    reason: event.reason,
  };
  // The report's own step ends when the report is written; it is part of the measured total.
  const provisional = buildTimeline({ ...base, steps: [...steps, timelineStep('report', startedAt, now(), event.dryRun ? 'would-do' : 'done', 'timeline report and notice')] }, now());
  const key = timelineReportKey(provisional);
  const timeline: IncidentTimeline & { outcome: 'succeeded' | 'failed'; failure?: typeof failure; details?: unknown; reportedAt: string } = {
    ...provisional,
    outcome: failure ? 'failed' : 'succeeded',
    failure,
    details: event.details,
    reportedAt: now().toISOString(),
  };
  const reportLocation = await sinks.store(key, JSON.stringify(timeline, null, 2));
  const { subject, message } = formatTimelineNotice(timeline, reportLocation);
  let notice: IncidentReportResult['notice'];
  if (failure) {
    notice = { published: false, error: 'not sent for a failed run: the execution-failure alert reports it' };
  } else {
    try {
      await sinks.notify(subject, message);
      notice = { published: true };
    } catch (err) {
      // A notice that could not be published must not lose the timeline: the report is kept.
      notice = { published: false, error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }
  const step = timelineStep('report', startedAt, now(), 'done', `report ${reportLocation}; notice ${notice.published ? 'published' : `not published (${notice.error})`}`);
  return { step, reportLocation, totalSeconds: timeline.totalSeconds, notice };
}

/** A Lambda error's Cause is the runtime's JSON {errorType, errorMessage}; keep the message. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return '(no cause)';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
