import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import { readSettings } from '../core/settings.js';
import type { RunDataRef } from '../core/run-data.js';
import { summarizeBackup } from './backup-summary.js';
import { gatherOutcomes, type MapRunOutput } from './backup-results.js';
import { backupRoute } from './backup-route.js';

const settings = readSettings();
// The work bucket is in this deployment's region, beside its state machine.
const store = new S3RunDataStore(awsClients.s3(backupRoute(settings).sourceRegion));

export interface BackupReportEvent {
  policy: string;
  slot: string;
  executionArn: string;
  runData: RunDataRef;
  /** The Distributed Map's output: where its ResultWriter put the batches' outcomes. */
  map: MapRunOutput;
  /** PITR readiness of the run's databases (check-pitr-readiness), or the check's own error; reported, never a failure. */
  pitr?: unknown;
}

/** A verdict of the same size at 10 or 10,000 databases: counts, the first names, and where the full report is. */
export interface BackupVerdict {
  policy: string;
  slot: string;
  executionArn: string;
  counts: { succeeded: number; failed: number; skipped: number; warnings: number };
  failedCount: number;
  /** The first failures (the full list is in the report). */
  failed: { db: string; kind: string; error: string; cause: string }[];
  reportKey: string;
  message: string;
  pitr?: unknown;
}

/** Last step of the backup workflow: read every batch's outcomes, keep the full report in S3, return the verdict. */
export async function handler(event: BackupReportEvent): Promise<BackupVerdict> {
  withLogKeys({ executionArn: event.executionArn });
  const { results, missing } = await gatherOutcomes(store, event.runData, event.map);
  const reportKey = `${event.runData.prefix}report.json`;
  const report = summarizeBackup({ policy: event.policy, slot: event.slot, executionArn: event.executionArn, missing, results, fullReport: `s3://${event.runData.bucket}/${reportKey}` });
  await store.putJson(event.runData.bucket, reportKey, { ...report, pitr: event.pitr });
  for (const ok of report.succeeded) {
    logger.info('database backed up', { db: ok.db, snapshotId: ok.snapshotId, snapshotArn: ok.snapshotArn, copyArn: ok.copyArn, seconds: ok.seconds });
  }
  for (const warning of report.warnings) logger.warn('backup warning', { warning });
  for (const bad of report.failed) logger.error('database backup failed', { db: bad.db, error: bad.error, cause: bad.cause });
  const counts = { succeeded: report.succeeded.length, failed: report.failedCount, skipped: report.skipped.length, warnings: report.warnings.length };
  logger.info('backup run finished', { policy: report.policy, slot: report.slot, counts, reportKey });
  return {
    policy: report.policy,
    slot: report.slot,
    executionArn: report.executionArn,
    counts,
    failedCount: report.failedCount,
    failed: report.failed.slice(0, 20),
    reportKey,
    message: report.message,
    ...(event.pitr === undefined ? {} : { pitr: event.pitr }),
  };
}
