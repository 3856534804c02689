import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { ReportsBucket } from '../platform/reports-bucket.js';
import { kmsKeyArn, rdsArn, secretArn } from '../platform/arns.js';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import { PURPOSE, TAG } from '../../lambdas/core/naming.js';
import { grantEndpointCutover, grantIncidentReport } from '../platform/incident-permissions.js';

const WILDCARD_REASONS: WildcardReasons = [
  [/:rds:[a-z0-9-]+:[^:]+:(db|cluster|snapshot|cluster-snapshot|auto-backup|subgrp|pg|cluster-pg|og):\*$/,
    'Read-only Describe calls are authorized against the unfiltered resource type; creating restores is further limited to requests ' +
      'tagged rds-dr:purpose=incident-restore (aws:RequestTag), renames to tagged targets and the protected databases.'],
  [/:kms:[a-z0-9-]+:[^:]+:key\/\*$/, 'Snapshots and databases may use any customer key; RDS uses it through grants (kms:ViaService = RDS in this region, kms:GrantIsForAWSResource).'],
  [/:rds:[a-z0-9-]+:[^:]+:(db|cluster):[a-zA-Z0-9-]+-replaced-\*$/,
    'A listed database after a rename cutover: <db>-replaced-<execution start>, a time only known then; the cutover tags it rds-dr:replaced-by.'],
  [/:secretsmanager:[a-z0-9-]+:[^:]+:secret:rds!\*$/, 'ManageMasterUserPassword makes RDS create the rds!... secret as the caller; the name is RDS-generated.'],
];

export interface RestorePermissionsProps {
  readonly config: RdsDrConfig;
  /** The restore workflow's functions and state machine (RestoreWorkflow). */
  readonly workflow: {
    readonly planRestore: NodejsFunction;
    readonly restoreDatabase: NodejsFunction;
    readonly renameCutover: NodejsFunction;
    readonly cutoverEndpoint: NodejsFunction;
    readonly incidentReport: NodejsFunction;
    readonly stateMachine: sfn.StateMachine;
    readonly functions: NodejsFunction[];
  };
  readonly reports?: ReportsBucket;
  readonly verifier?: NodejsFunction;
}

/**
 * Least privilege for the restore workflow in one region: it can create databases only in requests
 * tagged rds-dr:purpose=incident-restore, rename only its own targets and the protected databases,
 * and delete nothing.
 */
