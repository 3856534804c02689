/** CloudWatch namespace of every rds-dr metric; IAM scopes PutMetricData to it (cloudwatch:namespace). */
export const METRIC_NAMESPACE = 'RdsDr';
