import { logger, withLogKeys } from '../aws/logger.js';
import { RdsSnapshotReader, deleteSnapshot } from '../aws/rds-snapshots.js';
import { inPacedOrder, realPacing } from './paced-batch.js';
import type { PlannedDeletion } from './prune-plan.js';
import type { DeletionOutcome } from './prune-summary.js';
import { deletePlannedSnapshot, type SnapshotDeleter } from './snapshot-deletion.js';

const reader = new RdsSnapshotReader();
const rds: SnapshotDeleter = { describe: (region, kind, id) => reader.describe(region, kind, id), delete: deleteSnapshot };

/** One child execution's input from the deletions' Distributed Map (its ItemBatcher). */
export interface DeletionBatch {
  BatchInput: {
    executionArn: string;
    /** The batch's pace (lambdas/core/deletion-pace.ts), from the plan. */
    deletionIntervalMs: number;
  };
  Items: PlannedDeletion[];
}

/**
 * Deletes one batch of planned snapshots, one at a time at the plan's pace; one small outcome per
 * deletion, in order. A deletion that fails is an outcome, not an error: the report counts it.
 */
export async function handler(batch: DeletionBatch): Promise<DeletionOutcome[]> {
  withLogKeys({ executionArn: batch.BatchInput.executionArn });
  const outcomes = await inPacedOrder(batch.Items, realPacing(batch.BatchInput.deletionIntervalMs), (d) => deletePlannedSnapshot(d, batch.BatchInput.executionArn, rds));
  const failed = outcomes.filter((o) => o.outcome === 'failed').length;
  logger[failed ? 'error' : 'info']('deletion batch done', { deletions: outcomes.length, failed, intervalMs: batch.BatchInput.deletionIntervalMs });
  return outcomes;
}
