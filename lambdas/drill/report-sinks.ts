// Where a drill's report and metrics go: the reports bucket and CloudWatch, in the drill's region.
import { putMetrics } from '../aws/metrics.js';
import type { Metric } from '../core/metrics.js';
import { S3Reports } from '../aws/reports.js';
import type { VerificationReport } from './drill-report.js';

export interface ReportSinks {
  store(key: string, report: VerificationReport): Promise<void>;
  publishMetrics(report: VerificationReport): Promise<void>;
}

/** VerificationPassed (and RestoreSeconds, the measured RTO) per database and region. */
export function drillMetrics(report: VerificationReport): Metric[] {
  const dimensions = { Database: report.database, Region: report.region };
  const timestamp = new Date(report.reportedAt);
  const metrics: Metric[] = [{ name: 'VerificationPassed', dimensions, value: report.passed ? 1 : 0, unit: 'Count', timestamp }];
  if (report.restoreSeconds !== undefined) metrics.push({ name: 'RestoreSeconds', dimensions, value: report.restoreSeconds, unit: 'Seconds', timestamp });
  return metrics;
}

export class AwsReportSinks implements ReportSinks {
  private readonly reports: S3Reports;

  constructor(
    bucket: string,
    private readonly region: string,
  ) {
    this.reports = new S3Reports(region, bucket);
  }

  async store(key: string, report: VerificationReport): Promise<void> {
    await this.reports.put(key, JSON.stringify(report, null, 2));
  }

  async publishMetrics(report: VerificationReport): Promise<void> {
    await putMetrics(this.region, drillMetrics(report));
  }
}
