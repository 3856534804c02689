// rds-dr's CloudWatch metrics (namespace RdsDr, to which IAM scopes PutMetricData).
import { PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { mapWithConcurrency } from '../core/concurrency.js';
import { METRIC_NAMESPACE, type Metric } from '../core/metrics.js';
import { awsClients } from './clients.js';

// PutMetricData accepts at most 1,000 metrics per call (and 1 MB: ~250 bytes a point here).
const BATCH = 1000;
// 1,000 databases publish ~9,000 points: a few calls at once instead of nine in a row.
const CONCURRENT_CALLS = 4;

/** Publishes the metrics in `region`, in batches PutMetricData accepts. */
export async function putMetrics(region: string, metrics: Metric[]): Promise<void> {
  const data = metrics.map((m) => ({
    MetricName: m.name,
    Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
    Value: m.value,
    Unit: m.unit as StandardUnit,
    Timestamp: m.timestamp,
  }));
  const batches = Array.from({ length: Math.ceil(data.length / BATCH) }, (_, i) => data.slice(i * BATCH, (i + 1) * BATCH));
  await mapWithConcurrency(batches, CONCURRENT_CALLS, (batch) =>
    awsClients.cloudwatch(region).send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: batch })),
  );
}
