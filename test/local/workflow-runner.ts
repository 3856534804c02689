// Runs an ASL file from state-machines/ locally with aws-local-stepfunctions: Lambda tasks call the
// real handler functions in-process, aws-sdk tasks make real SDK v3 calls (against moto), and Wait
// states and Retry intervals are shortened, not skipped.
import { readFileSync } from 'node:fs';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { toSdkInput } from './sdk-contract.js';
import { LimitWatch } from './sfn-limits.js';
import { ExecutionClock } from './sfn-timeout.js';
import type { Caller } from './iam/caller.js';
import { parseSdkResource, type SdkBridge } from './sdk-bridge.js';
import { asTaskState, isDistributedMap, runDistributedMap, type ChildRun, type DistributedMapDef } from './distributed-map.js';

// aws-local-stepfunctions uses Promise.withResolvers (Node 22+); this project supports Node 20.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

/** An aws-local-stepfunctions execution event (the package does not export the type). */
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type LambdaHandler = (event: never) => Promise<unknown>;

export interface WorkflowRun {
  executionArn: string;
  stateMachineArn: string;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate: number;
  /** Names of the states entered, in order (nested states included). */
  statesEntered: string[];
  /** Execution history events as Step Functions counts them (test/local/sfn-limits.ts). */
  historyEvents: number;
  /** Milliseconds the execution would have taken in AWS (Wait states and Retry pauses at full length). */
  simulatedMs: number;
  /** The largest state input or output of this execution, in bytes (its children have their own). */
  largestPayload: number;
  /** Child workflow executions its Distributed Map states ran (and theirs), as Step Functions lists them. */
  children: WorkflowRun[];
}

export interface RunWorkflowOptions {
  aslPath: string;
  /** Runs this definition instead of the file's (a Distributed Map's child workflow). */
  definition?: Machine;
  /** Makes the execution ARN this instead of one from the state machine and execution name. */
  executionArn?: string;
  stateMachineName: string;
  region: string;
  accountId: string;
  /** `${Name}` substitutions, as CDK's definitionSubstitutions. Lambda ARNs end in the function name. */
  substitutions: Record<string, string>;
  /** Handlers by Lambda function name (the last segment of the function ARN). */
  lambdas: Record<string, LambdaHandler>;
  sdk: Pick<SdkBridge, 'invoke'> & Partial<Pick<SdkBridge, 'readObject' | 'writeObject'>>;
  /** The state machine its aws-sdk tasks run as (IAM simulation); none: not evaluated. */
  sdkCaller?: Caller;
  input: unknown;
  executionName?: string;
  /** Milliseconds every Wait state and Retry pause takes locally. */
  waitMs?: number;
  /** Instead of waitMs: a Wait state of `Seconds` takes Seconds × 1000 / timeScale ms (benchmarks). */
  timeScale?: number;
  onLambda?: (functionName: string, input: unknown, output: unknown) => Promise<void> | void;
  /** Every execution event as it happens (the local Step Functions endpoint turns them into history). */
  onEvent?: (executionArn: string, event: EventLog) => void;
}

type StateDef = { Type: string; Resource?: string; Parameters?: unknown; Retry?: unknown[]; Seconds?: number; ItemProcessor?: Machine; Iterator?: Machine; Branches?: Machine[] };
type Machine = { StartAt?: string; States: Record<string, StateDef>; TimeoutSeconds?: number; ProcessorConfig?: { Mode?: string } };

function* allStates(machine: Machine): Generator<[string, StateDef]> {
  for (const [name, state] of Object.entries(machine.States)) {
    yield [name, state];
    for (const child of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (child) yield* allStates(child);
    }
  }
}

export function loadDefinition(aslPath: string, substitutions: Record<string, string>): Machine {
  const text = readFileSync(aslPath, 'utf8').replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in substitutions)) throw new Error(`${aslPath}: no substitution for ${whole}`);
    return substitutions[name];
  });
  const machine = JSON.parse(text) as Machine;
  // As CreateStateMachine does: an aws-sdk task whose Parameters name a field the API does not have
  // is refused (SCHEMA_VALIDATION_FAILED) before anything runs.
  const problems = [...allStates(machine)].flatMap(([name, state]) => {
    const sdk = state.Type === 'Task' && state.Resource ? parseSdkResource(state.Resource) : undefined;
    return sdk ? toSdkInput(sdk.service, sdk.action, state.Parameters).problems.map((p) => `state ${name}: ${p}`) : [];
  });
  if (problems.length) throw new Error(`${aslPath}: SCHEMA_VALIDATION_FAILED: ${problems.join('; ')}`);
  return machine;
}

