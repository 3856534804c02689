// Distributed Map states for the local runner. aws-local-stepfunctions runs only inline Map states, so
// each `"ProcessorConfig": {"Mode": "DISTRIBUTED"}` Map is run here as Step Functions documents it
// ("Using Map state in Distributed mode", "ItemReader", "ItemBatcher", "ResultWriter", AWS Step Functions
// Developer Guide):
// - items come from ItemReader (an S3 object holding a JSON array: `arn:aws:states:::s3:getObject`
//   with `ReaderConfig.InputType` JSON) or from ItemsPath, read with the state machine's role;
// - ItemSelector shapes each item (`$$.Map.Item.Value`, `$$.Map.Item.Index`, `$` the state input);
//   ItemBatcher groups them (`MaxItemsPerBatch`, `BatchInput`) into `{ "BatchInput", "Items" }`;
// - every item or batch is a child workflow execution with its own history and payload quotas
//   (the runner's LimitWatch applies to each child as to any execution), at most MaxConcurrency at once;
// - ToleratedFailurePercentage / ToleratedFailureCount bound failed children, past them the state fails
//   with States.ExceedToleratedFailureThreshold;
// - ResultWriter (`arn:aws:states:::s3:putObject`) writes the children's results to
//   `<Prefix>/<map run id>/` — SUCCEEDED_0.json / FAILED_0.json (JSON arrays of executions, the default
//   NONE transformation: ExecutionArn, Input, Output, Status, Error, Cause as strings) and manifest.json
//   ({ DestinationBucket, MapRunArn, ResultFiles: { SUCCEEDED, FAILED, PENDING: [{ Key, Size }] } }) —
//   and the state's result is `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`; without it, the
//   array of the children's outputs.
// The engine sees the Map as a Task whose handler is this function, so InputPath, ResultSelector,
// ResultPath, OutputPath, Retry and Catch keep their meaning.

import { SdkTaskError } from './sdk-bridge.js';
import type { WorkflowRun } from './workflow-runner.js';

export interface DistributedMapDef {
  Type: 'Map';
  ItemProcessor: { ProcessorConfig?: { Mode?: string; ExecutionType?: string }; StartAt: string; States: Record<string, unknown> };
  ItemReader?: { Resource: string; ReaderConfig?: { InputType?: string; MaxItems?: number }; Parameters?: Record<string, unknown> };
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  ItemBatcher?: { MaxItemsPerBatch?: number; MaxItemsPerBatchPath?: string; BatchInput?: Record<string, unknown> };
  ResultWriter?: { Resource: string; Parameters: Record<string, unknown> };
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number;
  ToleratedFailureCount?: number;
  Label?: string;
  [field: string]: unknown;
}

export function isDistributedMap(state: { Type: string; ItemProcessor?: { ProcessorConfig?: { Mode?: string } } }): state is DistributedMapDef {
  return state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/** Fields of a Map state that a Task state keeps with the same meaning. */
const TASK_FIELDS = ['Comment', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'Retry', 'Catch', 'Next', 'End'];

/** The Task the engine runs in place of a Distributed Map (its handler is `runDistributedMap`). */
export function asTaskState(state: DistributedMapDef): Record<string, unknown> {
  // A Map state has no timeout of its own (the execution's TimeoutSeconds bounds it); the engine would
  // give a Task 60 seconds. 2,000,000 s stays within the engine's setTimeout (at most 2^31 - 1 ms).
  const task: Record<string, unknown> = { Type: 'Task', Resource: 'arn:aws:states:::local:distributedMap', TimeoutSeconds: 2_000_000 };
  for (const field of TASK_FIELDS) if (field in state) task[field] = state[field];
  return task;
}

type Context = { input: unknown; item?: { Value: unknown; Index: number }; executionId: string };

/** `$`, `$.a.b`, `$$.Map.Item.Value(.a)`, `$$.Map.Item.Index`, `$$.Execution.Id`: the paths the workflows use. */
export function valueAtPath(path: string, ctx: Context): unknown {
  const walk = (root: unknown, rest: string) =>
    rest
      .split('.')
      .filter(Boolean)
      .reduce<unknown>((node, key) => {
        if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`States.Runtime: path ${path} does not exist in the input`);
        return (node as Record<string, unknown>)[key];
      }, root);
  if (path === '$' || path.startsWith('$.')) return walk(ctx.input, path.slice(1));
  if (path.startsWith('$$.Map.Item.Value')) {
    if (!ctx.item) throw new Error(`${path}: only inside ItemSelector`);
    return walk(ctx.item.Value, path.slice('$$.Map.Item.Value'.length));
  }
  if (path === '$$.Map.Item.Index') {
    if (!ctx.item) throw new Error(`${path}: only inside ItemSelector`);
    return ctx.item.Index;
  }
  if (path === '$$.Execution.Id') return ctx.executionId;
  throw new Error(`local runner: path ${path} is not supported in a Distributed Map field`);
}

