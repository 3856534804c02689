import { logger, withLogKeys } from '../aws/logger.js';
import { RdsSnapshotReader } from '../aws/rds-snapshots.js';
import { readSettings } from '../core/settings.js';
import type { SnapshotKind } from '../core/snapshots.js';
import { evaluatePoll, type PollRequest, type PollResult } from './snapshot-poll.js';

const settings = readSettings();
const reader = new RdsSnapshotReader();

export interface SnapshotStatusEvent extends PollRequest {
  kind: SnapshotKind;
  executionArn?: string;
}

/** One Describe of a Wait -> Describe -> Choice loop, in the primary region (source) or the DR region (copy). */
export async function handler(event: SnapshotStatusEvent): Promise<PollResult> {
  withLogKeys({ executionArn: event.executionArn, db: event.dbId, snapshotId: event.snapshotId });
  const region = event.location === 'source' ? settings.primaryRegion : settings.drRegion;
  const observed = await reader.describe(region, event.kind, event.snapshotId);
  const result = evaluatePoll(observed, event, new Date());
  logger.info('snapshot polled', { region, location: event.location, status: result.status, available: result.available, waitSeconds: result.waitSeconds });
  return result;
}
