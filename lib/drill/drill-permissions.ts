import * as iam from 'aws-cdk-lib/aws-iam';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { acknowledgeRule, acknowledgeWildcardResources } from '../platform/nag.js';
import type { ReportsBucket } from '../platform/reports-bucket.js';
import { VERIFICATION_REPORTS_PREFIX } from '../platform/reports-bucket.js';
import type { VerifyFunctions } from './drill-functions.js';
import { activeRegionParameterArn, rdsArn, secretArn, describeSnapshotsStatement } from '../platform/arns.js';
import { stateMachineName } from '../platform/registry.js';
import type { WorkBucket } from '../platform/work-bucket.js';
import { rotationKey } from '../../lambdas/core/drill-rotation.js';
import { FINGERPRINT_PREFIX } from '../../lambdas/core/fingerprint.js';

/** The value of the rds-dr:purpose tag on every throwaway restore. */
export const VERIFICATION_PURPOSE = 'verification';

/** CloudWatch namespace of the drill metrics (lambdas/drill/drill-report.handler.ts). */
import { METRIC_NAMESPACE } from '../../lambdas/core/metrics.js';
import { TAG, THROWAWAY_PREFIX, SNAPSHOT_PREFIX } from '../../lambdas/core/naming.js';

export interface VerifyPermissionsProps {
  readonly config: RdsDrConfig;
  readonly stateMachine: sfn.StateMachine;
  readonly functions: VerifyFunctions;
  readonly sweeper: IFunction;
  /** The DB subnet group's name as RDS stores it (lowercase), for its subgrp ARN. */
  readonly subnetGroupName: string;
  readonly reports: ReportsBucket;
  /** The DR work bucket: the run's plan and the Distributed Map's results. */
  readonly work: WorkBucket;
  /** The key that encrypts the DR copies the drills restore. */
  readonly drKeyArn: string;
}

/**
 * Least-privilege grants for restore drills, all in the DR region. Creating, changing and deleting
 * databases is limited to rdsdr-verify-* identifiers AND the rds-dr:purpose=verification tag (set
 * at creation: aws:RequestTag; checked after: aws:ResourceTag), so nothing here can touch a real database.
 */
