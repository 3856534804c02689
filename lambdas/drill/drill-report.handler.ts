import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { buildReport, failureLines, reportKey, warningLines, type BranchOutcome, type DrillBranch } from './drill-report.js';
import { AwsReportSinks } from './report-sinks.js';

const settings = readSettings(['verification']);
/** Warnings a branch's outcome carries (it passes through the Distributed Map's results); the report has them all. */
const MAX_WARNINGS = 10;
const region = settings.verification?.region ?? settings.drRegion;
const sinks = new AwsReportSinks(settings.verification?.reportsBucket ?? '', region);

/** Last state of each drill branch: record the verdict; the summary decides the execution's fate. */
export async function handler(event: { branch: DrillBranch }): Promise<BranchOutcome> {
  const { item } = event.branch;
  withLogKeys({ executionArn: event.branch.executionArn, db: item.db, snapshotId: item.snapshotId, restoreId: item.restoreId });
  const report = buildReport(event.branch, region, new Date().toISOString());
  const key = reportKey(report);
  await sinks.store(key, report);
  await sinks.publishMetrics(report);
  logger[report.passed ? 'info' : 'error']('verification report', { report, reportKey: key });
  const warnings = warningLines(report);
  return {
    db: item.db,
    passed: report.passed,
    failures: failureLines(report),
    reportKey: key,
    restoreSeconds: report.restoreSeconds,
    cleanup: report.throwaway.cleanup,
    ...(warnings.length ? { warnings: warnings.slice(0, MAX_WARNINGS) } : {}),
  };
}