/** Serialises a thrown Lambda error the way the Lambda runtime does, so Cause looks as in AWS. */
class LambdaTaskError extends Error {
  constructor(err: Error) {
    super(JSON.stringify({ errorType: err.name, errorMessage: err.message }));
    Object.defineProperty(this, 'name', { value: err.name });
  }
}

/** The definition the engine runs: Distributed Map states become Tasks run by distributed-map.ts. */
function withDistributedMapsAsTasks(machine: Machine): { engine: Machine; maps: Record<string, DistributedMapDef> } {
  const maps: Record<string, DistributedMapDef> = {};
  const rewrite = (m: Machine): Machine => ({
    ...m,
    States: Object.fromEntries(
      Object.entries(m.States).map(([name, state]): [string, StateDef] => {
        if (isDistributedMap(state as never)) {
          maps[name] = state as unknown as DistributedMapDef;
          return [name, asTaskState(state as unknown as DistributedMapDef) as StateDef];
        }
        const nested = state.ItemProcessor ? { ItemProcessor: rewrite(state.ItemProcessor) } : state.Iterator ? { Iterator: rewrite(state.Iterator) } : {};
        const branches = state.Branches ? { Branches: state.Branches.map(rewrite) } : {};
        // A Task without TimeoutSeconds: "If not provided, the default value is 99999999" (AWS Step
        // Functions Developer Guide, Task state), not the 60 s the local engine assumes; its timer holds
        // at most ~24 days. (A Lambda's own timeout is what ends a slow invocation in AWS.)
        const timeout = state.Type === 'Task' && (state as { TimeoutSeconds?: number }).TimeoutSeconds === undefined ? { TimeoutSeconds: 2_000_000 } : {};
        return [name, { ...state, ...nested, ...branches, ...timeout } as StateDef];
      }),
    ),
  });
  return { engine: rewrite(machine), maps };
}