/** A Parameters-style template: `"field.$": "<path>"` takes the value at the path; nested objects likewise. */
export function resolveTemplate(template: unknown, ctx: Context): unknown {
  if (Array.isArray(template)) return template.map((t) => resolveTemplate(t, ctx));
  if (template === null || typeof template !== 'object') return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith('.$') ? [key.slice(0, -2), valueAtPath(String(value), ctx)] : [key, resolveTemplate(value, ctx)],
    ),
  );
}

/** A child execution, as the runner reports it (workflow-runner.ts WorkflowRun) with its name in the Map Run. */
export type ChildRun = Pick<WorkflowRun, 'executionArn' | 'status' | 'input' | 'output' | 'error' | 'cause' | 'startDate' | 'stopDate'> & { name: string };

export interface DistributedMapPorts {
  /** The state machine (role) running the Map reads the item source and writes results with these. */
  readObject(bucket: string, key: string): Promise<string>;
  writeObject(bucket: string, key: string, body: string): Promise<void>;
  /** Runs one child workflow execution of the ItemProcessor. */
  runChild(machine: DistributedMapDef['ItemProcessor'], input: unknown, name: string): Promise<ChildRun>;
}

async function readItems(state: DistributedMapDef, ctx: Context, ports: DistributedMapPorts): Promise<unknown[]> {
  if (!state.ItemReader) {
    const items = valueAtPath(state.ItemsPath ?? '$', ctx);
    if (!Array.isArray(items)) throw new SdkTaskError('States.Runtime', `ItemsPath ${state.ItemsPath ?? '$'} is not an array`);
    return items;
  }
  const reader = state.ItemReader;
  if (reader.Resource !== 'arn:aws:states:::s3:getObject' || reader.ReaderConfig?.InputType !== 'JSON') {
    throw new Error(`local runner: ItemReader ${reader.Resource} ${reader.ReaderConfig?.InputType ?? ''} is not supported (S3 JSON only)`);
  }
  const { Bucket, Key } = resolveTemplate(reader.Parameters ?? {}, ctx) as { Bucket: string; Key: string };
  const body = await ports.readObject(Bucket, Key);
  const parsed = JSON.parse(body) as unknown;
  if (!Array.isArray(parsed)) throw new SdkTaskError('States.ItemReaderFailed', `s3://${Bucket}/${Key} does not hold a JSON array`);
  return reader.ReaderConfig.MaxItems ? parsed.slice(0, reader.ReaderConfig.MaxItems) : parsed;
}

function childInputs(state: DistributedMapDef, items: unknown[], ctx: Context): unknown[] {
  const selected = items.map((Value, Index) => (state.ItemSelector ? resolveTemplate(state.ItemSelector, { ...ctx, item: { Value, Index } }) : Value));
  if (!state.ItemBatcher) return selected;
  const size = state.ItemBatcher.MaxItemsPerBatchPath ? Number(valueAtPath(state.ItemBatcher.MaxItemsPerBatchPath, ctx)) : state.ItemBatcher.MaxItemsPerBatch;
  if (!size || size < 1) throw new SdkTaskError('States.Runtime', 'ItemBatcher needs MaxItemsPerBatch >= 1');
  const batchInput = state.ItemBatcher.BatchInput ? resolveTemplate(state.ItemBatcher.BatchInput, ctx) : undefined;
  const batches: unknown[] = [];
  for (let i = 0; i < selected.length; i += size) {
    batches.push({ ...(batchInput === undefined ? {} : { BatchInput: batchInput }), Items: selected.slice(i, i + size) });
  }
  return batches;
}

