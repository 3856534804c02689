// One turn of the rename cutover: observe the three names, make the next move (see rename-plan.ts),
// and say whether to look again. Behind a small port so it is tested without AWS.
import { CutoverBlockedError, nextRenameMove, type Observed, type RenameWorld } from './rename-plan.js';
import type { RestorePlan } from '../core/restore-plan.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { finishedStep, nextStep, type PollState, type PollStep } from '../core/wait-budget.js';

export interface RenameGateway {
  /** Status and tags of the instance or cluster `id`, or undefined when there is none. */
  observe(kind: 'instance' | 'cluster', id: string): Promise<Observed | undefined>;
  rename(kind: 'instance' | 'cluster', from: string, to: string): Promise<void>;
}

export type RenameCutoverResult = PollStep & { complete: boolean; detail: string; step?: TimelineStep };

export interface RenameAudit {
  /** Who / what / why of a rename, logged before the call (connections drop). */
  destructive(entry: { who: { reason: string; executionArn: string }; what: string; why: string }): void;
}

export async function renameCutoverTurn(plan: RestorePlan, poll: PollState, gateway: RenameGateway, audit: RenameAudit, now: Date): Promise<RenameCutoverResult> {
  const [current, replaced, target] = await Promise.all([plan.db, plan.replacedId!, plan.targetId].map((id) => gateway.observe(plan.kind, id)));
  const world: RenameWorld = { current, replaced, target };
  const move = nextRenameMove(plan, world);
  if (move.move === 'done') {
    const finished = finishedStep(poll, now);
    return { ...finished, complete: true, detail: move.why, step: timelineStep('cutover', new Date(finished.startedAt), now, 'done', `renamed: ${plan.db} → ${plan.replacedId}, ${plan.targetId} → ${plan.db}`) };
  }
  if (move.move === 'rename') {
    audit.destructive({ who: { reason: plan.reason, executionArn: plan.executionArn }, what: `${plan.kind} ${move.from} → ${move.to} in ${plan.region}`, why: move.why });
    await gateway.rename(plan.kind, move.from, move.to);
  }
  const step = nextStep(poll, plan.timeoutSeconds, now);
  if ('timedOut' in step) throw new CutoverBlockedError(`rename cutover of ${plan.db} not finished after ${step.elapsedSeconds} s (${move.why}); the databases are as the last move left them`);
  // A rename was just requested: look again soon rather than after the full backoff.
  return { ...step, complete: false, detail: move.why };
}
