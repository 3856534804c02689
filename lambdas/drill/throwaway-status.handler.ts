import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { readSettings } from '../core/settings.js';
import { RdsRestoredDatabaseReader } from '../aws/rds-restored-database.js';
import { evaluateRestorePoll, type RestorePollRequest, type RestorePollResult } from '../core/restore-poll.js';

const settings = readSettings(['verification']);
const region = settings.verification?.region ?? settings.drRegion;
const reader = new RdsRestoredDatabaseReader(awsClients.rds(region));

export interface RestoreStatusEvent extends RestorePollRequest {
  kind: 'instance' | 'cluster';
  /** The cluster's single instance, created by the drill next to the restored cluster. */
  memberId: string;
  executionArn?: string;
}

/** One Describe of the restore / credentials wait loop of a drill. */
export async function handler(event: RestoreStatusEvent): Promise<RestorePollResult> {
  withLogKeys({ executionArn: event.executionArn, db: event.db, restoreId: event.restoreId });
  const observed = await reader.read(event.kind, event.restoreId, event.kind === 'cluster' ? event.memberId : undefined);
  const result = evaluateRestorePoll(observed, event, new Date());
  logger.info('throwaway polled', { phase: event.phase, status: result.status, available: result.available, waitSeconds: result.waitSeconds });
  return result;
}
