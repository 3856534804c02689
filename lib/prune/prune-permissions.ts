import * as iam from 'aws-cdk-lib/aws-iam';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import { METRIC_NAMESPACE } from '../../lambdas/core/metrics.js';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { acknowledgeRule } from '../platform/nag.js';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { PRUNE_REPORTS_PREFIX, reportsKeyAliasName, type RemoteReportsBucket, type ReportsBucket } from '../platform/reports-bucket.js';
import { kmsKeyArn, rdsArn, describeSnapshotsStatement } from '../platform/arns.js';
import { SNAPSHOT_PREFIX, TAG } from '../../lambdas/core/naming.js';
import { stateMachineName } from '../platform/registry.js';
import type { WorkBucket } from '../platform/work-bucket.js';

export interface PrunePermissionsProps {
  readonly config: RdsDrConfig;
  /** The prune workflow's functions, state machine and reports bucket (PruneWorkflow). */
  readonly workflow: {
    readonly planPrune: NodejsFunction;
    readonly deleteSnapshotBatch: NodejsFunction;
    readonly pruneReport: NodejsFunction;
    readonly stateMachine: sfn.StateMachine;
    readonly functions: NodejsFunction[];
    readonly reports: RemoteReportsBucket | ReportsBucket;
    readonly work: WorkBucket;
    /** Which deployment (lib/prune/prune-workflow.ts): the DR one is scoped to the DR region and its own lineage. */
    readonly role: 'primary' | 'dr';
  };
  readonly alertTopic: sns.ITopic;
}


/**
 * Least privilege for pruning. Only delete-snapshot-batch can delete, only snapshots named rdsdr-*
 * that carry rds-dr:managed=true; listing is read-only; reports go to one prefix of the reports
 * bucket; run data to the prune's prefix of the work bucket (plan-prune writes the deletions, the
 * state machine's Distributed Map reads them and writes its results, prune-report reads those).
 * The DR deployment gets the same, in the DR region only, on the DR stack's own buckets.
 */
export class PrunePermissions extends Construct {
  constructor(scope: Construct, id: string, props: PrunePermissionsProps) {
    super(scope, id);
    const { config, workflow } = props;
    // The DR deployment reads and deletes in the DR region only: it must work with the primary region down.
    const regions = workflow.role === 'dr' ? [config.drRegion] : [config.primaryRegion, config.drRegion];
    const every = (type: 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot', name: string) => regions.map((r) => rdsArn(this, r, type, name));
    const { reports } = workflow;
    const drKeys = kmsKeyArn(this, config.drRegion, '*');
    const writeReports =
      'ref' in reports
        ? [
            // The bucket's name is read from the DR region (it changes each time the DR stack is created).
            reports.readName,
            new iam.PolicyStatement({
              sid: 'WritePruneReports',
              actions: ['s3:PutObject'],
              resources: [reports.objectsArn(`${PRUNE_REPORTS_PREFIX}*`)],
              conditions: reports.inAccount,
            }),
            // The reports key lives in the DR stack; it is matched by its alias, not a cross-region reference.
            new iam.PolicyStatement({
              sid: 'EncryptPruneReports',
              actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
              resources: [drKeys],
              conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': reportsKeyAliasName(config.appName) } },
            }),
          ]
        : [
            // Beside it in the DR stack: the bucket and its key by reference.
            new iam.PolicyStatement({ sid: 'WritePruneReports', actions: ['s3:PutObject'], resources: [reports.bucket.arnForObjects(`${PRUNE_REPORTS_PREFIX}*`)] }),
            new iam.PolicyStatement({ sid: 'EncryptPruneReports', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [reports.key.keyArn] }),
          ];

    grantWithReasons(workflow.planPrune, [
      // Every manual snapshot counts against the quota and must be seen (unmanaged ones are kept, never touched).
      new iam.PolicyStatement({
        sid: 'ListSnapshotsBothRegions',
        actions: ['rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
        resources: [...every('snapshot', '*'), ...every('cluster-snapshot', '*'), ...every('db', '*'), ...every('cluster', '*')],
      }),
      new iam.PolicyStatement({
        sid: 'ListDatabasesBothRegions',
        actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        resources: [...every('db', '*'), ...every('cluster', '*')],
      }),
      ...writeReports,
    ], WILDCARD_REASONS);

    grantWithReasons(workflow.deleteSnapshotBatch, [
      describeSnapshotsStatement(this, 'ReadBeforeDelete', regions, `${SNAPSHOT_PREFIX}*`),
      ...deleteStatements(this, config, workflow.role),
    ], WILDCARD_REASONS);

    grantWithReasons(workflow.pruneReport, [
      ...writeReports,
      new iam.PolicyStatement({
        sid: 'PublishSnapshotMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
      }),
    ], WILDCARD_REASONS);
    props.alertTopic.grantPublish(workflow.pruneReport);
    workflow.work.grantRunData(workflow.planPrune, 'prune', 'write');
    workflow.work.grantRunData(workflow.pruneReport, 'prune', 'read');
    workflow.work.grantDistributedMap(workflow.stateMachine, 'prune', stateMachineName(config.appName, 'prune'));
    acknowledgeRule(
      workflow.pruneReport.role!,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Added by topic.grantPublish for the KMS-encrypted alert topic (quota warnings); limited to the topic key.',
    );

    // Unqualified ARNs only: the ASL calls the unqualified function ARNs.
    props.workflow.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'InvokePruneFunctions', actions: ['lambda:InvokeFunction'], resources: workflow.functions.map((f) => f.functionArn) }),
    );
  }
}

