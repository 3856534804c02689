// The cutover step (lambdas/cutover-endpoint) as a function of its input, settings and gateway.
import { InvalidInputError } from '../core/errors.js';
import type { RuntimeSettings } from '../core/settings.js';
import { describeAction, executeCutover, planCutover, summarizeCutover, type CutoverOutcome, type EndpointGateway } from '../core/endpoint-cutover.js';
import { timelineStep, type StepResult } from '../core/timeline.js';

/**
 * Input of lambdas/cutover-endpoint (stable interface, also used by the restore workflow).
 * The targets are the db's `incident.databases.<db>.endpoint` from the deployment settings.
 */
export interface CutoverEvent {
  /** Key of incident.databases (the database identifier in the primary region). */
  db: string;
  /** Host name of the new writer. */
  endpoint: string;
  /** Only read the current values and report what would change. */
  dryRun?: boolean;
  /** For the logs: who (reason + execution id) changed the endpoint, and why. */
  executionArn?: string;
  reason?: string;
}

export interface CutoverResult extends StepResult {
  outcomes: CutoverOutcome[];
}

export async function runCutover(
  event: CutoverEvent,
  settings: RuntimeSettings,
  gateway: EndpointGateway,
  now: () => Date,
  audit: (entry: { who: { reason?: string; executionArn?: string }; what: string; why?: string }) => void = () => undefined,
): Promise<CutoverResult> {
  const startedAt = now();
  if (typeof event?.db !== 'string' || !event.db) throw new InvalidInputError('cutover.db: must be a database identifier');
  if (typeof event.endpoint !== 'string' || !event.endpoint) throw new InvalidInputError('cutover.endpoint: must be the new writer host name');
  const dryRun = event.dryRun === true;
  const targets = settings.incident?.databases[event.db]?.endpoint;
  if (!targets) {
    return { step: timelineStep('cutover', startedAt, now(), 'skipped', `no incident.databases.${event.db}.endpoint configured; nothing repointed`), outcomes: [] };
  }
  const actions = planCutover({ db: event.db, endpoint: event.endpoint, targets, primaryRegion: settings.primaryRegion, drRegion: settings.drRegion });
  if (!dryRun) {
    audit({ who: { reason: event.reason, executionArn: event.executionArn }, what: `repoint ${event.db}'s writer endpoint: ${actions.map(describeAction).join('; ')}`, why: event.reason });
  }
  const outcomes = await executeCutover(actions, gateway, dryRun);
  const changed = outcomes.some((o) => o.outcome === 'updated');
  const outcome = dryRun ? 'would-do' : changed ? 'done' : 'already-done';
  return { step: timelineStep('cutover', startedAt, now(), outcome, `${dryRun ? 'dry run: ' : ''}${summarizeCutover(outcomes)}`), outcomes };
}
