// Cutover by renaming, one idempotent move per call: `<db>` → `<db>-replaced-<slot>`, then the
// restored target → `<db>`. Each call looks at what exists and does the next move, so a retried or
// re-driven execution picks up where it stopped. The replaced database is never deleted.
import { NamedError } from '../core/errors.js';
import { type RestorePlan } from '../core/restore-plan.js';
import { TAG } from '../core/naming.js';

export class CutoverBlockedError extends NamedError {
  readonly errorName = 'rds-dr.CutoverBlocked';
}

export interface Observed {
  status: string;
  tags: Record<string, string>;
}

export interface RenameWorld {
  /** The database currently named `<db>`. */
  current?: Observed;
  /** `<db>-replaced-<slot>`. */
  replaced?: Observed;
  /** The restored target under its own id. */
  target?: Observed;
}

export type RenameMove =
  | { move: 'rename'; from: string; to: string; why: string }
  | { move: 'wait'; why: string }
  | { move: 'done'; why: string };

export function nextRenameMove(plan: Pick<RestorePlan, 'db' | 'targetId' | 'replacedId' | 'executionArn'>, world: RenameWorld): RenameMove {
  const ours = (o?: Observed) => o?.tags[TAG.execution] === plan.executionArn.slice(0, 256);
  const replacedId = plan.replacedId!;
  if (ours(world.current)) {
    return world.current!.status === 'available' ? { move: 'done', why: `${plan.db} is now the restored database; the old one is kept as ${replacedId}` } : { move: 'wait', why: `${plan.db} (restored) is "${world.current!.status}"` };
  }
  if (!world.target) throw new CutoverBlockedError(`restored ${plan.targetId} no longer exists and ${plan.db} is not the restored database; nothing was renamed further`);
  if (!ours(world.target)) throw new CutoverBlockedError(`${plan.targetId} was not created by this execution; refusing to rename it`);
  if (world.current) {
    if (world.replaced) throw new CutoverBlockedError(`both ${plan.db} and ${replacedId} exist; rename or remove ${replacedId} by hand, then re-run`);
    if (world.current.status !== 'available') return { move: 'wait', why: `${plan.db} is "${world.current.status}"; it is renamed once available` };
    return { move: 'rename', from: plan.db, to: replacedId, why: `keep the replaced database as ${replacedId} (never deleted)` };
  }
  if (world.target.status !== 'available') return { move: 'wait', why: `${plan.targetId} is "${world.target.status}"` };
  return { move: 'rename', from: plan.targetId, to: plan.db, why: `the restored database takes over ${plan.db}` };
}
