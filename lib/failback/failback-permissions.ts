import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { failbackDatabases } from '../platform/config/features.js';
import { drKeyAliasName } from '../platform/config/runtime-settings.js';
import { acknowledgeRule } from '../platform/nag.js';
import type { ReportsBucket } from '../platform/reports-bucket.js';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import { kmsKeyArn, rdsArn } from '../platform/arns.js';
import { grantEndpointCutover, grantIncidentReport } from '../platform/incident-permissions.js';
import { activeRegionParameterName } from '../../lambdas/core/active-region.js';

const WILDCARD_REASONS: WildcardReasons = [
  [
    /:rds:[a-z0-9-]+:[^:]+:(subgrp|pg|og):\*$/,
    'The replica\'s subnet group and parameter group are resolved at run time (config, else the original primary\'s or the DR instance\'s ' +
      'recorded ones); CreateDBInstanceReadReplica is limited to the configured replica identifiers, so these only name where they are placed.',
  ],
  [
    /:kms:[a-z0-9-]+:[^:]+:key\/\*$/,
    'KMS keys are matched by condition, not id: the DR key by its alias (kms:ResourceAliases), the primary-region key (config or the ' +
      'original primary\'s, resolved at run time) only via kms:ViaService=rds.<region>; CreateGrant also requires kms:GrantIsForAWSResource.',
  ],
];

export interface FailbackPermissionsProps {
  readonly config: RdsDrConfig;
  readonly workflow: {
    readonly stateMachine: sfn.StateMachine;
    readonly planFailback: IFunction;
    readonly failbackChecks: IFunction;
    readonly createFailbackReplica: IFunction;
    readonly failbackReplicaStatus: IFunction;
    readonly promoteFailbackReplica: IFunction;
    readonly returnActiveRegion: IFunction;
    readonly cutoverEndpoint: IFunction;
    readonly incidentReport: IFunction;
    readonly globalFailbackChecks: IFunction;
    readonly switchoverBack: IFunction;
    readonly globalWriterStatus: IFunction;
  };
  readonly reports: ReportsBucket;
}

/** The instances a failback of the configured read-replica databases touches, by role. */
function failbackInstances(scope: Construct, config: RdsDrConfig) {
  const dbs = failbackDatabases(config).flatMap((db) => {
    const d = config.incident.databases[db];
    if (!d.standby || !('replicaInstance' in d.standby)) return [];
    return [{ db, source: d.standby.replicaInstance, target: d.failback?.replicaInstance ?? db, drStandby: d.failback?.standbyInstance ?? `${db}-standby` }];
  });
  const { primaryRegion: primary, drRegion: dr } = config;
  const unique = (arns: string[]) => [...new Set(arns)];
  return {
    dbs: dbs.map((d) => d.db),
    sources: unique(dbs.map((d) => rdsArn(scope, dr, 'db', d.source))),
    targets: unique(dbs.map((d) => rdsArn(scope, primary, 'db', d.target))),
    originals: unique(dbs.map((d) => rdsArn(scope, primary, 'db', d.db))),
    drStandbys: unique(dbs.map((d) => rdsArn(scope, dr, 'db', d.drStandby))),
  };
}

/** The Aurora global databases a failback switches back: the global clusters and their original primary-region clusters. */
function failbackGlobals(scope: Construct, config: RdsDrConfig) {
  const account = Stack.of(scope).account;
  const globals = failbackDatabases(config).flatMap((db) => {
    const standby = config.incident.databases[db].standby;
    return standby && 'globalCluster' in standby ? [{ db, ...standby }] : [];
  });
  return {
    dbs: globals.map((g) => g.db),
    // Global clusters have no region in their ARN.
    globalClusters: globals.map((g) => `arn:aws:rds::${account}:global-cluster:${g.globalCluster}`),
    primaryClusters: globals.map((g) => rdsArn(scope, config.primaryRegion, 'cluster', g.db)),
    secondaryClusters: globals.map((g) => rdsArn(scope, config.drRegion, 'cluster', g.secondaryCluster)),
  };
}

