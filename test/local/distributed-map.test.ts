// The local runner runs Distributed Map states as Step Functions does: items from S3, batches as child
// executions with their own quotas, results written back to S3, failures tolerated up to the threshold.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTaskState, type DistributedMapDef } from './distributed-map.js';
import { inlineWorkflows } from './inline-workflow.js';
import { motoClientConfig, startMoto, useMotoForSdk, type Moto } from './moto.js';

const { asl, run } = inlineWorkflows('dmap');
const BUCKET = 'dmap-work';
let moto: Moto;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  useMotoForSdk(moto, 'us-east-1');
  s3 = new S3Client({ ...motoClientConfig(moto, 'us-east-1'), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 90_000);
afterAll(async () => moto?.stop());

const getJson = async (key: string) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString());

function fanOut(extra: object = {}, processor: object = {}) {
  return {
    StartAt: 'Plan',
    States: {
      Plan: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:plan', Next: 'EachBatch' },
      EachBatch: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' } },
        ItemSelector: { 'db.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index' },
        ItemBatcher: { MaxItemsPerBatch: 50, BatchInput: { 'run.$': '$.run' } },
        MaxConcurrency: 4,
        ToleratedFailurePercentage: 100,
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: BUCKET, 'Prefix.$': '$.run' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true }, ...processor },
        },
        ResultPath: '$.map',
        End: true,
        ...extra,
      },
    },
  };
}

async function putPlan(key: string, n: number) {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: `db-${i}` }))) }));
}

describe('Distributed Map in the local runner', () => {
  it('reads 1,000 items from S3, runs them as 20 batches of 50 with at most MaxConcurrency at once, and writes the results to S3', async () => {
    await putPlan('plans/a.json', 1_000);
    let running = 0;
    let peak = 0;
    const result = await run(asl('fan', fanOut()), {
      plan: async () => ({ bucket: BUCKET, key: 'plans/a.json', run: 'run-a' }),
      work: async (batch: { BatchInput: { run: string }; Items: { db: string; index: number }[] }) => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return batch.Items.map((i) => ({ db: i.db, index: i.index, run: batch.BatchInput.run }));
      },
    } as never);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.children).toHaveLength(20);
    expect(peak).toBeLessThanOrEqual(4);
    const { ResultWriterDetails: details, MapRunArn } = (result.output as { map: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } }).map;
    expect(MapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:dmap\/EachBatch:/);
    expect(details.Key).toMatch(/^run-a\/.+\/manifest\.json$/);
    const manifest = await getJson(details.Key);
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    const succeeded = (await Promise.all(manifest.ResultFiles.SUCCEEDED.map((f: { Key: string }) => getJson(f.Key)))).flat();
    expect(succeeded).toHaveLength(20);
    const items = succeeded.flatMap((r: { Output: string; Status: string }) => (expect(r.Status).toBe('SUCCEEDED'), JSON.parse(r.Output)));
    expect(items.map((i: { db: string }) => i.db).sort()).toEqual(Array.from({ length: 1_000 }, (_, i) => `db-${i}`).sort());
    expect(new Set(items.map((i: { run: string }) => i.run))).toEqual(new Set(['run-a']));
    // The parent's history and payload do not grow with the items: the Map is a handful of events.
    expect(result.historyEvents).toBeLessThan(20);
  });

  it('fails with States.ExceedToleratedFailureThreshold past the tolerated failures, and the failed children are in FAILED_0.json', async () => {
    await putPlan('plans/b.json', 100);
    const def = fanOut({ ToleratedFailurePercentage: 10, Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], ResultPath: '$.error', Next: 'Caught' }] }) as { States: Record<string, Record<string, unknown>> };
    delete def.States.EachBatch.End;
    def.States.EachBatch.Next = 'Done';
    def.States.Caught = { Type: 'Pass', End: true };
    def.States.Done = { Type: 'Succeed' };
    const withCatch = asl('tolerate', def);
    const lambdas = (failing: string) => ({
      plan: async () => ({ bucket: BUCKET, key: 'plans/b.json', run: 'run-b' }),
      work: async (batch: { Items: { db: string }[] }) => {
        if (batch.Items.some((i) => i.db === failing)) throw new Error(`boom in ${failing}`);
        return batch.Items.length;
      },
    });
    const failed = await run(withCatch, lambdas('db-0') as never);
    expect(failed.status).toBe('SUCCEEDED');
    expect(failed.statesEntered).toContain('Caught');
    expect(JSON.stringify((failed.output as { error: unknown }).error)).toMatch(/ExceedToleratedFailureThreshold.*1 of 2 child executions failed/);
    // One failed batch of two is 50 %: over 10 %. Tolerating 100 %, the run succeeds and records the failure.
    const tolerant = await run(asl('tolerant', fanOut()), lambdas('db-99') as never);
    expect(tolerant.status).toBe('SUCCEEDED');
    const manifest = await getJson((tolerant.output as { map: { ResultWriterDetails: { Key: string } } }).map.ResultWriterDetails.Key);
    const [failedFile] = manifest.ResultFiles.FAILED;
    const [record] = await getJson(failedFile.Key);
    expect(record.Status).toBe('FAILED');
    expect(record.Cause).toMatch(/boom in db-99/);
  });

  it('gives every child execution its own history quota: a child past 25,000 events fails, its siblings do not', async () => {
    await putPlan('plans/c.json', 100);
    const looping = {
      Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', Next: 'Again?' },
      'Again?': { Type: 'Choice', Choices: [{ Variable: '$.again', BooleanEquals: true, Next: 'Work' }], Default: 'Stop' },
      Stop: { Type: 'Succeed' },
    };
    const result = await run(asl('quota', fanOut({}, looping)), {
      plan: async () => ({ bucket: BUCKET, key: 'plans/c.json', run: 'run-c' }),
      work: async (batch: { Items?: { db: string }[]; again?: boolean; first?: string }) => {
        const first = batch.first ?? batch.Items?.[0]?.db;
        return { again: first === 'db-0', first };
      },
    } as never);
    expect(result.status).toBe('SUCCEEDED');
    const [bad, good] = [result.children.find((c) => c.status === 'FAILED'), result.children.find((c) => c.status === 'SUCCEEDED')];
    expect(bad?.cause).toMatch(/history exceeded 25000 events/);
    expect(good?.historyEvents).toBeLessThan(20);
  });

  it('gives the Map no Task timeout of its own (the engine would stop a Task after 60 s; Step Functions bounds a Map only by the execution)', () => {
    const task = asTaskState(fanOut().States.EachBatch as unknown as DistributedMapDef);
    expect(task.TimeoutSeconds).toBeGreaterThanOrEqual(24 * 3600);
    // The engine's timer must hold it: setTimeout allows at most 2^31 - 1 ms.
    expect((task.TimeoutSeconds as number) * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});
