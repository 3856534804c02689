// The bounded backoff shared by every Wait -> Describe -> Choice loop (snapshots, copies, restores).

export interface PollState {
  startedAt?: string;
  attempt?: number;
  /** Sum of the waits this loop has scheduled so far. */
  waitedSeconds?: number;
}

export interface PollStep {
  startedAt: string;
  attempt: number;
  waitSeconds: number;
  waitedSeconds: number;
  checkedAt: string;
}

const FIRST_WAIT_SECONDS = 30;
// A Standard execution holds 25,000 history events, and every poll turn costs ~6 of them per
// database; growing intervals and a cap tied to the timeout keep a long wait to ~40 turns.
const MAX_TURNS_AT_CAP = 40;

/** The longest wait between two turns of a loop with this budget (leases renewed at each turn must outlive it). */
export function longestWaitSeconds(timeoutSeconds: number): number {
  return Math.max(300, Math.ceil(timeoutSeconds / MAX_TURNS_AT_CAP));
}

export function nextWaitSeconds(attempt: number, timeoutSeconds: number): number {
  return Math.min(longestWaitSeconds(timeoutSeconds), FIRST_WAIT_SECONDS * 2 ** attempt);
}

/** The loop is done: carries the state forward with no further wait. */
export function finishedStep(poll: PollState, now: Date): PollStep {
  return {
    startedAt: poll.startedAt ?? now.toISOString(),
    attempt: poll.attempt ?? 0,
    waitSeconds: 0,
    waitedSeconds: poll.waitedSeconds ?? 0,
    checkedAt: now.toISOString(),
  };
}

/**
 * The next wait, or `timedOut` with the seconds spent. The budget is spent when either the clock
 * or the waits already scheduled say so; the latter keeps the bound exact where Wait states are
 * shortened (local runs) and never lets a stuck loop run longer than its budget.
 */
export function nextStep(poll: PollState, timeoutSeconds: number, now: Date): PollStep | { timedOut: true; elapsedSeconds: number } {
  const startedAt = poll.startedAt ?? now.toISOString();
  const attempt = poll.attempt ?? 0;
  const scheduled = poll.waitedSeconds ?? 0;
  const elapsed = Math.max((now.getTime() - Date.parse(startedAt)) / 1000, scheduled);
  if (elapsed >= timeoutSeconds) return { timedOut: true, elapsedSeconds: Math.round(elapsed) };
  const wait = Math.min(nextWaitSeconds(attempt, timeoutSeconds), Math.ceil(timeoutSeconds - elapsed));
  return { startedAt, attempt: attempt + 1, waitSeconds: wait, waitedSeconds: scheduled + wait, checkedAt: now.toISOString() };
}
