// rds-dr's CloudWatch metrics (namespace RdsDr, to which IAM scopes PutMetricData).
import { PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { METRIC_NAMESPACE, type Metric } from '../core/metrics.js';
import { awsClients } from './clients.js';


// PutMetricData accepts at most 1,000 data points per call.
const BATCH = 1000;

/** Publishes the metrics in `region`, in batches PutMetricData accepts. */
export async function putMetrics(region: string, metrics: Metric[]): Promise<void> {
  const data = metrics.map((m) => ({
    MetricName: m.name,
    Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
    Value: m.value,
    Unit: m.unit as StandardUnit,
    Timestamp: m.timestamp,
  }));
  for (let i = 0; i < data.length; i += BATCH) {
    await awsClients.cloudwatch(region).send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: data.slice(i, i + BATCH) }));
  }
}