/**
 * Least privilege for the failback. The only writes: CreateDBInstanceReadReplica of the configured
 * replica and standby identifiers (from the configured sources), PromoteReadReplica of the configured
 * replicas, SwitchoverGlobalCluster of the configured global clusters to their original primary-region
 * clusters, Route 53 UPSERT / PutParameter of the configured endpoints, PutParameter of the databases'
 * active-region records. With only read-replica (or only global) databases, the other kind's functions get no grant.
 */
export class FailbackPermissions extends Construct {
  constructor(scope: Construct, id: string, props: FailbackPermissionsProps) {
    super(scope, id);
    const { config, workflow: w } = props;
    const { drRegion: dr } = config;
    const account = Stack.of(this).account;
    const i = failbackInstances(this, config);
    const g = failbackGlobals(this, config);

    grantWithReasons(
      w.stateMachine,
      [
        new iam.PolicyStatement({
          sid: 'InvokeFailbackFunctions',
          actions: ['lambda:InvokeFunction'],
          resources: [
            w.planFailback,
            w.failbackChecks,
            w.createFailbackReplica,
            w.failbackReplicaStatus,
            w.promoteFailbackReplica,
            w.returnActiveRegion,
            w.cutoverEndpoint,
            w.incidentReport,
            w.globalFailbackChecks,
            w.switchoverBack,
            w.globalWriterStatus,
          ].map((f) => f.functionArn),
        }),
      ],
      WILDCARD_REASONS,
    );

    if (i.dbs.length > 0) this.grantInstanceFailback(w, config, i);
    if (g.dbs.length > 0) this.grantGlobalFailback(w, g);

    // --- return-active-region: the databases' records, in the DR region. ---
    grantWithReasons(
      w.returnActiveRegion,
      [
        new iam.PolicyStatement({
          sid: 'WriteActiveRegionRecords',
          actions: ['ssm:GetParameter', 'ssm:PutParameter'],
          resources: [...i.dbs, ...g.dbs].map((db) => `arn:aws:ssm:${dr}:${account}:parameter${activeRegionParameterName(config.appName, db)}`),
        }),
      ],
      WILDCARD_REASONS,
    );

    grantEndpointCutover(w.cutoverEndpoint, config);
    grantIncidentReport(w.incidentReport, config, props.reports, 'failback');
  }