export class VerifyPermissions extends Construct {
  constructor(scope: Construct, id: string, props: VerifyPermissionsProps) {
    super(scope, id);
    const { config, stateMachine, functions } = props;
    const dr = config.drRegion;
    const throwaways = [rdsArn(this, dr, 'db', `${THROWAWAY_PREFIX}*`), rdsArn(this, dr, 'cluster', `${THROWAWAY_PREFIX}*`)];
    const requestTagged = { StringEquals: { [`aws:RequestTag/${TAG.purpose}`]: VERIFICATION_PURPOSE } };
    const resourceTagged = { StringEquals: { [`aws:ResourceTag/${TAG.purpose}`]: VERIFICATION_PURPOSE } };
    const managedSecrets = secretArn(this, dr, 'rds!*');

    // --- State machine: restore, manage password, delete via aws-sdk:rds tasks; invoke the Lambdas. ---
    grantWithReasons(stateMachine, [
      new iam.PolicyStatement({
        sid: 'RestoreThrowawayDatabases',
        actions: ['rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBClusterFromSnapshot', 'rds:CreateDBInstance'],
        resources: throwaways,
        conditions: requestTagged,
      }),
      // The other resources RDS authorizes a restore against; useless without the statement above.
      new iam.PolicyStatement({
        sid: 'RestoreFromRdsDrSnapshots',
        actions: ['rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBClusterFromSnapshot', 'rds:CreateDBInstance'],
        resources: [
          rdsArn(this, dr, 'snapshot', `${SNAPSHOT_PREFIX}*`),
          rdsArn(this, dr, 'cluster-snapshot', `${SNAPSHOT_PREFIX}*`),
          rdsArn(this, dr, 'subgrp', props.subnetGroupName),
          rdsArn(this, dr, 'og', '*'),
          rdsArn(this, dr, 'pg', '*'),
          rdsArn(this, dr, 'cluster-pg', '*'),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'TagThrowawayDatabases',
        actions: ['rds:AddTagsToResource'],
        resources: throwaways,
      }),
      new iam.PolicyStatement({
        sid: 'ManageThrowawayPasswords',
        actions: ['rds:ModifyDBInstance', 'rds:ModifyDBCluster'],
        resources: throwaways,
        conditions: resourceTagged,
      }),
      // ManageMasterUserPassword: RDS creates the rds!... secret as the caller (AWS-managed key).
      new iam.PolicyStatement({
        sid: 'CreateManagedPasswordSecrets',
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        resources: [managedSecrets],
      }),
      new iam.PolicyStatement({
        sid: 'DeleteThrowawayDatabases',
        actions: ['rds:DeleteDBInstance', 'rds:DeleteDBCluster'],
        resources: throwaways,
        conditions: resourceTagged,
      }),
      // The DR copies are encrypted with the DR key; RDS uses it for the restore through a grant it creates as the caller.
      new iam.PolicyStatement({
        sid: 'GrantRdsUseOfDrKeyForRestores',
        actions: ['kms:CreateGrant'],
        resources: [props.drKeyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `rds.${dr}.amazonaws.com` },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeDrKeyForRestores',
        actions: ['kms:DescribeKey'],
        resources: [props.drKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `rds.${dr}.amazonaws.com` } },
      }),
      // Unqualified ARNs only (grantInvoke would add "<arn>:*"): the ASL calls the unqualified function ARN.
      new iam.PolicyStatement({
        sid: 'InvokeVerifyFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: functions.all.map((fn) => fn.functionArn),
      }),
    ], WILDCARD_REASONS);

    // --- plan-drill: lists the region's manual snapshots, checks the throwaway id is free. ---
    grantWithReasons(functions.planVerification, [
      describeSnapshotsStatement(this, 'ListDrSnapshots', [dr]),
      new iam.PolicyStatement({
        sid: 'DescribeDrDatabases',
        actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        resources: [rdsArn(this, dr, 'db', '*'), rdsArn(this, dr, 'cluster', '*')],
      }),
      // Which drilled databases a failover made active here (lambdas/drill/promoted-sources.ts): this region's records only.
      new iam.PolicyStatement({
        sid: 'ReadActiveRegionRecords',
        actions: ['ssm:GetParametersByPath'],
        resources: [activeRegionParameterArn(this, config, dr, true)],
      }),
    ], WILDCARD_REASONS);

    // --- throwaway-status: the throwaway (and a cluster's member instance, also rdsdr-verify-*). ---
    grantWithReasons(functions.restoreStatus, [
      new iam.PolicyStatement({
        sid: 'DescribeThrowawayDatabases',
        actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        resources: throwaways,
      }),
    ], WILDCARD_REASONS);

    // --- verify-restored-database: only RDS-managed secrets (AWS-managed key: no KMS grant needed). ---
    grantWithReasons(functions.verifyRestoredDatabase, [
      new iam.PolicyStatement({
        sid: 'ReadManagedPasswords',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [managedSecrets],
      }),
    ], WILDCARD_REASONS);

    // --- drill-report: its S3 prefix and the drill metrics namespace. ---
    const reportObjects = props.reports.bucket.arnForObjects(`${VERIFICATION_REPORTS_PREFIX}*`);
    grantWithReasons(functions.verificationReport, [
      new iam.PolicyStatement({
        sid: 'WriteVerificationReports',
        actions: ['s3:PutObject'],
        resources: [reportObjects],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptVerificationReports',
        actions: ['kms:GenerateDataKey'],
        resources: [props.reports.key.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'PublishDrillMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
      }),
    ], WILDCARD_REASONS);
    acknowledgeWildcardResources(
      functions.verificationReport.role!,
      [reportObjects],
      `Report object keys (database, date, throwaway id) are only known at run time; limited to the ${VERIFICATION_REPORTS_PREFIX} prefix of the reports bucket.`,
    );
    acknowledgeRule(
      functions.verificationReport.role!,
      'AwsSolutions-IAM5[Resource::*]',
      `cloudwatch:PutMetricData has no resource-level permissions; it is limited by the cloudwatch:namespace=${METRIC_NAMESPACE} condition.`,
    );

    // --- drift fingerprints (fingerprints/<db>/latest.json and history/): drill-report reads the last good one and writes a passing drill's. ---
    // ListBucket only so that S3 answers a database's first (missing) fingerprint with NoSuchKey, not AccessDenied.
    const fingerprintObjects = props.reports.bucket.arnForObjects(`${FINGERPRINT_PREFIX}*`);
    grantWithReasons(functions.verificationReport, [
      new iam.PolicyStatement({ sid: 'ReadWriteDriftFingerprints', actions: ['s3:GetObject', 's3:PutObject'], resources: [fingerprintObjects] }),
      new iam.PolicyStatement({ sid: 'TellMissingFingerprint', actions: ['s3:ListBucket'], resources: [props.reports.bucket.bucketArn] }),
      new iam.PolicyStatement({ sid: 'DecryptDriftFingerprints', actions: ['kms:Decrypt'], resources: [props.reports.key.keyArn] }),
    ], WILDCARD_REASONS);

    // --- rotation state (drill-rotation/<policy>.json): plan-drill reads it, drill-summary reads and writes it. ---
    // ListBucket only so that S3 answers a policy's first (missing) state with NoSuchKey, not AccessDenied
    // ("GetObject", Amazon S3 API Reference); it lists key names, never contents.
    const rotationObjects = props.reports.bucket.arnForObjects(rotationKey('*'));
    const rotationStatements = (write: boolean) => [
      new iam.PolicyStatement({ sid: write ? 'ReadWriteDrillRotation' : 'ReadDrillRotation', actions: write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'], resources: [rotationObjects] }),
      new iam.PolicyStatement({ sid: 'TellMissingRotationState', actions: ['s3:ListBucket'], resources: [props.reports.bucket.bucketArn] }),
      new iam.PolicyStatement({
        sid: write ? 'DecryptEncryptDrillRotation' : 'DecryptDrillRotation',
        actions: write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
        resources: [props.reports.key.keyArn],
      }),
    ];
    grantWithReasons(functions.planVerification, rotationStatements(false), WILDCARD_REASONS);
    grantWithReasons(functions.verificationSummary, rotationStatements(true), WILDCARD_REASONS);

    // --- run data: plan-drill writes the items, the Distributed Map reads them and writes its results, drill-summary reads those and writes every outcome. ---
    props.work.grantRunData(functions.planVerification, 'drill', 'write');
    props.work.grantRunData(functions.verificationSummary, 'drill', 'read-write');
    props.work.grantDistributedMap(stateMachine, 'drill', stateMachineName(config.appName, 'drill'));

    // --- sweeper: lists the region's databases, deletes only expired tagged throwaways. ---
    grantWithReasons(props.sweeper, [
      new iam.PolicyStatement({
        sid: 'ListDrDatabases',
        actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        resources: [rdsArn(this, dr, 'db', '*'), rdsArn(this, dr, 'cluster', '*')],
      }),
      new iam.PolicyStatement({
        sid: 'DeleteExpiredThrowawayDatabases',
        actions: ['rds:DeleteDBInstance', 'rds:DeleteDBCluster'],
        resources: throwaways,
        conditions: resourceTagged,
      }),
    ], WILDCARD_REASONS);
  }
}


const WILDCARD_REASONS: WildcardReasons = [
  [
    /\/fingerprints\/\*$/,
    'Drift fingerprints are one latest.json and dated history objects per drilled database (fingerprints/<db>/...), known at run time; limited to that prefix of the reports bucket.',
  ],
  [
    /\/drill-rotation\/\*\.json$/,
    'One rotation state object per drilled policy (drill-rotation/<policy>.json); limited to that prefix of the reports bucket.',
  ],
  [
    /:(db|cluster):rdsdr-verify-\*$/,
    'Throwaway restore ids (rdsdr-verify-<db>-<slot>) are generated per drill; every create, modify and delete on ' +
      'them also requires the rds-dr:purpose=verification tag (aws:RequestTag / aws:ResourceTag conditions).',
  ],
  [
    /:(cluster-)?snapshot:rdsdr-\*$/,
    'Drills restore only rds-dr snapshots (rdsdr- prefix), whose full names are only known at run time.',
  ],
  [
    /:(og|pg|cluster-pg):\*$/,
    'RDS authorizes a restore against the option/parameter group the snapshot carries (often a default group), ' +
      'unknown at deploy time; these grant nothing on their own without the rdsdr-verify-* restore statement.',
  ],
  [
    /:(cluster-)?snapshot:\*$/,
    'plan-drill lists the DR region\'s manual snapshots with an unfiltered, read-only Describe*Snapshots, ' +
      'which RDS authorizes against snapshot:* (a name pattern would deny it); it then keeps only rdsdr- snapshots.',
  ],
  [
    /:rds:[^*]*:(db|cluster):\*$/,
    'Read-only DescribeDBInstances/DescribeDBClusters over the DR region: the sweeper must see every instance to ' +
      'find leftovers (it deletes only tagged rdsdr-verify-* ones), and the planner checks a throwaway id is free.',
  ],
  [
    /:secret:rds!\*$/,
    'RDS names the managed master-password secret rds!<type>-<uuid> at run time; limited to RDS-managed secrets.',
  ],
];
