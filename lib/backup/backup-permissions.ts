import * as iam from 'aws-cdk-lib/aws-iam';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BackupFunctions } from './backup-functions.js';
import { drKeyAliasName, FAILBACK_DEFAULT_KEY_ALIAS } from '../platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { activeRegionParameterArn, kmsKeyArn, rdsArn, describeSnapshotsStatement } from '../platform/arns.js';
import { grantPitrReadiness } from './pitr-readiness-permissions.js';
import { SNAPSHOT_PREFIX, TAG } from '../../lambdas/core/naming.js';
import type { CoordinationTable } from '../platform/coordination-table.js';
import { stateMachineName } from '../platform/registry.js';
import type { WorkBucket } from '../platform/work-bucket.js';

export interface BackupPermissionsProps {
  readonly config: RdsDrConfig;
  readonly coordination: CoordinationTable;
  readonly work: WorkBucket;
  readonly stateMachine: sfn.StateMachine;
  readonly functions: BackupFunctions;
  /** 'dr': the DR region's deployment (snapshots failed-over databases there, copies to the primary region). */
  readonly role?: 'primary' | 'dr';
}

const PREFIXED = `${SNAPSHOT_PREFIX}*`;

/**
 * Least-privilege grants for the backup workflow. Writes are limited to the selected databases
 * and to snapshots named rdsdr-*; nothing here can delete a snapshot.
 */
export class BackupPermissions extends Construct {
  constructor(scope: Construct, id: string, props: BackupPermissionsProps) {
    super(scope, id);
    const { config, stateMachine, functions } = props;
    const role = props.role ?? 'primary';
    // This deployment's source (snapshots) and destination (copies) regions: lambdas/backup/backup-route.ts.
    const primary = role === 'dr' ? config.drRegion : config.primaryRegion;
    const dr = role === 'dr' ? config.primaryRegion : config.drRegion;

    // --- State machine: the Lambdas, and the Distributed Map (plan in S3, results to S3, child executions). ---
    grantWithReasons(stateMachine, [
      // Unqualified ARNs only (grantInvoke would add "<arn>:*"): the ASL calls the unqualified function ARN.
      new iam.PolicyStatement({
        sid: 'InvokeBackupFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: functions.all.map((fn) => fn.functionArn),
      }),
    ], WILDCARD_REASONS);
    props.work.grantDistributedMap(stateMachine, 'backup', stateMachineName(config.appName, 'backup'));

    // --- discover-databases: list candidates (tags come back in the describe output), write the plan. ---
    grantWithReasons(functions.discoverDatabases, [
      new iam.PolicyStatement({
        sid: 'DescribeSourceDatabases',
        actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        resources: [rdsArn(this, primary, 'db', '*'), rdsArn(this, primary, 'cluster', '*')],
      }),
      // Where each database is active (lambdas/core/active-region.ts): the records are in the DR region for both deployments.
      new iam.PolicyStatement({
        sid: 'ReadActiveRegionRecords',
        actions: ['ssm:GetParametersByPath'],
        resources: [activeRegionParameterArn(this, config, config.drRegion, true)],
      }),
    ], WILDCARD_REASONS);
    props.work.grantRunData(functions.discoverDatabases, 'backup');

    // --- advance-backup-batch: snapshots of the selected databases, a batch's Describes, the DR copies, slots and claims. ---
    grantWithReasons(functions.advanceBatch, [
      ...(role === 'dr' ? promotedSnapshotStatements(this, config) : sourceSnapshotStatements(this, config)),
      new iam.PolicyStatement({
        sid: 'CreateAndTagPrefixedSnapshots',
        actions: ['rds:CreateDBSnapshot', 'rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource'],
        resources: [rdsArn(this, primary, 'snapshot', PREFIXED), rdsArn(this, primary, 'cluster-snapshot', PREFIXED)],
      }),
      // One Describe per region and kind for a whole batch, filtered by identifier: authorized on the type's "*".
      describeSnapshotsStatement(this, 'DescribeBatchSnapshots', [primary, dr]),
      ...copySnapshotStatements(this, config, role),
    ], WILDCARD_REASONS);
    props.coordination.grantLeases(functions.advanceBatch);

    // --- backup-report: the batches' outcomes (ResultWriter files) in, the full report out. ---
    props.work.grantRunData(functions.backupReport, 'backup');

    // --- check-pitr-readiness: read-only, plus the scoped replication start where pitr.enforce asks. ---
    grantPitrReadiness(this, functions.checkPitrReadiness, config, props.work, { primary, dr, mayStartReplication: role === 'primary' });
  }
}


