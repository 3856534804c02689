// Which databases a scheduled drill restores: at 1,000 databases a run cannot restore them all (each
// throwaway is a DB instance against the region's quota, and takes minutes to hours), so each run
// takes the `perRun` drilled longest ago. The last-drill dates are one small JSON object per policy
// in the reports bucket (`drill-rotation/<policy>.json`, { db: lastDrilledIso }): one read to plan,
// one read and write to record, whatever the number of databases or reports kept.
import { z } from 'zod';

/** Key of a policy's rotation state in the reports bucket. */
export const rotationKey = (policy: string): string => `drill-rotation/${policy}.json`;

/** When each database was last drilled (ISO time of the run that drilled it). */
export type RotationState = Record<string, string>;

const rotationStateSchema = z.record(z.string(), z.string());

/** The stored state, or an empty one when it is unreadable (every database then counts as never drilled). */
export function parseRotationState(value: unknown): RotationState {
  const parsed = rotationStateSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

export interface RotationChoice {
  /** The databases this run drills, in the order chosen. */
  picked: string[];
  /** Databases of the policy. */
  databases: number;
  /** Never drilled, or last drilled more than maxAgeDays ago (never drilled included). */
  overdue: number;
  neverDrilled: number;
  /** Overdue databases this run leaves out: perRun (or the schedule) cannot keep up. */
  overdueNotPicked: number;
}

/**
 * Up to `perRun` of `databases`: never drilled first, then the longest since their last drill, so
 * overdue ones come before the rest; ties keep the configured order (a stable sort). The rest of the
 * run's capacity goes to the next-oldest, so the rotation moves on even when nothing is overdue.
 */
export function chooseDrillDatabases(databases: string[], state: RotationState, perRun: number, maxAgeDays: number, now: Date): RotationChoice {
  const lastDrilled = (db: string) => {
    const at = Date.parse(state[db] ?? '');
    return Number.isNaN(at) ? -Infinity : at;
  };
  const order = databases.map((db, index) => ({ db, index, at: lastDrilled(db) })).sort((a, b) => a.at - b.at || a.index - b.index);
  const picked = order.slice(0, perRun);
  const overdueSince = now.getTime() - maxAgeDays * 86_400_000;
  const isOverdue = (e: { at: number }) => e.at < overdueSince;
  const overdue = order.filter(isOverdue).length;
  return {
    picked: picked.map((e) => e.db),
    databases: databases.length,
    overdue,
    neverDrilled: order.filter((e) => e.at === -Infinity).length,
    overdueNotPicked: overdue - picked.filter(isOverdue).length,
  };
}

/**
 * `state` with `drilled` set to `at`. Entries of databases since removed from the policy stay (the
 * planner ignores them); at ~40 bytes each they keep the object small.
 */
export function recordDrills(state: RotationState, drilled: string[], at: string): RotationState {
  const next: RotationState = { ...state };
  for (const db of drilled) next[db] = at;
  return next;
}

/** The summary's warning when overdue databases were left out, or undefined. */
export function rotationWarning(choice: Pick<RotationChoice, 'overdueNotPicked' | 'databases'>, perRun: number, maxAgeDays: number): string | undefined {
  if (choice.overdueNotPicked <= 0) return undefined;
  return (
    `${choice.overdueNotPicked} of ${choice.databases} database(s) not drilled in ${maxAgeDays} days are not in this run ` +
    `(sample.perRun ${perRun}): raise verify.sample.perRun or schedule the drill more often.`
  );
}
