import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { RdsRestoreSourceReader } from '../aws/rds-restore-source.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { InvalidInputError } from '../core/errors.js';
import type { RestorePlan } from '../core/restore-plan.js';
import { readSettings } from '../core/settings.js';
import type { DescribedSnapshot } from '../core/snapshots.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { buildRestorePlan, parseRestoreRequest } from './restore-request.js';
import { protection, resolveSource, type RestoreSourceDeps } from './restore-source.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';

const settings = readSettings(['policies', 'verification', 'incident']);

export interface PlanRestoreEvent extends WorkflowStartEvent {
  /** The region this deployment of the workflow runs (and restores) in. */
  workflowRegion: string;
}

/** First state of the restore: validate the input, resolve source, window or snapshot, target. No writes. */
export async function handler(event: PlanRestoreEvent): Promise<{ plan: RestorePlan; steps: { plan: { step: TimelineStep } } }> {
  withLogKeys({ executionArn: event.executionArn });
  const startedAt = new Date();
  const request = parseRestoreRequest(event.input, settings, event.workflowRegion);
  withLogKeys({ executionArn: event.executionArn, db: request.db, restoreId: request.targetId });
  const rds = awsClients.rds(request.region);
  const reader = new RdsRestoreSourceReader(rds);
  if (await reader.identifierInUse(request.targetId)) {
    throw new InvalidInputError(`input.targetId: "${request.targetId}" is already in use in ${request.region} (an instance or cluster has it); choose a new identifier`);
  }
  let snapshots: DescribedSnapshot[] | undefined;
  const catalog = async () => (snapshots ??= await new RdsSnapshotCatalog(rds).list('all'));
  const deps: RestoreSourceDeps = {
    settings,
    reader,
    catalog,
    primaryFleet: () => new RdsFleetReader(awsClients.rds(settings.primaryRegion, true)).list(),
    warn: (message, extra) => logger.warn(message, extra),
  };
  const source = await resolveSource(request, deps);
  const how = await protection(request, source.kind, deps);
  const plan = buildRestorePlan({ request, source, settings, executionArn: event.executionArn, executionStartTime: event.executionStartTime, now: new Date(), snapshots: request.source.type === 'snapshot' ? await catalog() : [] });
  logger.info('restore planned', { plan, protection: how });
  const from = plan.mode === 'pitr' ? (plan.useLatest ? 'the latest restorable time' : plan.restoreTime) : `snapshot ${plan.snapshotId}`;
  const detail = `restore ${plan.kind} ${plan.db} to ${from} as ${plan.targetId} in ${plan.region}${plan.verify ? ', verify' : ''}${plan.cutover ? `, cutover by ${plan.cutover}` : ''}; protection: ${how}${plan.reason ? `; reason: ${plan.reason}` : ''}`;
  return { plan, steps: { plan: { step: timelineStep('plan', startedAt, new Date(), 'done', detail) } } };
}

