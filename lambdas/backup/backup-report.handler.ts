import { logger, withLogKeys } from '../aws/logger.js';
import { summarizeBackup, type BackupReport, type DatabaseResult, type MissingDatabase } from './backup-summary.js';

export interface BackupReportEvent {
  policy: string;
  slot: string;
  executionArn: string;
  missing: MissingDatabase[];
  results: DatabaseResult[];
  /** PITR readiness of the run's databases (check-pitr-readiness), or the check's own error; reported, never a failure. */
  pitr?: unknown;
}

/** Last step of the backup workflow: one verdict, one log line per database. */
export async function handler(event: BackupReportEvent): Promise<BackupReport & { pitr?: unknown }> {
  withLogKeys({ executionArn: event.executionArn });
  const report = summarizeBackup(event);
  for (const ok of report.succeeded) {
    logger.info('database backed up', { db: ok.db, snapshotId: ok.snapshotId, snapshotArn: ok.snapshotArn, copyArn: ok.copyArn, seconds: ok.seconds });
  }
  for (const warning of report.warnings) logger.warn('DR copy falls short', { warning });
  for (const bad of report.failed) {
    logger.error('database backup failed', { db: bad.db, error: bad.error, cause: bad.cause });
  }
  logger.info('backup run finished', { policy: report.policy, slot: report.slot, failedCount: report.failedCount });
  return event.pitr === undefined ? report : { ...report, pitr: event.pitr };
}
