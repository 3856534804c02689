import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import type { IncidentDatabaseConfig } from '../platform/config/incident-schema.js';
import { acknowledgeRule } from '../platform/nag.js';
import type { ReportsBucket } from '../platform/reports-bucket.js';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import { activeRegionParameterArn, rdsArn, describeSnapshotsStatement } from '../platform/arns.js';
import { grantEndpointCutover, grantIncidentReport } from '../platform/incident-permissions.js';

const WILDCARD_REASONS: WildcardReasons = [
  [
    /:rds:[a-z0-9-]+:[^:]+:(db|cluster):\*$/,
    'Protection by tag selection is decided over the primary region\'s fleet (unfiltered DescribeDBInstances/DescribeDBClusters ' +
      'are authorized against db:* / cluster:*); read-only.',
  ],
  [
    /:rds:[a-z0-9-]+:[^:]+:(snapshot|cluster-snapshot):\*$/,
    'With the primary region unreadable, the policies that protect a database are read from its copies in the DR region ' +
      '(an unfiltered Describe*Snapshots is authorized against snapshot:* / cluster-snapshot:*); read-only, DR region only.',
  ],
  [/:ssm:[a-z0-9-]+:[^:]+:parameter\/[^*]+\/active-region\/\*$/, 'One active-region record per database, named by the database (/<app>/active-region/<db>); only the app\'s own path.'],
  [/:kms:[a-z0-9-]+:[^:]+:key\/\*$/, 'The warning topic key (this region\'s, made by another construct) and, from the primary region, the reports key (DR stack, another region); each is matched by its alias (kms:ResourceAliases), not a stack reference.'],
];

type WithStandby = [string, IncidentDatabaseConfig & { standby: NonNullable<IncidentDatabaseConfig['standby']> }];

/** The configured standbys: what the failover may read and promote. Nothing else. */
export function configuredStandbys(scope: Construct, config: RdsDrConfig) {
  const account = Stack.of(scope).account;
  const withStandby = Object.entries(config.incident.databases).filter((e): e is WithStandby => e[1].standby !== undefined);
  const replicas = withStandby.flatMap(([, d]) => ('replicaInstance' in d.standby ? [rdsArn(scope, config.drRegion, 'db', d.standby.replicaInstance)] : []));
  const globals = withStandby.flatMap(([db, d]) => ('globalCluster' in d.standby ? [{ db, ...d.standby }] : []));
  return {
    replicas,
    primaryInstances: withStandby.filter(([, d]) => 'replicaInstance' in d.standby).map(([db]) => rdsArn(scope, config.primaryRegion, 'db', db)),
    primaryClusters: globals.map((g) => rdsArn(scope, config.primaryRegion, 'cluster', g.db)),
    secondaryClusters: globals.map((g) => rdsArn(scope, config.drRegion, 'cluster', g.secondaryCluster)),
    // Global clusters have no region in their ARN.
    globalClusters: globals.map((g) => `arn:aws:rds::${account}:global-cluster:${g.globalCluster}`),
  };
}

export interface FailoverPermissionsProps {
  readonly config: RdsDrConfig;
  readonly workflow: {
    readonly stateMachine: sfn.StateMachine;
    readonly planFailover: IFunction;
    readonly failoverChecks: IFunction;
    readonly promoteStandby: IFunction;
    readonly standbyStatus: IFunction;
    readonly recordActiveRegion: IFunction;
    readonly cutoverEndpoint: IFunction;
    readonly incidentReport: IFunction;
  };
  readonly reports: ReportsBucket;
}

/**
 * Least privilege for the failover. The only destructive grants: rds:PromoteReadReplica on the
 * configured replica ARNs, Switchover/FailoverGlobalCluster on the configured global clusters and
 * their members, Route 53 UPSERT of the configured CNAMEs, PutParameter on the configured parameters.
 */