async function inPool<T, R>(items: T[], concurrency: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/** Runs one Distributed Map state on `input` (its effective input) inside execution `executionArn`. */
export async function runDistributedMap(state: DistributedMapDef, stateName: string, input: unknown, executionArn: string, ports: DistributedMapPorts): Promise<unknown> {
  const ctx: Context = { input, executionId: executionArn };
  const items = await readItems(state, ctx, ports);
  const inputs = childInputs(state, items, ctx);
  const declared = state.MaxConcurrencyPath ? Number(valueAtPath(state.MaxConcurrencyPath, ctx)) : (state.MaxConcurrency ?? 0);
  // 0 means no limit (up to 10,000 child executions at once in AWS); locally a few hundred at once is plenty.
  const concurrency = declared > 0 ? declared : 500;
  const [, , , region, account, , machineName, executionName] = executionArn.split(':');
  const mapRunId = `${executionName.slice(0, 40)}-${Math.random().toString(36).slice(2, 10)}`;
  const mapRunArn = `arn:aws:states:${region}:${account}:mapRun:${machineName}/${stateName}:${mapRunId}`;
  const children = await inPool(inputs, concurrency, (childInput, index) => ports.runChild(state.ItemProcessor, childInput, `${mapRunId}:${index}`));

  const failed = children.filter((c) => c.status !== 'SUCCEEDED');
  const toleratedCount = state.ToleratedFailureCount ?? 0;
  const toleratedPercent = state.ToleratedFailurePercentage ?? 0;
  const failedPercent = children.length ? (failed.length * 100) / children.length : 0;
  let writerOutput: unknown;
  if (state.ResultWriter) writerOutput = await writeResults(state.ResultWriter, ctx, mapRunArn, mapRunId, children, ports);
  if (failed.length > toleratedCount && failedPercent > toleratedPercent) {
    throw new SdkTaskError(
      'States.ExceedToleratedFailureThreshold',
      `The specified tolerated failure threshold was exceeded: ${failed.length} of ${children.length} child executions failed (first: ${failed[0].error ?? failed[0].status}: ${failed[0].cause ?? ''})`.slice(0, 32_768),
    );
  }
  return writerOutput ?? children.map((c) => c.output ?? null);
}

async function writeResults(
  writer: NonNullable<DistributedMapDef['ResultWriter']>,
  ctx: Context,
  mapRunArn: string,
  mapRunId: string,
  children: ChildRun[],
  ports: DistributedMapPorts,
): Promise<unknown> {
  if (writer.Resource !== 'arn:aws:states:::s3:putObject') throw new Error(`local runner: ResultWriter ${writer.Resource} is not supported`);
  const { Bucket, Prefix } = resolveTemplate(writer.Parameters, ctx) as { Bucket: string; Prefix?: string };
  const base = `${Prefix ? `${Prefix.replace(/\/$/, '')}/` : ''}${mapRunId}`;
  const asRecord = (c: ChildRun) => ({
    ExecutionArn: c.executionArn,
    Name: c.name,
    StateMachineArn: mapRunArn,
    Status: c.status,
    StartDate: new Date(c.startDate).toISOString(),
    StopDate: new Date(c.stopDate).toISOString(),
    Input: JSON.stringify(c.input),
    InputDetails: { Included: true },
    ...(c.status === 'SUCCEEDED' ? { Output: JSON.stringify(c.output ?? null), OutputDetails: { Included: true } } : { Error: c.error, Cause: c.cause }),
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
  });
  const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const records = children.filter((c) => (status === 'SUCCEEDED' ? c.status === 'SUCCEEDED' : c.status !== 'SUCCEEDED')).map(asRecord);
    if (!records.length) continue;
    const key = `${base}/${status}_0.json`;
    const body = JSON.stringify(records);
    await ports.writeObject(Bucket, key, body);
    files[status].push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${base}/manifest.json`;
  await ports.writeObject(Bucket, manifestKey, JSON.stringify({ DestinationBucket: Bucket, MapRunArn: mapRunArn, ResultFiles: files }));
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket, Key: manifestKey } };
}
