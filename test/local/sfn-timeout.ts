// The ASL's top-level TimeoutSeconds, enforced on the time the execution would have taken in AWS.
// The local runner shortens every Wait state and Retry pause to a few milliseconds, so wall-clock time
// says nothing about a workflow whose polling loop waits for hours: an execution that would time out
// in AWS would succeed here. The clock below is the real elapsed time plus what every shortened pause
// would have lasted; past TimeoutSeconds the execution fails with States.Timeout (status TIMED_OUT),
// which no Catch handles, as in AWS.
//
// Only the top-level states' pauses count: Map iterations run concurrently, so adding up their waits
// would overstate the time (none of the workflows waits inside a Map today).
import type { EventLog } from './workflow-runner.js';
import type { LimitBreach } from './sfn-limits.js';

interface WaitDef {
  Type: string;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

interface RetrierDef {
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface TimedMachine {
  TimeoutSeconds?: number;
  States: Record<string, unknown>;
}

/** `$.a.b` of `input` (the only path form the workflows' Wait states use). */
function valueAt(path: string, input: unknown): unknown {
  if (path === '$') return input;
  return path
    .replace(/^\$\./, '')
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), input);
}

/** Seconds a Retry pause lasts in AWS before attempt `attempt` (1 = first retry); FULL jitter counts its mean. */
export function retryPauseSeconds(retrier: RetrierDef, attempt: number): number {
  const base = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
  const capped = retrier.MaxDelaySeconds !== undefined ? Math.min(base, retrier.MaxDelaySeconds) : base;
  return retrier.JitterStrategy === 'FULL' ? capped / 2 : capped;
}

/** Watches one execution's events and says when it has run past the ASL's TimeoutSeconds. */
export class ExecutionClock {
  /** Milliseconds of pauses the runner shortened, beyond what they took locally. */
  private skippedMs = 0;
  breach?: LimitBreach;

  constructor(
    private readonly machine: TimedMachine,
    private readonly startedAt: number,
    /** What a shortened pause takes locally. */
    private readonly localPauseMs: number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** Simulated milliseconds since the execution started. */
  elapsedMs(): number {
    return this.wallClock() - this.startedAt + this.skippedMs;
  }

  observe(event: EventLog): LimitBreach | undefined {
    if (this.breach) return this.breach;
    const topLevel = !('index' in event) || event.index === undefined;
    if (topLevel && event.type === 'StateEntered' && event.state.type === 'Wait') this.skip(this.waitSeconds(event.state.name, event.state.input));
    if (topLevel && event.type === 'StateRetried') this.skip(retryPauseSeconds(event.retry.retrier as RetrierDef, event.retry.attempt));
    if (this.machine.TimeoutSeconds !== undefined && this.elapsedMs() > this.machine.TimeoutSeconds * 1000) {
      this.breach = {
        error: 'States.Timeout',
        cause: `execution ran ${Math.round(this.elapsedMs() / 1000)} s (Wait states and Retry pauses at their ASL durations), past the state machine's TimeoutSeconds of ${this.machine.TimeoutSeconds}`,
      };
    }
    return this.breach;
  }

  /** Moves the simulated clock on by `ms` the execution spent waiting elsewhere (its Distributed Map's children). */
  advance(ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.skippedMs += ms;
  }

  private skip(seconds: number): void {
    if (Number.isFinite(seconds) && seconds > 0) this.skippedMs += Math.max(0, seconds * 1000 - this.localPauseMs);
  }

  private waitSeconds(name: string, input: unknown): number {
    const state = this.machine.States[name] as WaitDef | undefined;
    if (!state || state.Type !== 'Wait') return 0;
    if (state.Seconds !== undefined) return state.Seconds;
    if (state.SecondsPath) return Number(valueAt(state.SecondsPath, input));
    const timestamp = state.Timestamp ?? (state.TimestampPath ? String(valueAt(state.TimestampPath, input)) : undefined);
    // A Timestamp waits until that moment of the simulated clock.
    return timestamp ? (Date.parse(timestamp) - (this.startedAt + this.elapsedMs())) / 1000 : 0;
  }
}
