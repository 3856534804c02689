import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { VerificationReport } from '../drill/drill-report.js';

import { METRIC_NAMESPACE } from '../core/metrics.js';

/** Where reports and metrics go; S3 and CloudWatch in AWS. */
export interface ReportSinks {
  store(key: string, report: VerificationReport): Promise<void>;
  publishMetrics(report: VerificationReport): Promise<void>;
}

export class AwsReportSinks implements ReportSinks {
  private readonly s3: S3Client;
  private readonly cloudwatch: CloudWatchClient;

  constructor(
    private readonly bucket: string,
    region: string,
  ) {
    this.s3 = new S3Client({ region, maxAttempts: 5 });
    this.cloudwatch = new CloudWatchClient({ region, maxAttempts: 5 });
  }

  async store(key: string, report: VerificationReport): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: JSON.stringify(report, null, 2), ContentType: 'application/json' }),
    );
  }

  async publishMetrics(report: VerificationReport): Promise<void> {
    const dims = [
      { Name: 'Database', Value: report.database },
      { Name: 'Region', Value: report.region },
    ];
    const at = new Date(report.reportedAt);
    const data = [{ MetricName: 'VerificationPassed', Dimensions: dims, Value: report.passed ? 1 : 0, Unit: 'Count' as const, Timestamp: at }];
    if (report.restoreSeconds !== undefined) {
      data.push({ MetricName: 'RestoreSeconds', Dimensions: dims, Value: report.restoreSeconds, Unit: 'Seconds' as never, Timestamp: at });
    }
    await this.cloudwatch.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: data }));
  }
}
