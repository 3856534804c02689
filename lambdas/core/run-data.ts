// What a workflow run keeps in its work bucket instead of its state: the plan a Distributed Map reads
// (ItemReader), the per-database results its ResultWriter writes, the full report. Between states only
// a RunDataRef and a summary travel, so neither payload nor history grows with the fleet.
import { z } from 'zod';

/** Where one run's data lives: `runs/<workflow>/<day>/<execution name>/` in the work bucket. */
export interface RunDataRef {
  bucket: string;
  /** Key prefix ending in '/'. */
  prefix: string;
  /** The plan's key: a JSON array, one item per database (the Distributed Map's item source). */
  planKey: string;
  /**
   * Where the workflow's Distributed Map's ResultWriter writes: a fixed prefix per workflow (the ASL's
   * ResultWriter Prefix), under which Step Functions puts each map run in its own `<map run id>/`.
   */
  resultsPrefix: string;
}

export function runDataRef(bucket: string, workflow: string, executionArn: string, started: Date): RunDataRef {
  // The execution name is unique per state machine (and safe in a key: Step Functions allows no '/' in it).
  const name = executionArn.split(':').pop() ?? 'unknown';
  const prefix = `runs/${workflow}/${started.toISOString().slice(0, 10)}/${name}/`;
  return { bucket, prefix, planKey: `${prefix}plan.json`, resultsPrefix: `runs/${workflow}/map-results` };
}

/** Reads and writes JSON run data (lambdas/aws/s3-run-data.ts). */
export interface RunDataStore {
  putJson(bucket: string, key: string, value: unknown): Promise<void>;
  getJson(bucket: string, key: string): Promise<unknown>;
}

// The ResultWriter's manifest and result files ("ResultWriter (Map)", AWS Step Functions Developer
// Guide): the manifest lists result files per status; each file is a JSON array of child executions
// with their Input and Output as JSON strings, or Error and Cause when they failed.
const manifestSchema = z.object({
  DestinationBucket: z.string(),
  MapRunArn: z.string(),
  ResultFiles: z.object({
    SUCCEEDED: z.array(z.object({ Key: z.string() })).default([]),
    FAILED: z.array(z.object({ Key: z.string() })).default([]),
    PENDING: z.array(z.object({ Key: z.string() })).default([]),
  }),
});
const childExecutionSchema = z.object({
  ExecutionArn: z.string().optional(),
  Status: z.string(),
  Input: z.string().optional(),
  Output: z.string().optional(),
  Error: z.string().nullish(),
  Cause: z.string().nullish(),
});

export interface MapResults {
  /** The parsed Output of every child execution that succeeded. */
  outputs: unknown[];
  /** Child executions that failed, timed out or were aborted (their items got no result). */
  failedChildren: { executionArn?: string; status: string; error?: string; cause?: string; input?: unknown }[];
}

/** All results of one Distributed Map run, from the ResultWriter's manifest at `bucket`/`manifestKey`. */
export async function readMapResults(store: RunDataStore, bucket: string, manifestKey: string): Promise<MapResults> {
  const manifest = manifestSchema.parse(await store.getJson(bucket, manifestKey));
  const read = async (files: { Key: string }[]) => (await Promise.all(files.map(async (f) => z.array(childExecutionSchema).parse(await store.getJson(manifest.DestinationBucket, f.Key))))).flat();
  const [succeeded, failed, pending] = await Promise.all([read(manifest.ResultFiles.SUCCEEDED), read(manifest.ResultFiles.FAILED), read(manifest.ResultFiles.PENDING)]);
  const parse = (text: string | undefined) => (text === undefined ? undefined : (JSON.parse(text) as unknown));
  return {
    outputs: succeeded.map((c) => parse(c.Output)),
    failedChildren: [...failed, ...pending].map((c) => ({ executionArn: c.ExecutionArn, status: c.Status, error: c.Error ?? undefined, cause: c.Cause ?? undefined, input: parse(c.Input) })),
  };
}
