// Pure decision for one turn of a Wait -> Describe -> Choice loop: is the snapshot (or its DR copy)
// available, failed, out of time, or worth another look - and after how long.
import { SnapshotConflictError, SnapshotFailedError, SnapshotNotFoundError, SnapshotTimeoutError } from '../shared/errors.js';
import { TAG } from '../shared/naming.js';
import { tagValueOf, type SnapshotInfo } from '../shared/snapshots.js';

export type SnapshotLocation = 'source' | 'dr';

export interface PollState {
  startedAt?: string;
  attempt?: number;
  /** Sum of the waits this loop has scheduled so far. */
  waitedSeconds?: number;
}

export interface PollRequest {
  location: SnapshotLocation;
  snapshotId: string;
  dbId: string;
  /** source: the database ARN the snapshot must come from; dr: the source snapshot ARN the copy must come from. */
  expectedSourceArn: string;
  timeoutSeconds: number;
  poll: PollState;
}

export interface PollResult {
  available: boolean;
  status: string;
  arn: string;
  createdAt?: string;
  checkedAt: string;
  startedAt: string;
  attempt: number;
  waitSeconds: number;
  waitedSeconds: number;
}

const PENDING_STATUSES = new Set(['creating', 'copying', 'pending', 'modifying', 'upgrading', 'backing-up']);
const FIRST_WAIT_SECONDS = 30;
// A Standard execution holds 25,000 history events, and every poll turn costs ~6 of them per
// database; growing intervals and a cap tied to the timeout keep a long copy to ~40 turns.
const MAX_TURNS_AT_CAP = 40;

export function nextWaitSeconds(attempt: number, timeoutSeconds: number): number {
  const cap = Math.max(300, Math.ceil(timeoutSeconds / MAX_TURNS_AT_CAP));
  return Math.min(cap, FIRST_WAIT_SECONDS * 2 ** attempt);
}

export function evaluatePoll(observed: SnapshotInfo | undefined, req: PollRequest, now: Date): PollResult {
  const where = req.location === 'source' ? 'snapshot' : 'DR copy';
  if (!observed) {
    throw new SnapshotNotFoundError(`${where} ${req.snapshotId} of ${req.dbId} does not exist (deleted while in progress?)`);
  }
  assertOwnership(observed, req);
  const startedAt = req.poll.startedAt ?? now.toISOString();
  const attempt = req.poll.attempt ?? 0;
  const scheduled = req.poll.waitedSeconds ?? 0;
  const base = { status: observed.status, arn: observed.arn, createdAt: observed.createdAt, checkedAt: now.toISOString(), startedAt };

  if (observed.status === 'available') {
    return { ...base, available: true, attempt, waitSeconds: 0, waitedSeconds: scheduled };
  }
  if (!PENDING_STATUSES.has(observed.status)) {
    throw new SnapshotFailedError(`${where} ${req.snapshotId} of ${req.dbId} is "${observed.status}", not available`);
  }
  // The budget is spent when either the clock or the waits we scheduled say so; the latter keeps the
  // bound exact where Wait states are shortened (local runs) and never lets a stuck loop run longer.
  const elapsed = Math.max((now.getTime() - Date.parse(startedAt)) / 1000, scheduled);
  if (elapsed >= req.timeoutSeconds) {
    throw new SnapshotTimeoutError(
      `${where} ${req.snapshotId} of ${req.dbId} still "${observed.status}" after ${Math.round(elapsed)} s (limit ${req.timeoutSeconds} s)`,
    );
  }
  const wait = Math.min(nextWaitSeconds(attempt, req.timeoutSeconds), Math.ceil(req.timeoutSeconds - elapsed));
  return { ...base, available: false, attempt: attempt + 1, waitSeconds: wait, waitedSeconds: scheduled + wait };
}

// A deterministic name can collide with something we did not make; never report someone else's
// snapshot as our backup.
function assertOwnership(s: SnapshotInfo, req: PollRequest): void {
  if (req.location === 'source') {
    const fromArn = req.expectedSourceArn.split(':').pop();
    if (s.sourceDbId !== req.dbId && s.sourceDbId !== fromArn) {
      throw new SnapshotConflictError(`snapshot ${req.snapshotId} exists but was taken from ${s.sourceDbId}, not ${req.dbId}`);
    }
    return;
  }
  const copyOf = tagValueOf(s.tags, TAG.copyOf);
  if (copyOf !== req.expectedSourceArn) {
    throw new SnapshotConflictError(
      `DR snapshot ${req.snapshotId} exists but is ${copyOf ? `a copy of ${copyOf}` : 'not an rds-dr copy'}, not of ${req.expectedSourceArn}`,
    );
  }
}
