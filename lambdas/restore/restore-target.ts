// The restore itself (an incident restore into a new identifier) and one turn of its wait loop.
// Behind RestoreGateway so the decisions are tested without AWS; the SDK adapter is beside it.
import { evaluateRestorePoll, type RestorePollResult } from '../core/restore-poll.js';
import { NamedError } from '../core/errors.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import type { PollState } from '../core/wait-budget.js';
import type { RestoreGateway, RestorePlan } from '../core/restore-plan.js';
import { PURPOSE, TAG, tagText, tagValue } from '../core/naming.js';


/** The target id is taken by something this execution did not create. */
export class TargetInUseError extends NamedError {
  readonly errorName = 'rds-dr.TargetInUse';
}

export function restoreTags(plan: RestorePlan): Record<string, string> {
  const from = plan.mode === 'pitr' ? (plan.useLatest ? 'pitr:latest' : `pitr:${plan.restoreTime}`) : `snapshot:${plan.snapshotArn}`;
  const tags: Record<string, string> = { [TAG.purpose]: PURPOSE.incidentRestore, [TAG.execution]: tagValue(plan.executionArn), [TAG.restoredFrom]: tagValue(from), [TAG.sourceDb]: plan.db };
  // The whole reason is in the plan and the timeline; the tag carries what RDS accepts.
  if (plan.reason) tags[TAG.reason] = tagText(plan.reason);
  return tags;
}

/** Starts the restore unless this execution already did (a retried state or a re-driven execution). */
export async function startRestore(plan: RestorePlan, gateway: RestoreGateway, now: () => Date): Promise<{ step: TimelineStep; started: boolean }> {
  const startedAt = now();
  const tags = restoreTags(plan);
  const existing = await gateway.findTarget(plan);
  if (existing && existing.tags[TAG.execution] !== tags[TAG.execution]) {
    throw new TargetInUseError(`${plan.targetId} exists in ${plan.region} and was not created by this execution; nothing was changed`);
  }
  if (!existing) await gateway.restore(plan, tags);
  // Aurora restores a cluster without instances; its writer is added once the cluster is available.
  await addWriterWhenReady(plan, existing && { status: existing.status ?? 'unknown', memberExists: existing.memberExists === true }, gateway);
  const what = plan.mode === 'pitr' ? `${plan.kind} ${plan.db} to ${plan.useLatest ? 'the latest restorable time' : plan.restoreTime}` : `snapshot ${plan.snapshotId}`;
  return existing
    ? { step: timelineStep('restore', startedAt, now(), 'already-done', `${plan.targetId} already restored by this execution`), started: false }
    : { step: timelineStep('restore', startedAt, now(), 'done', `restoring ${what} into ${plan.targetId}${plan.memberId ? ` (+ writer ${plan.memberId})` : ''} in ${plan.region}`), started: true };
}

/**
 * Adds an Aurora target's writer if it has none and the cluster is `available`: RDS creates instances
 * in a restored cluster only then (InvalidDBClusterState before). Called by the start and by every turn
 * of the wait, so a retry that lost the writer also gets it back.
 */
async function addWriterWhenReady(plan: RestorePlan, cluster: { status: string; memberExists: boolean } | undefined, gateway: RestoreGateway): Promise<void> {
  if (plan.kind === 'cluster' && cluster && !cluster.memberExists && cluster.status === 'available') await gateway.addClusterMember(plan, restoreTags(plan));
}

/** One turn of the wait for the target (phase restore), or for its managed master secret (phase credentials). */
export async function pollTarget(plan: RestorePlan, phase: 'restore' | 'credentials', poll: PollState, gateway: RestoreGateway, now: () => Date): Promise<RestorePollResult & { step?: TimelineStep }> {
  // One read per turn: it says whether the cluster is ready for its writer, too.
  const observed = await gateway.read(plan);
  if (phase === 'restore') await addWriterWhenReady(plan, observed?.cluster, gateway);
  const result = evaluateRestorePoll(observed, { phase, db: plan.db, restoreId: plan.targetId, timeoutSeconds: plan.timeoutSeconds, poll, label: `restored ${plan.targetId} of ${plan.db}` }, now());
  if (!result.available) return result;
  const name = phase === 'restore' ? 'wait-available' : 'wait-credentials';
  return { ...result, step: timelineStep(name, new Date(result.startedAt), now(), 'done', `${plan.targetId} ${phase === 'restore' ? 'available' : 'has its managed master password'} after ${Math.round((now().getTime() - Date.parse(result.startedAt)) / 1000)} s`) };
}
