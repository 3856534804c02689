import { logger, withLogKeys } from '../aws/logger.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';
import { readSettings } from '../core/settings.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { describePlan, parseFailbackRequest, resolveFailbackPlan, type AnyFailbackPlan } from './failback-plan.js';

const settings = readSettings(['incident']);

export type PlanFailbackEvent = WorkflowStartEvent;

/** First state of the failback: validate the input; resolve the DR writer, the replica and the new standby, or the global cluster and its two clusters. No AWS call. */
export async function handler(event: PlanFailbackEvent): Promise<{ plan: AnyFailbackPlan; steps: { plan: { step: TimelineStep } } }> {
  withLogKeys({ executionArn: event.executionArn });
  const startedAt = new Date();
  const request = parseFailbackRequest(event.input);
  withLogKeys({ executionArn: event.executionArn, db: request.db });
  const plan = resolveFailbackPlan(request, settings, event.executionArn);
  logger.info('failback planned', { plan });
  // Shaped as the workflow's state: the plan, and the steps every later state adds its result to.
  return { plan, steps: { plan: { step: timelineStep('plan', startedAt, new Date(), 'done', describePlan(plan)) } } };
}
