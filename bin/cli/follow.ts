// Follows a Step Functions execution the way the console's event view does: one line per state as
// it is entered, failures with their error and cause, and the final status with the output.
import type { ExecutionDescription, ExecutionGateway, HistoryEvent } from '../../lambdas/aws/step-functions.js';

const seconds = (from: Date, to: Date) => `${((to.getTime() - from.getTime()) / 1000).toFixed(1)}s`.padStart(7);

/** One readable line for a history event, or undefined for the bookkeeping ones (scheduled, exited...). */
export function describeEvent(event: HistoryEvent, startedAt: Date): string | undefined {
  const at = `[+${seconds(startedAt, event.timestamp ?? startedAt)}]`;
  const type = event.type ?? '';
  if (type.endsWith('StateEntered')) {
    const kind = type.slice(0, -'StateEntered'.length);
    return `${at} ▶ ${event.stateEnteredEventDetails?.name ?? '?'}${kind && kind !== 'Task' ? ` (${kind})` : ''}`;
  }
  const failure =
    event.taskFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.activityFailedEventDetails;
  if (failure) return `${at} ✗ ${type}: ${failure.error ?? ''} ${readableCause(failure.cause)}`.trimEnd();
  if (type === 'MapIterationFailed') return `${at} ✗ iteration ${event.mapIterationFailedEventDetails?.index ?? '?'} of ${event.mapIterationFailedEventDetails?.name ?? '?'} failed`;
  if (type === 'ExecutionStarted') return `${at} execution started`;
  return undefined;
}

/** A Lambda's cause is a JSON {errorType, errorMessage}; show the message. */
export function readableCause(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (parsed && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: print as is
  }
  return cause;
}

export interface FollowOptions {
  write: (line: string) => void;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Prints events until the execution stops; returns its final description. */
export async function followExecution(gateway: ExecutionGateway, executionArn: string, options: FollowOptions): Promise<ExecutionDescription> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let startedAt: Date | undefined;
  // GetExecutionHistory cannot resume after its last page, so each poll reads from the start and
  // prints only events newer than the last one printed.
  let lastEventId = 0;
  for (;;) {
    const description = await gateway.describe(executionArn);
    startedAt ??= description.startDate;
    // Drain the history after reading the status, so no event before the end is skipped.
    let nextToken: string | undefined;
    do {
      const page = await gateway.history(executionArn, nextToken);
      for (const event of page.events) {
        if ((event.id ?? 0) <= lastEventId) continue;
        lastEventId = event.id ?? lastEventId;
        const line = describeEvent(event, startedAt);
        if (line) options.write(line);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    if (description.status !== 'RUNNING') {
      options.write(finalLine(description));
      return description;
    }
    await sleep(options.pollMs ?? 5000);
  }
}

export function finalLine(d: ExecutionDescription): string {
  const took = d.stopDate ? ` after ${seconds(d.startDate, d.stopDate).trim()}` : '';
  if (d.status === 'SUCCEEDED') return `SUCCEEDED${took}\n${prettyOutput(d.output)}`;
  return `${d.status}${took}: ${d.error ?? ''} ${readableCause(d.cause)}`.trimEnd();
}

function prettyOutput(output: string | undefined): string {
  if (!output) return '';
  try {
    return JSON.stringify(JSON.parse(output), null, 2);
  } catch {
    return output;
  }
}