const WILDCARD_REASONS: WildcardReasons = [
  [
    /:(cluster-)?snapshot:rdsdr-\*$/,
    'Snapshots are created with the deterministic rdsdr- prefix; their full names (database + schedule slot) are ' +
      'only known at run time, so access is limited to the rdsdr-* name pattern.',
  ],
  [
    /:rds:[^*]*:(cluster-)?snapshot:\*$/,
    'DescribeDBSnapshots / DescribeDBClusterSnapshots filtered by identifier (one request for a whole batch) are ' +
      'authorized on the snapshot type\'s "*"; read-only, and the filter names only rdsdr- snapshots.',
  ],
  [
    /:rds:[^*]*:(db|cluster):\*$/,
    'Databases selected by tag are only known at run time: db:* / cluster:* is narrowed by aws:ResourceTag ' +
      'conditions for CreateDB(Cluster)Snapshot, and is otherwise used only for read-only Describe* calls.',
  ],
  [
    /:kms:[^*]*:key\/\*$/,
    'KMS keys are matched by condition, not id: the DR key by its alias (kms:ResourceAliases; avoids a cross-region ' +
      'stack reference), source DB keys only via kms:ViaService=rds.<primary>; CreateGrant also requires ' +
      'kms:GrantIsForAWSResource.',
  ],
];

/** CreateDB(Cluster)Snapshot on the source databases each policy selects: by identifier or by all its tags. */
function sourceSnapshotStatements(scope: Construct, config: RdsDrConfig): iam.PolicyStatement[] {
  const region = config.primaryRegion;
  const policies = Object.values(config.policies);
  const statements: iam.PolicyStatement[] = [];

  const instances = unique(policies.flatMap((p) => p.selection.instances));
  const clusters = unique(policies.flatMap((p) => p.selection.clusters));
  if (instances.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'SnapshotSelectedInstances',
        actions: ['rds:CreateDBSnapshot'],
        resources: instances.map((id) => rdsArn(scope, region, 'db', id)),
      }),
    );
  }
  if (clusters.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'SnapshotSelectedClusters',
        actions: ['rds:CreateDBClusterSnapshot'],
        resources: clusters.map((id) => rdsArn(scope, region, 'cluster', id)),
      }),
    );
  }

  // A tag selection matches databases carrying ALL its tags: one statement per distinct tag set.
  const tagSets = unique(
    policies.map((p) => JSON.stringify(Object.entries(p.selection.tags).sort())).filter((s) => s !== '[]'),
  );
  tagSets.forEach((tagSet, index) => {
    const condition = {
      StringEquals: Object.fromEntries(
        (JSON.parse(tagSet) as [string, string][]).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
      ),
    };
    statements.push(
      new iam.PolicyStatement({
        sid: `SnapshotTaggedInstances${index}`,
        actions: ['rds:CreateDBSnapshot'],
        resources: [rdsArn(scope, region, 'db', '*')],
        conditions: condition,
      }),
      new iam.PolicyStatement({
        sid: `SnapshotTaggedClusters${index}`,
        actions: ['rds:CreateDBClusterSnapshot'],
        resources: [rdsArn(scope, region, 'cluster', '*')],
        conditions: condition,
      }),
    );
  });
  return statements;
}

/**
 * The DR region's deployment snapshots only databases a failover promoted there: those tagged
 * rds-dr:failover-of (lambdas/failover/active-region-step.ts), whatever their identifier.
 */
function promotedSnapshotStatements(scope: Construct, config: RdsDrConfig): iam.PolicyStatement[] {
  const promoted = { Null: { [`aws:ResourceTag/${TAG.failoverOf}`]: 'false' } };
  return [
    new iam.PolicyStatement({ sid: 'SnapshotPromotedInstances', actions: ['rds:CreateDBSnapshot'], resources: [rdsArn(scope, config.drRegion, 'db', '*')], conditions: promoted }),
    new iam.PolicyStatement({ sid: 'SnapshotPromotedClusters', actions: ['rds:CreateDBClusterSnapshot'], resources: [rdsArn(scope, config.drRegion, 'cluster', '*')], conditions: promoted }),
  ];
}

