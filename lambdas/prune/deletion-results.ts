// Every deletion's outcome, from the deletions' Distributed Map results in the work bucket: each
// succeeded batch returned its outcomes; a batch whose child execution failed (timed out, or its
// Lambda kept failing) deleted an unknown part of its items, so each of them is counted as failed,
// with the batch's error, and the next run (idempotent: already gone counts as deleted) finishes them.
import { z } from 'zod';
import { readMapResults, type RunDataStore } from '../core/run-data.js';
import type { DeletionOutcome } from './prune-summary.js';
import { MAX_DETAIL_CHARS } from './snapshot-deletion.js';

const outcomesSchema = z.array(
  z.object({ region: z.string(), snapshotId: z.string(), outcome: z.enum(['deleted', 'already gone', 'refused', 'failed']), detail: z.string() }),
);
const batchInputSchema = z.object({ Items: z.array(z.object({ region: z.string(), snapshotId: z.string() })) });

export async function readDeletionOutcomes(store: RunDataStore, bucket: string, manifestKey: string): Promise<DeletionOutcome[]> {
  const { outputs, failedChildren } = await readMapResults(store, bucket, manifestKey);
  const done = outputs.flatMap((output) => outcomesSchema.parse(output));
  const lost = failedChildren.flatMap((child) => {
    const batch = batchInputSchema.safeParse(child.input);
    // Without its input the batch's items cannot be named: the report counts them as without outcome.
    if (!batch.success) return [];
    const detail = `its batch ${child.status}: ${child.error ?? 'unknown error'}: ${child.cause ?? ''}`.slice(0, MAX_DETAIL_CHARS);
    return batch.data.Items.map((d): DeletionOutcome => ({ region: d.region, snapshotId: d.snapshotId, outcome: 'failed', detail }));
  });
  return [...done, ...lost];
}
