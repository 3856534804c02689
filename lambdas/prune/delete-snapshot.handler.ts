import { logger, withLogKeys } from '../aws/logger.js';
import { RdsSnapshotReader, deleteSnapshot } from '../aws/rds-snapshots.js';
import { sourceDatabaseOf, type SnapshotKind } from '../core/snapshots.js';
import { refusalReason } from './delete-recheck.js';

const reader = new RdsSnapshotReader();

export interface DeleteSnapshotEvent {
  region: string;
  kind: SnapshotKind;
  snapshotId: string;
  /** Why the plan deletes it (logged); the run's plan in S3 holds every decision's full reasons. */
  reason?: string;
  executionArn: string;
}

export interface DeleteOutcome {
  region: string;
  snapshotId: string;
  outcome: 'deleted' | 'already gone' | 'refused';
  detail: string;
}

/** Deletes one planned snapshot after re-checking it, logging who/what/why. */
export async function handler(input: DeleteSnapshotEvent): Promise<DeleteOutcome> {
  const event = { ...input, reason: input.reason ?? 'expired under the retention policy' };
  withLogKeys({ executionArn: event.executionArn, snapshotId: event.snapshotId });
  const current = await reader.describe(event.region, event.kind, event.snapshotId);
  if (current) logger.appendKeys({ db: sourceDatabaseOf(current) });
  if (!current) {
    logger.info('snapshot already gone', { region: event.region, why: event.reason });
    return { region: event.region, snapshotId: event.snapshotId, outcome: 'already gone', detail: 'not found' };
  }
  const refusal = refusalReason(current);
  if (refusal) {
    logger.warn('deletion refused at the last check', { region: event.region, refusal, planned: event.reason });
    return { region: event.region, snapshotId: event.snapshotId, outcome: 'refused', detail: refusal };
  }
  const outcome = await deleteSnapshot(event.region, event.kind, event.snapshotId);
  logger.warn('snapshot deleted', { who: `rds-dr prune ${event.executionArn}`, what: current.arn, why: event.reason, region: event.region, outcome });
  // Every deletion's outcome is collected into one Map output (at most 256 KiB in Step Functions): the
  // reason is logged above and kept in the plan in S3, so a deletion carries no text of its own.
  return { region: event.region, snapshotId: event.snapshotId, outcome, detail: '' };
}