function copySnapshotStatements(scope: Construct, config: RdsDrConfig, role: 'primary' | 'dr'): iam.PolicyStatement[] {
  const primary = role === 'dr' ? config.drRegion : config.primaryRegion;
  const dr = role === 'dr' ? config.primaryRegion : config.drRegion;
  const drKey = role === 'dr' ? failbackKeyScope(scope, config) : drKeyScope(scope, config);
  return [
    new iam.PolicyStatement({
      sid: 'CopyPrefixedSnapshotsToDr',
      actions: ['rds:CopyDBSnapshot', 'rds:CopyDBClusterSnapshot', 'rds:AddTagsToResource'],
      resources: [primary, dr].flatMap((region) => [
        rdsArn(scope, region, 'snapshot', PREFIXED),
        rdsArn(scope, region, 'cluster-snapshot', PREFIXED),
      ]),
    }),
    // The DR copy that exists already (a retried run), and the source: encrypted? which option group?
    describeSnapshotsStatement(scope, 'DescribeDrCopies', [primary, dr], PREFIXED),
    // CopyDBSnapshot with OptionGroupName is authorized on the option group too (TDE copies, config drOptionGroups).
    ...(role === 'primary' && Object.keys(config.drOptionGroups).length
      ? [
          new iam.PolicyStatement({
            sid: 'CopyWithDrOptionGroups',
            actions: ['rds:CopyDBSnapshot'],
            resources: unique(Object.values(config.drOptionGroups)).map((og) => rdsArn(scope, dr, 'og', og.toLowerCase())),
          }),
        ]
      : []),
    // RDS encrypts the copy through a grant it creates on the DR key as the caller.
    new iam.PolicyStatement({
      sid: 'GrantRdsUseOfDrKey',
      actions: ['kms:CreateGrant'],
      resources: [drKey.resource],
      conditions: { ...drKey.conditions, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'DescribeDrKey',
      actions: ['kms:DescribeKey'],
      resources: [drKey.resource],
      conditions: drKey.conditions,
    }),
    // Source snapshots are encrypted with whatever key the source DB uses; only via RDS in the primary region.
    new iam.PolicyStatement({
      sid: 'GrantRdsUseOfSourceKeys',
      actions: ['kms:CreateGrant'],
      resources: [kmsKeyArn(scope, primary, '*')],
      conditions: {
        StringEquals: { 'kms:ViaService': `rds.${primary}.amazonaws.com` },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'DescribeSourceKeys',
      actions: ['kms:DescribeKey'],
      resources: [kmsKeyArn(scope, primary, '*')],
      conditions: { StringEquals: { 'kms:ViaService': `rds.${primary}.amazonaws.com` } },
    }),
  ];
}

/**
 * The key of the DR region's copies back to the primary region: incident.failbackKmsKeyArn, or the
 * primary region's AWS managed RDS key, matched by its alias (its key id differs per account).
 */
function failbackKeyScope(scope: Construct, config: RdsDrConfig): { resource: string; conditions: Record<string, unknown> } {
  if (config.incident.failbackKmsKeyArn) return { resource: config.incident.failbackKmsKeyArn, conditions: {} };
  return {
    resource: kmsKeyArn(scope, config.primaryRegion, '*'),
    conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': FAILBACK_DEFAULT_KEY_ALIAS } },
  };
}

/**
 * The DR copy key: the configured ARN, or the key the DR stack created, matched by its alias
 * (a cross-region stack reference would need SSM plumbing; the alias is deterministic).
 */
function drKeyScope(scope: Construct, config: RdsDrConfig): { resource: string; conditions: Record<string, unknown> } {
  if (config.drKmsKeyArn) return { resource: config.drKmsKeyArn, conditions: {} };
  return {
    resource: kmsKeyArn(scope, config.drRegion, '*'),
    conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': drKeyAliasName(config) } },
  };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
