// How fast the prune deletes. Its deletions run as batches (child executions of a Distributed Map),
// up to MaxConcurrency at once, each deleting its snapshots one after the other. RDS allows an
// account a sustained 12 API requests per second per region, shared by every tool ("Request
// throttling for the Amazon RDS API", Amazon RDS User Guide), so the whole prune spends at most a
// configured budget of them: each batch gets budget / MaxConcurrency, one deletion every interval.
// The budget is counted as if every deletion were in one region (they are split over two).

/** RDS requests one deletion makes: the fresh Describe of the last check, then the Delete. */
export const RDS_REQUESTS_PER_DELETION = 2;
/** Most deletions one batch (one child execution, one Lambda invocation) carries. */
export const MAX_DELETIONS_PER_BATCH = 100;
/**
 * Time one batch spends on its paced deletions: at most a third of the batch Lambda's timeout
 * (lib/prune), the rest is room for slow calls and the SDK's throttling retries.
 */
export const BATCH_PACED_SECONDS = 300;
/** The batch Lambda's timeout. */
export const BATCH_TIMEOUT_SECONDS = 3 * BATCH_PACED_SECONDS;
/**
 * What a run may spend deleting: the prune execution times out after 6 hours (TimeoutSeconds in
 * state-machines/prune.asl.json); planning and the report take minutes of the rest.
 */
export const PRUNE_DELETION_SECONDS_BUDGET = 5 * 3600;

export interface DeletionPace {
  /** Batches at once (the Distributed Map's MaxConcurrency). */
  maxConcurrency: number;
  /** Deletions per batch (the ItemBatcher's MaxItemsPerBatch). */
  deletionsPerBatch: number;
  /** Milliseconds between the starts of two deletions in one batch. */
  deletionIntervalMs: number;
}

/** The pace that keeps all batches together within `rdsRequestsPerSecond`. */
export function deletionPace(rdsRequestsPerSecond: number, maxConcurrency: number): DeletionPace {
  // Per batch: budget / MaxConcurrency requests per second, RDS_REQUESTS_PER_DELETION per deletion.
  const deletionIntervalMs = Math.ceil((RDS_REQUESTS_PER_DELETION * 1000 * maxConcurrency) / rdsRequestsPerSecond);
  const deletionsPerBatch = Math.max(1, Math.min(MAX_DELETIONS_PER_BATCH, Math.floor((BATCH_PACED_SECONDS * 1000) / deletionIntervalMs)));
  return { maxConcurrency, deletionsPerBatch, deletionIntervalMs };
}

/** Seconds `deletions` take at the budget, however they are batched. */
export function deletionSeconds(deletions: number, rdsRequestsPerSecond: number): number {
  return (deletions * RDS_REQUESTS_PER_DELETION) / rdsRequestsPerSecond;
}
