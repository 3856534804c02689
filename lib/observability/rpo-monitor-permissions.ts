import * as iam from 'aws-cdk-lib/aws-iam';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { reportsKeyAliasName, VERIFICATION_REPORTS_PREFIX, type RemoteReportsBucket } from '../platform/reports-bucket.js';
import { activeRegionParameterArn, kmsKeyArn, rdsArn, type RdsResourceType, describeSnapshotsStatement } from '../platform/arns.js';

/** Namespace of every rds-dr metric; PutMetricData is limited to it. */
import { METRIC_NAMESPACE } from '../../lambdas/core/metrics.js';

/**
 * Least privilege for the RPO monitor: read-only RDS in both regions, read-only on the verification
 * reports (the last drill's verdict), and metrics only into the RdsDr namespace. It writes nothing else.
 */
export function grantRpoMonitor(scope: Construct, fn: IFunction, config: RdsDrConfig, reports: RemoteReportsBucket): void {
  const regions = [config.primaryRegion, config.drRegion];
  const every = (type: RdsResourceType) => regions.map((r) => rdsArn(scope, r, type, '*'));
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadDatabasesAndSnapshotsBothRegions',
      actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
      resources: [...every('db'), ...every('cluster'), ...every('snapshot'), ...every('cluster-snapshot')],
    }),
    new iam.PolicyStatement({
      sid: 'ReadAutomatedBackupsBothRegions',
      actions: ['rds:DescribeDBInstanceAutomatedBackups'],
      resources: every('auto-backup'),
    }),
    // Where each database is active (lambdas/core/active-region.ts): failed-over databases are measured in the DR region.
    new iam.PolicyStatement({
      sid: 'ReadActiveRegionRecords',
      actions: ['ssm:GetParametersByPath'],
      resources: [activeRegionParameterArn(scope, config, config.drRegion, true)],
    }),
    // The bucket's name is read from the DR region (it changes each time the DR stack is created).
    reports.readName,
    new iam.PolicyStatement({
      sid: 'ListVerificationReports',
      actions: ['s3:ListBucket'],
      resources: [reports.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${VERIFICATION_REPORTS_PREFIX}*` }, ...reports.inAccount },
    }),
    new iam.PolicyStatement({
      sid: 'ReadVerificationReports',
      actions: ['s3:GetObject'],
      resources: [reports.objectsArn(`${VERIFICATION_REPORTS_PREFIX}*`)],
      conditions: reports.inAccount,
    }),
    // The reports key lives in the DR stack; it is matched by its alias, not a cross-region reference.
    new iam.PolicyStatement({
      sid: 'DecryptVerificationReports',
      actions: ['kms:Decrypt'],
      resources: [kmsKeyArn(scope, config.drRegion, '*')],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': reportsKeyAliasName(config.appName) } },
    }),
    new iam.PolicyStatement({
      sid: 'PublishRecoveryMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
    }),
  ];
  grantWithReasons(fn, statements, WILDCARD_REASONS);
}

/**
 * Least privilege for the DR region's RPO monitor (lambdas/monitor/dr-recovery-facts.ts): read-only RDS
 * and the active-region records in the DR region, metrics only into RdsDr and only in the DR region.
 * The one grant in the primary region is the best-effort read of rds-dr snapshots there (the copies the
 * DR region's backup makes back to the primary region of failed-over databases): Describe of snapshots
 * and cluster snapshots, nothing else. No drill reports: the drill verdicts are the primary monitor's series.
 */
export function grantDrRpoMonitor(scope: Construct, fn: IFunction, config: RdsDrConfig): void {
  const dr = config.drRegion;
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadDatabasesAndSnapshotsDrRegion',
      actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
      resources: (['db', 'cluster', 'snapshot', 'cluster-snapshot'] as const).map((type) => rdsArn(scope, dr, type, '*')),
    }),
    new iam.PolicyStatement({
      sid: 'ReadAutomatedBackupsDrRegion',
      actions: ['rds:DescribeDBInstanceAutomatedBackups'],
      resources: [rdsArn(scope, dr, 'auto-backup', '*')],
    }),
    // Best effort, through the client that gives up fast: failed-over databases' copies in the primary region.
    describeSnapshotsStatement(scope, 'ReadSnapshotsPrimaryRegionBestEffort', [config.primaryRegion]),
    new iam.PolicyStatement({
      sid: 'ReadActiveRegionRecords',
      actions: ['ssm:GetParametersByPath'],
      resources: [activeRegionParameterArn(scope, config, dr, true)],
    }),
    new iam.PolicyStatement({
      sid: 'PublishRecoveryMetricsDrRegion',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE, 'aws:RequestedRegion': dr } },
    }),
  ];
  grantWithReasons(fn, statements, WILDCARD_REASONS);
}

const WILDCARD_REASONS: WildcardReasons = [
  [
    /:(db|cluster|snapshot|cluster-snapshot|auto-backup):\*$/,
    'Read-only Describe calls: the protected databases are selected by tag at run time, and their newest snapshots, ' +
      'copies and automated backups must be found in both regions; nothing here writes.',
  ],
  [/^arn:aws:kms:/, 'The reports key lives in the DR stack (another region); it is matched by its alias (kms:ResourceAliases), decrypt only.'],
  [/\/reports\/verification\/\*$/, 'Drill report keys (database, date) are known at run time; read-only, limited to the reports/verification/ prefix of the reports bucket (its name ends in a suffix of the DR stack id, matched by "?" per character; this account\'s buckets only, s3:ResourceAccount).'],
  [/^\*$/, 'cloudwatch:PutMetricData has no resource-level permissions; limited to the RdsDr namespace (and, in the DR region, to that region) by condition.'],
];
