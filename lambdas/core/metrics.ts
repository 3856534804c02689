/** CloudWatch namespace of every rds-dr metric; IAM scopes PutMetricData to it (cloudwatch:namespace). */
export const METRIC_NAMESPACE = 'RdsDr';

/** One data point of an rds-dr metric. */
export interface Metric {
  name: string;
  dimensions: Record<string, string>;
  value: number;
  unit: 'Seconds' | 'Count' | 'Percent' | 'None';
  timestamp: Date;
}
