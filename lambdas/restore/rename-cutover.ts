// One turn of the rename cutover: observe the three names, make the next move (see rename-plan.ts),
// and say whether to look again. Behind a small port so it is tested without AWS.
import { CutoverBlockedError, nextRenameMove, type Observed, type ProtectionChanges, type RenameWorld } from './rename-plan.js';
import type { RestorePlan } from '../core/restore-plan.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { finishedStep, nextStep, type PollState, type PollStep } from '../core/wait-budget.js';

export interface RenameGateway {
  /** Status and tags of the instance or cluster `id`, or undefined when there is none. */
  observe(kind: 'instance' | 'cluster', id: string): Promise<Observed | undefined>;
  rename(kind: 'instance' | 'cluster', from: string, to: string): Promise<void>;
  /** Applies the original's settings (ModifyDB…, immediately) and tags (AddTagsToResource) to `id`. */
  protect(kind: 'instance' | 'cluster', id: string, arn: string, changes: ProtectionChanges): Promise<void>;
  addTags(arn: string, tags: Record<string, string>): Promise<void>;
}

/** `protectTurns`: how often the protection was applied; carried to the next turn in `poll`. */
export type RenameCutoverResult = PollStep & { complete: boolean; detail: string; step?: TimelineStep; protectTurns?: number };

type AuditEntry = { who: { reason: string; executionArn: string }; what: string; why: string };

export interface RenameAudit {
  /** Who / what / why of a rename, logged before the call (connections drop). */
  destructive(entry: AuditEntry): void;
  /** Who / what / why of a change to a database's settings or tags. */
  change(entry: AuditEntry): void;
}

/** A setting RDS does not take after this many applications is reported instead of retried for hours. */
const MAX_PROTECT_TURNS = 3;

export async function renameCutoverTurn(plan: RestorePlan, poll: PollState & { protectTurns?: number }, gateway: RenameGateway, audit: RenameAudit, now: Date): Promise<RenameCutoverResult> {
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
  const who = { reason: plan.reason, executionArn: plan.executionArn };
  let protectTurns = poll.protectTurns ?? 0;
  if (move.move === 'retire') {
    audit.change({ who, what: `tag ${plan.kind} ${move.id} ${JSON.stringify(move.tags)} in ${plan.region}`, why: move.why });
    await gateway.addTags(move.arn, move.tags);
  }
  if (move.move === 'protect') {
    if (protectTurns >= MAX_PROTECT_TURNS) throw new CutoverBlockedError(`${plan.db} is the restored database but did not take the original's protection after ${protectTurns} attempts (${move.why}); set it by hand`);
    audit.change({ who, what: `${plan.kind} ${move.id} in ${plan.region}: ${JSON.stringify(move.changes)}`, why: move.why });
    await gateway.protect(plan.kind, move.id, move.arn, move.changes);
    protectTurns += 1;
  }
  const step = nextStep(poll, plan.timeoutSeconds, now);
  if ('timedOut' in step) throw new CutoverBlockedError(`rename cutover of ${plan.db} not finished after ${step.elapsedSeconds} s (${move.why}); the databases are as the last move left them`);
  // A rename was just requested: look again soon rather than after the full backoff.
  return { ...step, complete: false, detail: move.why, protectTurns };
}
