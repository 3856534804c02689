// Step Functions quotas the local runner enforces as AWS does ("Step Functions service quotas",
// AWS Step Functions Developer Guide): moto-backed local runs would otherwise pass workflows that fail
// at scale in AWS.
// - A state's input or output, and an execution's input and output, is at most 256 KiB of UTF-8; over
//   it the state fails with States.DataLimitExceeded, which a States.ALL Catch does not catch.
// - An execution's history holds at most 25,000 events; past that the execution fails.
import type { EventLog } from './workflow-runner.js';

export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const MAX_HISTORY_EVENTS = 25_000;

export interface LimitBreach {
  error: string;
  cause: string;
}

/**
 * History events as Step Functions records them for what the local engine reports: a Task state is
 * five (entered, scheduled, started, succeeded or failed, exited), a Choice, Wait, Pass, Succeed or
 * Fail two, a retry three more (scheduled, started, failed), a Map state four of its own plus two per
 * iteration (started, succeeded or failed) besides what its iterations' states record. Failure paths
 * are approximate (a failed Task is counted once for TaskFailed).
 */
export function historyEventsOf(event: EventLog): number {
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
    case 'ExecutionAborted':
    case 'ExecutionTimeout':
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return 1;
    case 'StateEntered':
      return event.state.type === 'Task' ? 3 : event.state.type === 'Map' ? 2 : 1;
    case 'StateExited':
      // TaskSucceeded / MapStateSucceeded, then the …StateExited event.
      return event.state.type === 'Task' || event.state.type === 'Map' ? 2 : 1;
    case 'StateFailed':
      return event.state.type === 'Task' ? 1 : 0;
    case 'StateRetried':
      return 3;
    default:
      return 0;
  }
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null) ?? 'null', 'utf8');

/** Watches one execution's events; reports the first quota it crosses. */
export class LimitWatch {
  events = 0;
  breach?: LimitBreach;
  /** The largest state input or output seen, in bytes. */
  largestPayload = 0;

  private measure(value: unknown): number {
    const size = bytes(value);
    this.largestPayload = Math.max(this.largestPayload, size);
    return size;
  }

  observe(event: EventLog): LimitBreach | undefined {
    if (this.breach) return this.breach;
    this.events += historyEventsOf(event);
    if (this.events > MAX_HISTORY_EVENTS) {
      this.breach = { error: 'States.Runtime', cause: `execution history exceeded ${MAX_HISTORY_EVENTS} events (Step Functions quota)` };
    } else if (event.type === 'StateExited' && this.measure(event.state.output) > MAX_PAYLOAD_BYTES) {
      this.breach = {
        error: 'States.DataLimitExceeded',
        cause: `state ${event.state.name} returned ${bytes(event.state.output)} bytes; Step Functions allows ${MAX_PAYLOAD_BYTES} bytes of state output`,
      };
    } else if (event.type === 'StateEntered' && this.measure(event.state.input) > MAX_PAYLOAD_BYTES) {
      this.breach = { error: 'States.DataLimitExceeded', cause: `state ${event.state.name} got ${bytes(event.state.input)} bytes of input; Step Functions allows ${MAX_PAYLOAD_BYTES}` };
    }
    return this.breach;
  }
}