export async function runWorkflow(opts: RunWorkflowOptions): Promise<WorkflowRun> {
  const stateMachineArn = `arn:aws:states:${opts.region}:${opts.accountId}:stateMachine:${opts.stateMachineName}`;
  const executionName = opts.executionName ?? `local-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const executionArn = opts.executionArn ?? `arn:aws:states:${opts.region}:${opts.accountId}:execution:${opts.stateMachineName}:${executionName}`;
  const definition = opts.definition ?? loadDefinition(opts.aslPath, opts.substitutions);
  const { engine, maps } = withDistributedMapsAsTasks(definition);
  const children: WorkflowRun[] = [];
  let childPauseMs = 0;
  const waitMs = opts.timeScale ? 0 : (opts.waitMs ?? 5);
  const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const waitTimeOverrides: Record<string, number> = {};
  let clock: ExecutionClock | undefined;
  // The execution log is read asynchronously: let it catch up, and once the execution has timed out,
  // never start the task (as in AWS, nothing runs after States.Timeout; the abort ends the execution).
  const notTimedOut = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    if (clock?.breach) await new Promise(() => undefined);
  };
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, state] of allStates(engine)) {
    if (state.Type === 'Wait') waitTimeOverrides[name] = opts.timeScale && state.Seconds !== undefined ? (state.Seconds * 1000) / opts.timeScale : waitMs;
    if (state.Retry) retryIntervalOverrides[name] = waitMs;
    if (state.Type !== 'Task' || !state.Resource) continue;
    const map = maps[name];
    if (map) {
      taskResourceLocalHandlers[name] = async (input) => {
        await notTimedOut();
        return runDistributedMap(map, name, input, executionArn, {
          readObject: (bucket, key) => requireS3(opts.sdk).readObject(bucket, key, opts.sdkCaller),
          writeObject: (bucket, key, body) => requireS3(opts.sdk).writeObject(bucket, key, body, opts.sdkCaller),
          runChild: async (processor, childInput, childName) => {
            const child = await runWorkflow({
              ...opts,
              definition: { StartAt: processor.StartAt, States: processor.States as Machine['States'] },
              executionArn: `${executionArn.replace(/:[^:]*$/, '')}/${name}:${childName}`,
              executionName: childName,
              input: childInput,
            });
            children.push(child);
            // The parent's clock moves on by what its longest-pausing child paused for: children run
            // concurrently (with more children than MaxConcurrency this understates, never overstates).
            const paused = child.simulatedMs - (child.stopDate - child.startDate);
            if (paused > childPauseMs) {
              clock?.advance(paused - childPauseMs);
              childPauseMs = paused;
            }
            return { ...child, name: childName } satisfies ChildRun;
          },
        });
      };
      continue;
    }
    const sdkTask = parseSdkResource(state.Resource);
    if (sdkTask) {
      taskResourceLocalHandlers[name] = async (input) => {
        await notTimedOut();
        return opts.sdk.invoke(sdkTask.service, sdkTask.action, input, opts.sdkCaller);
      };
      continue;
    }
    const functionName = state.Resource.split(':').pop() ?? '';
    const handler = opts.lambdas[functionName];
    if (!handler) throw new Error(`state ${name}: no local handler for Lambda ${state.Resource}`);
    taskResourceLocalHandlers[name] = async (input) => {
      await notTimedOut();
      let output: unknown;
      try {
        output = await handler(structuredClone(input) as never);
      } catch (err) {
        throw new LambdaTaskError(err as Error);
      }
      await opts.onLambda?.(functionName, input, output);
      // The Lambda service returns JSON: undefined fields vanish, Dates become strings.
      return JSON.parse(JSON.stringify(output ?? null));
    };
  }

  const machine = new StateMachine(engine as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const startDate = Date.now();
  const execution = machine.run(opts.input as never, {
    overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, waitTimeOverrides, retryIntervalOverrides },
    context: { Execution: { Id: executionArn, Name: executionName }, StateMachine: { Id: stateMachineArn, Name: opts.stateMachineName } },
  });
  const statesEntered: string[] = [];
  const limits = new LimitWatch();
  // TimeoutSeconds on the time the execution would take in AWS, shortened pauses included.
  clock = new ExecutionClock(definition, startDate, waitMs);
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') statesEntered.push(event.state.name);
      opts.onEvent?.(executionArn, event);
      // A crossed quota ends the execution as it would in AWS: no Catch applies.
      if (!limits.breach && !clock!.breach && limits.observe(event)) execution.abort();
      if (!limits.breach && !clock!.breach && clock!.observe(event)) execution.abort();
    }
  })();
  const timedOut = () => ({ status: 'TIMED_OUT' as const, error: clock?.breach?.error ?? 'States.Timeout', cause: clock?.breach?.cause ?? `execution ran past TimeoutSeconds (${definition.TimeoutSeconds})` });
  const base = () => ({
    executionArn,
    stateMachineArn,
    input: opts.input,
    startDate,
    statesEntered: [...statesEntered, ...children.flatMap((c) => c.statesEntered)],
    historyEvents: limits.events,
    largestPayload: limits.largestPayload,
    simulatedMs: clock!.elapsedMs(),
    children: children.flatMap((c) => [c, ...c.children]),
  });
  try {
    const output = await execution.result;
    await collecting.catch(() => undefined);
    if (limits.breach) return { ...base(), status: 'FAILED', error: limits.breach.error, cause: limits.breach.cause, stopDate: Date.now() };
    if (clock?.breach) return { ...base(), ...timedOut(), stopDate: Date.now() };
    return { ...base(), status: 'SUCCEEDED', output, stopDate: Date.now() };
  } catch (err) {
    await collecting.catch(() => undefined);
    const stopDate = Date.now();
    if (limits.breach) return { ...base(), status: 'FAILED', error: limits.breach.error, cause: limits.breach.cause, stopDate };
    if (clock?.breach || err instanceof ExecutionTimeoutError) return { ...base(), ...timedOut(), stopDate };
    if (err instanceof ExecutionAbortedError) return { ...base(), status: 'ABORTED', stopDate };
    if (err instanceof ExecutionError) {
      const cause = (err as Error & { cause?: Error }).cause;
      return { ...base(), status: 'FAILED', error: cause?.name, cause: cause?.message, stopDate };
    }
    throw err;
  }
}

function requireS3(sdk: RunWorkflowOptions['sdk']): Pick<SdkBridge, 'readObject' | 'writeObject'> {
  if (!sdk.readObject || !sdk.writeObject) throw new Error('local runner: a Distributed Map with an ItemReader or ResultWriter needs an SdkBridge with S3');
  return sdk as Pick<SdkBridge, 'readObject' | 'writeObject'>;
}

/** The EventBridge event Step Functions emits when an execution ends (what the alert rule matches). */
export function executionStatusChangeEvent(run: WorkflowRun, region: string, accountId: string) {
  return {
    version: '0',
    id: `local-${run.stopDate}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: accountId,
    time: new Date(run.stopDate).toISOString(),
    region,
    resources: [run.executionArn],
    detail: {
      executionArn: run.executionArn,
      stateMachineArn: run.stateMachineArn,
      name: run.executionArn.split(':').pop(),
      status: run.status,
      startDate: run.startDate,
      stopDate: run.stopDate,
      input: JSON.stringify(run.input),
      output: run.output === undefined ? null : JSON.stringify(run.output),
      error: run.error ?? null,
      cause: run.cause ?? null,
    },
  };
}