export class FailoverPermissions extends Construct {
  constructor(scope: Construct, id: string, props: FailoverPermissionsProps) {
    super(scope, id);
    const { config, workflow: w } = props;
    const s = configuredStandbys(this, config);
    const drStandbyReads = (sid: string) => [
      ...(s.replicas.length ? [new iam.PolicyStatement({ sid: `${sid}Replicas`, actions: ['rds:DescribeDBInstances'], resources: s.replicas })] : []),
      ...(s.secondaryClusters.length
        ? [
            new iam.PolicyStatement({ sid: `${sid}SecondaryClusters`, actions: ['rds:DescribeDBClusters'], resources: s.secondaryClusters }),
            new iam.PolicyStatement({ sid: `${sid}GlobalClusters`, actions: ['rds:DescribeGlobalClusters'], resources: s.globalClusters }),
          ]
        : []),
    ];

    // --- State machine: invokes its six Lambdas (unqualified ARNs, as the ASL calls them). ---
    grantWithReasons(
      w.stateMachine,
      [
        new iam.PolicyStatement({
          sid: 'InvokeFailoverFunctions',
          actions: ['lambda:InvokeFunction'],
          resources: [w.planFailover, w.failoverChecks, w.promoteStandby, w.standbyStatus, w.recordActiveRegion, w.cutoverEndpoint, w.incidentReport].map((f) => f.functionArn),
        }),
      ],
      WILDCARD_REASONS,
    );

    // --- plan-failover: read-only fleet listing in the primary region (tag selection). ---
    grantWithReasons(
      w.planFailover,
      [
        new iam.PolicyStatement({
          sid: 'ReadPrimaryFleet',
          actions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
          resources: [rdsArn(this, config.primaryRegion, 'db', '*'), rdsArn(this, config.primaryRegion, 'cluster', '*')],
        }),
      ],
      WILDCARD_REASONS,
    );

    // --- failover-checks: the standbys, the primaries' state, the lag metrics. Read-only. ---
    grantWithReasons(
      w.failoverChecks,
      [
        ...drStandbyReads('DescribeStandby'),
        ...(s.primaryInstances.length ? [new iam.PolicyStatement({ sid: 'DescribePrimaryInstances', actions: ['rds:DescribeDBInstances'], resources: s.primaryInstances })] : []),
        ...(s.primaryClusters.length ? [new iam.PolicyStatement({ sid: 'DescribePrimaryClusters', actions: ['rds:DescribeDBClusters'], resources: s.primaryClusters })] : []),
        new iam.PolicyStatement({ sid: 'ReadReplicaLag', actions: ['cloudwatch:GetMetricStatistics'], resources: ['*'] }),
      ],
      WILDCARD_REASONS,
    );
    acknowledgeRule(
      w.failoverChecks.role!,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudwatch:GetMetricStatistics (ReplicaLag / AuroraGlobalDBReplicationLag) has no resource-level permissions; read-only.',
    );

    // --- promote-standby: the destructive grants, each limited to the configured standbys. ---
    grantWithReasons(
      w.promoteStandby,
      [
        ...drStandbyReads('DescribeStandby'),
        ...(s.replicas.length ? [new iam.PolicyStatement({ sid: 'PromoteConfiguredReplicas', actions: ['rds:PromoteReadReplica'], resources: s.replicas })] : []),
        ...(s.globalClusters.length
          ? [
              new iam.PolicyStatement({
                sid: 'SwitchOrFailOverConfiguredGlobalClusters',
                actions: ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
                // RDS authorizes these on the global cluster and its member clusters.
                resources: [...s.globalClusters, ...s.secondaryClusters, ...s.primaryClusters],
              }),
            ]
          : []),
      ],
      WILDCARD_REASONS,
    );

    // --- standby-status: read-only. ---
    grantWithReasons(w.standbyStatus, drStandbyReads('DescribeStandby'), WILDCARD_REASONS);

    // --- record-active-region: tag the configured standbys, read the configured primaries' tags, write the app's records. ---
    grantWithReasons(
      w.recordActiveRegion,
      [
        new iam.PolicyStatement({ sid: 'TagPromotedStandbys', actions: ['rds:AddTagsToResource'], resources: [...s.replicas, ...s.secondaryClusters] }),
        new iam.PolicyStatement({ sid: 'ReadPrimaryTags', actions: ['rds:ListTagsForResource'], resources: [...s.primaryInstances, ...s.primaryClusters] }),
        describeSnapshotsStatement(this, 'ListDrCopies', [config.drRegion]),
        new iam.PolicyStatement({
          sid: 'WriteActiveRegionRecords',
          actions: ['ssm:GetParameter', 'ssm:PutParameter'],
          resources: [activeRegionParameterArn(this, config, config.drRegion)],
        }),
      ],
      WILDCARD_REASONS,
    );

    grantEndpointCutover(w.cutoverEndpoint, config);
    grantIncidentReport(w.incidentReport, config, props.reports, 'failover');
  }
}
