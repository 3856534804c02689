// Pure decision for one turn of a Wait -> Describe -> Choice loop: is the snapshot (or its DR copy)
// available, failed, out of time, or worth another look - and after how long.
import { SnapshotConflictError, SnapshotFailedError, SnapshotNotFoundError, SnapshotTimeoutError } from '../core/errors.js';
import { TAG } from '../core/naming.js';
import { tagValueOf, type SnapshotInfo } from '../core/snapshots.js';
import { finishedStep, nextStep, type PollState, type PollStep } from '../core/wait-budget.js';


export type SnapshotLocation = 'source' | 'dr';

export interface PollRequest {
  location: SnapshotLocation;
  snapshotId: string;
  dbId: string;
  /** source: the database ARN the snapshot must come from; dr: the source snapshot ARN the copy must come from. */
  expectedSourceArn: string;
  timeoutSeconds: number;
  poll: PollState;
}

export interface PollResult extends PollStep {
  available: boolean;
  status: string;
  arn: string;
  createdAt?: string;
}

const PENDING_STATUSES = new Set(['creating', 'copying', 'pending', 'modifying', 'upgrading', 'backing-up']);
export function evaluatePoll(observed: SnapshotInfo | undefined, req: PollRequest, now: Date): PollResult {
  const where = req.location === 'source' ? 'snapshot' : 'DR copy';
  if (!observed) {
    throw new SnapshotNotFoundError(`${where} ${req.snapshotId} of ${req.dbId} does not exist (deleted while in progress?)`);
  }
  assertOwnership(observed, req);
  const base = { status: observed.status, arn: observed.arn, createdAt: observed.createdAt };
  if (observed.status === 'available') {
    return { ...base, available: true, ...finishedStep(req.poll, now) };
  }
  if (!PENDING_STATUSES.has(observed.status)) {
    throw new SnapshotFailedError(`${where} ${req.snapshotId} of ${req.dbId} is "${observed.status}", not available`);
  }
  const step = nextStep(req.poll, req.timeoutSeconds, now);
  if ('timedOut' in step) {
    throw new SnapshotTimeoutError(
      `${where} ${req.snapshotId} of ${req.dbId} still "${observed.status}" after ${step.elapsedSeconds} s (limit ${req.timeoutSeconds} s)`,
    );
  }
  return { ...base, available: false, ...step };
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