export class RestorePermissions extends Construct {
  constructor(scope: Construct, id: string, props: RestorePermissionsProps) {
    super(scope, id);
    const { config, workflow } = props;
    const region = Stack.of(this).region;
    const any = (type: Parameters<typeof rdsArn>[2], r = region) => rdsArn(this, r, type, '*');
    const requestTagged = { StringEquals: { [`aws:RequestTag/${TAG.purpose}`]: PURPOSE.incidentRestore } };
    const resourceTagged = { StringEquals: { [`aws:ResourceTag/${TAG.purpose}`]: PURPOSE.incidentRestore } };
    const describe = new iam.PolicyStatement({
      sid: 'DescribeDatabases',
      actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
      resources: [any('db'), any('cluster')],
    });

    // plan-restore: read the source, its window or snapshots, the target id; the primary fleet for tag protection.
    grantWithReasons(workflow.planRestore, [
      new iam.PolicyStatement({
        sid: 'DescribeSourcesAndSnapshots',
        actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBInstanceAutomatedBackups'],
        resources: [any('db'), any('cluster'), any('snapshot'), any('cluster-snapshot'), any('auto-backup')],
      }),
      new iam.PolicyStatement({
        sid: 'DescribePrimaryFleet',
        actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:ListTagsForResource'],
        resources: [any('db', config.primaryRegion), any('cluster', config.primaryRegion)],
      }),
    ], WILDCARD_REASONS);

    // restore-database: every resource a restore is authorized against, in requests carrying the purpose tag only.
    grantWithReasons(workflow.restoreDatabase, [
      describe,
      new iam.PolicyStatement({
        sid: 'RestoreTaggedTargets',
        actions: [
          'rds:RestoreDBInstanceToPointInTime', 'rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBClusterToPointInTime',
          'rds:RestoreDBClusterFromSnapshot', 'rds:CreateDBInstance', 'rds:AddTagsToResource',
        ],
        resources: [any('db'), any('cluster'), any('snapshot'), any('cluster-snapshot'), any('auto-backup'), any('subgrp'), any('pg'), any('cluster-pg'), any('og')],
        conditions: requestTagged,
      }),
      new iam.PolicyStatement({
        sid: 'LetRdsUseKeysForRestores',
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        resources: [kmsKeyArn(this, region, '*')],
        conditions: { StringEquals: { 'kms:ViaService': `rds.${region}.amazonaws.com` } },
      }),
    ], WILDCARD_REASONS);

    // rename-cutover: its own tagged targets, and the protected databases (listed, or selected by tags):
    // renames them, tags the set-aside original rds-dr:replaced-by, and gives the restored one the
    // original's settings and tags (ModifyDB… with its parameter/option groups, AddTagsToResource).
    const listed = Object.values(config.policies).flatMap((p) => [
      ...p.selection.instances.flatMap((i) => [rdsArn(this, region, 'db', i), rdsArn(this, region, 'db', `${i}-replaced-*`)]),
      ...p.selection.clusters.flatMap((c) => [rdsArn(this, region, 'cluster', c), rdsArn(this, region, 'cluster', `${c}-replaced-*`)]),
    ]);
    const cutoverActions = ['rds:ModifyDBInstance', 'rds:ModifyDBCluster', 'rds:AddTagsToResource'];
    const renames = [
      describe,
      new iam.PolicyStatement({ sid: 'RenameRestoredTargets', actions: cutoverActions, resources: [any('db'), any('cluster')], conditions: resourceTagged }),
      ...(listed.length ? [new iam.PolicyStatement({ sid: 'RenameListedDatabases', actions: cutoverActions, resources: [...new Set(listed)] })] : []),
      ...Object.entries(config.policies)
        .filter(([, p]) => Object.keys(p.selection.tags).length > 0)
        .map(([name, p]) => new iam.PolicyStatement({
          sid: `RenameTagSelected${name.replace(/[^A-Za-z0-9]/g, '')}`,
          actions: cutoverActions,
          resources: [any('db'), any('cluster')],
          conditions: { StringEquals: Object.fromEntries(Object.entries(p.selection.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])) },
        })),
      // ModifyDB… is also authorized against the parameter / option group it sets (the original's).
      new iam.PolicyStatement({ sid: 'SetOriginalGroups', actions: ['rds:ModifyDBInstance', 'rds:ModifyDBCluster'], resources: [any('pg'), any('og'), any('cluster-pg')] }),
      // An original with an RDS-managed master password: the restored one gets its own managed secret.
      new iam.PolicyStatement({ sid: 'CreateManagedPasswordSecrets', actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], resources: [secretArn(this, region, 'rds!*')] }),
      new iam.PolicyStatement({
        sid: 'EncryptManagedPasswordSecrets',
        actions: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt', 'kms:CreateGrant'],
        resources: [kmsKeyArn(this, region, '*')],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
      }),
    ];
    grantWithReasons(workflow.renameCutover, renames, WILDCARD_REASONS);

    grantEndpointCutover(workflow.cutoverEndpoint, config);
    grantIncidentReport(workflow.incidentReport, config, props.reports, 'restore');

    // The state machine: invoke its Lambdas; with a verifier, turn on the managed password of its own targets.
    const invoked = [...workflow.functions, ...(props.verifier ? [props.verifier] : [])].map((f) => f.functionArn);
    grantWithReasons(workflow.stateMachine, [
      new iam.PolicyStatement({ sid: 'InvokeRestoreFunctions', actions: ['lambda:InvokeFunction'], resources: invoked }),
      ...(props.verifier
        ? [
            new iam.PolicyStatement({ sid: 'ManageTargetPasswords', actions: ['rds:ModifyDBInstance', 'rds:ModifyDBCluster'], resources: [any('db'), any('cluster')], conditions: resourceTagged }),
            new iam.PolicyStatement({ sid: 'CreateManagedPasswordSecrets', actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], resources: [secretArn(this, region, 'rds!*')] }),
          ]
        : []),
    ], WILDCARD_REASONS);
  }
}
