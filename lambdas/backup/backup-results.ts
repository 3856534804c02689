// A backup run's outcomes, gathered from where its Distributed Map left them: the ResultWriter's files
// (one array of outcomes per batch) and, for a batch whose child execution failed outright, its items.
import { readMapResults, type RunDataRef, type RunDataStore } from '../core/run-data.js';
import type { BatchStart, DatabaseOutcome } from './batch-state.js';
import { missingKey } from './backup-run.js';
import type { MissingDatabase } from './backup-summary.js';

export interface MapRunOutput {
  MapRunArn?: string;
  ResultWriterDetails?: { Bucket: string; Key: string };
}

export async function gatherOutcomes(store: RunDataStore, runData: RunDataRef, map: MapRunOutput): Promise<{ results: DatabaseOutcome[]; missing: MissingDatabase[] }> {
  const missing = (await store.getJson(runData.bucket, missingKey(runData))) as MissingDatabase[];
  if (!map.ResultWriterDetails) return { results: [], missing };
  const { outputs, failedChildren } = await readMapResults(store, map.ResultWriterDetails.Bucket, map.ResultWriterDetails.Key);
  const results = outputs.flatMap((o) => (Array.isArray(o) ? (o as DatabaseOutcome[]) : []));
  for (const child of failedChildren) {
    const items = (child.input as Partial<BatchStart> | undefined)?.Items ?? [];
    for (const db of items) {
      results.push({ db: db.id, kind: db.kind, status: 'FAILED', snapshotId: db.snapshotId, error: child.error ?? `rds-dr.Batch${child.status}`, cause: `its batch execution ended ${child.status}: ${child.cause ?? 'no cause recorded'}` });
    }
  }
  return { results, missing };
}
