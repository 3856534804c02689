// One planned deletion, with the checks that make it safe to carry out minutes after the plan: a
// fresh Describe and the last check (delete-recheck.ts); a snapshot already gone counts as deleted,
// so a batch that runs twice deletes nothing twice. Any error ends this deletion only, as "failed".
import { logger } from '../aws/logger.js';
import { sourceDatabaseOf, type SnapshotInfo, type SnapshotKind } from '../core/snapshots.js';
import { refusalReason } from './delete-recheck.js';
import type { PlannedDeletion } from './prune-plan.js';
import type { DeletionOutcome } from './prune-summary.js';

/** What a failed deletion's detail keeps of the error (a batch's outcomes stay a few KB). */
export const MAX_DETAIL_CHARS = 300;

export interface SnapshotDeleter {
  describe(region: string, kind: SnapshotKind, id: string): Promise<SnapshotInfo | undefined>;
  delete(region: string, kind: SnapshotKind, id: string): Promise<'deleted' | 'already gone'>;
}

/** Re-checks and deletes one planned snapshot, logging who/what/why; never throws. */
export async function deletePlannedSnapshot(deletion: PlannedDeletion, executionArn: string, rds: SnapshotDeleter): Promise<DeletionOutcome> {
  const { region, kind, snapshotId } = deletion;
  const why = deletion.reason || 'expired under the retention policy';
  const outcome = (o: DeletionOutcome['outcome'], detail = ''): DeletionOutcome => ({ region, snapshotId, outcome: o, detail: detail.slice(0, MAX_DETAIL_CHARS) });
  try {
    const current = await rds.describe(region, kind, snapshotId);
    if (!current) {
      logger.info('snapshot already gone', { region, snapshotId, why });
      return outcome('already gone', 'not found');
    }
    const refusal = refusalReason(current);
    if (refusal) {
      logger.warn('deletion refused at the last check', { region, snapshotId, db: sourceDatabaseOf(current), refusal, planned: why });
      return outcome('refused', refusal);
    }
    const result = await rds.delete(region, kind, snapshotId);
    logger.warn('snapshot deleted', { who: `rds-dr prune ${executionArn}`, what: current.arn, why, region, db: sourceDatabaseOf(current), outcome: result });
    return outcome(result);
  } catch (err) {
    const e = err as Error;
    logger.error('deletion failed', { region, snapshotId, error: e.name, detail: e.message });
    return outcome('failed', `${e.name}: ${e.message}`);
  }
}