  /** Read replicas: the replica back in the primary region, its promotion, the new DR standby. */
  private grantInstanceFailback(w: FailbackPermissionsProps['workflow'], config: RdsDrConfig, i: ReturnType<typeof failbackInstances>): void {
    const { primaryRegion: primary, drRegion: dr } = config;
    const describe = (sid: string, resources: string[]) => new iam.PolicyStatement({ sid, actions: ['rds:DescribeDBInstances'], resources });
    // --- failback-checks: read-only, the four instances of each database. ---
    grantWithReasons(w.failbackChecks, [describe('DescribeFailbackInstances', [...i.sources, ...i.targets, ...i.originals, ...i.drStandbys])], WILDCARD_REASONS);

    // --- create-failback-replica: the replica in the primary region and the new DR standby. ---
    const drKey = config.drKmsKeyArn
      ? { resource: config.drKmsKeyArn, conditions: {} }
      : { resource: kmsKeyArn(this, dr, '*'), conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': drKeyAliasName(config) } } };
    grantWithReasons(
      w.createFailbackReplica,
      [
        describe('DescribeFailbackInstances', [...i.sources, ...i.targets, ...i.drStandbys]),
        new iam.PolicyStatement({
          sid: 'CreateConfiguredReplicas',
          actions: ['rds:CreateDBInstanceReadReplica'],
          // The new instance, its source, and where it is placed (RDS authorizes the call on each).
          resources: [
            ...i.targets,
            ...i.drStandbys,
            ...i.sources,
            ...[primary, dr].flatMap((region) => (['subgrp', 'pg', 'og'] as const).map((type) => rdsArn(this, region, type, '*'))),
          ],
        }),
        // Tags on create (the failback-source tag that makes a re-run find its replica) need AddTagsToResource.
        new iam.PolicyStatement({ sid: 'TagConfiguredReplicas', actions: ['rds:AddTagsToResource'], resources: [...i.targets, ...i.drStandbys] }),
        new iam.PolicyStatement({ sid: 'GrantRdsUseOfDrKey', actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [drKey.resource], conditions: drKey.conditions }),
        ...[primary, dr].map(
          (region) =>
            new iam.PolicyStatement({
              sid: `GrantRdsUseOfReplicaKeys${region === primary ? 'Primary' : 'Dr'}`,
              actions: ['kms:CreateGrant', 'kms:DescribeKey'],
              resources: [kmsKeyArn(this, region, '*')],
              conditions: { StringEquals: { 'kms:ViaService': `rds.${region}.amazonaws.com` } },
            }),
        ),
      ],
      WILDCARD_REASONS,
    );

    // --- failback-replica-status: the replica and its lag, the new DR standby. Read-only. ---
    grantWithReasons(
      w.failbackReplicaStatus,
      [describe('DescribeFailbackReplicas', [...i.targets, ...i.drStandbys]), new iam.PolicyStatement({ sid: 'ReadReplicaLag', actions: ['cloudwatch:GetMetricStatistics'], resources: ['*'] })],
      WILDCARD_REASONS,
    );
    acknowledgeRule(w.failbackReplicaStatus.role!, 'AwsSolutions-IAM5[Resource::*]', 'cloudwatch:GetMetricStatistics (ReplicaLag) has no resource-level permissions; read-only.');

    // --- promote-failback-replica: only the configured replicas. ---
    grantWithReasons(
      w.promoteFailbackReplica,
      [describe('DescribeFailbackReplicas', i.targets), new iam.PolicyStatement({ sid: 'PromoteConfiguredReplicas', actions: ['rds:PromoteReadReplica'], resources: i.targets })],
      WILDCARD_REASONS,
    );

  }

  /** Aurora global databases: read the global cluster and the original cluster (and its lag), switch over back to it. */
  private grantGlobalFailback(w: FailbackPermissionsProps['workflow'], g: ReturnType<typeof failbackGlobals>): void {
    const readGlobal = (sid: string) => [
      new iam.PolicyStatement({ sid: `${sid}GlobalClusters`, actions: ['rds:DescribeGlobalClusters'], resources: g.globalClusters }),
      new iam.PolicyStatement({ sid: `${sid}PrimaryClusters`, actions: ['rds:DescribeDBClusters'], resources: g.primaryClusters }),
    ];
    grantWithReasons(
      w.globalFailbackChecks,
      [...readGlobal('Describe'), new iam.PolicyStatement({ sid: 'ReadGlobalReplicationLag', actions: ['cloudwatch:GetMetricStatistics'], resources: ['*'] })],
      WILDCARD_REASONS,
    );
    acknowledgeRule(w.globalFailbackChecks.role!, 'AwsSolutions-IAM5[Resource::*]', 'cloudwatch:GetMetricStatistics (AuroraGlobalDBReplicationLag) has no resource-level permissions; read-only.');
    grantWithReasons(w.globalWriterStatus, readGlobal('Describe'), WILDCARD_REASONS);
    grantWithReasons(
      w.switchoverBack,
      [
        ...readGlobal('Describe'),
        new iam.PolicyStatement({
          sid: 'SwitchOverConfiguredGlobalClustersBack',
          actions: ['rds:SwitchoverGlobalCluster'],
          // RDS authorizes it on the global cluster and its member clusters.
          resources: [...g.globalClusters, ...g.primaryClusters, ...g.secondaryClusters],
        }),
      ],
      WILDCARD_REASONS,
    );
  }
}