/**
 * Who may delete what (lambdas/core/retention/ownership.ts, enforced here too): only rdsdr-* snapshots
 * tagged rds-dr:managed=true; in the DR region, the primary deployment only copies of primary-region
 * databases and the DR deployment only snapshots of DR-region databases (their rds-dr:source-arn), so
 * neither can delete the other's, whatever its plan says.
 */
function deleteStatements(scope: Construct, config: RdsDrConfig, role: 'primary' | 'dr'): iam.PolicyStatement[] {
  const prefixed = (region: string) => [rdsArn(scope, region, 'snapshot', `${SNAPSHOT_PREFIX}*`), rdsArn(scope, region, 'cluster-snapshot', `${SNAPSHOT_PREFIX}*`)];
  const managed = { [`aws:ResourceTag/${TAG.managed}`]: 'true' };
  const ofDatabasesIn = (region: string) => ({ StringEquals: managed, StringLike: { [`aws:ResourceTag/${TAG.sourceArn}`]: `arn:aws:rds:${region}:*` } });
  const actions = ['rds:DeleteDBSnapshot', 'rds:DeleteDBClusterSnapshot'];
  if (role === 'dr') {
    return [new iam.PolicyStatement({ sid: 'DeleteOnlyManagedSnapshotsOfDrDatabases', actions, resources: prefixed(config.drRegion), conditions: ofDatabasesIn(config.drRegion) })];
  }
  return [
    new iam.PolicyStatement({ sid: 'DeleteOnlyManagedRdsDrSnapshots', actions, resources: prefixed(config.primaryRegion), conditions: { StringEquals: managed } }),
    new iam.PolicyStatement({ sid: 'DeleteOnlyManagedDrCopies', actions, resources: prefixed(config.drRegion), conditions: ofDatabasesIn(config.primaryRegion) }),
  ];
}

const WILDCARD_REASONS: WildcardReasons = [
  [/:(snapshot|cluster-snapshot):rdsdr-\*$/, 'Snapshots are named rdsdr-<db>-<slot> at run time; deletion additionally requires the rds-dr:managed=true tag.'],
  [/:(snapshot|cluster-snapshot|db|cluster):\*$/, 'Read-only listing: every manual snapshot counts against the quota and databases are checked for existence; nothing here writes.'],
  [/^arn:aws:kms:/, 'The reports key lives in the DR stack (another region); it is matched by its alias (kms:ResourceAliases) instead of a cross-region reference.'],
  [/\/reports\/prune\/\*$/, 'Plan and audit object keys (date, execution) are known at run time; limited to the reports/prune/ prefix of the reports bucket (its name ends in a suffix of the DR stack id, matched by "?" per character; this account\'s buckets only, s3:ResourceAccount).'],
  [/^\*$/, 'cloudwatch:PutMetricData has no resource-level permissions; limited to the RdsDr namespace by condition.'],
];

