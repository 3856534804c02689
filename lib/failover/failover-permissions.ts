import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import type { IncidentDatabaseConfig } from '../platform/config/incident-schema.js';
import { acknowledgeRule } from '../platform/nag.js';
import { warningKeyAliasName } from '../observability/alerting.js';
import { reportsBucketName, reportsKeyAliasName, type ReportsBucket } from '../platform/reports-bucket.js';
import { grantWithReasons, type WildcardReasons } from '../platform/grant.js';
import { kmsKeyArn, rdsArn } from '../platform/arns.js';
import { warningTopicName } from '../platform/config/runtime-settings.js';

/** Key prefix of the incident timelines (lambdas/incident-report); one sub-prefix per workflow. */
export const INCIDENT_REPORTS_PREFIX = 'incidents/';

const WILDCARD_REASONS: WildcardReasons = [
  [
    /:rds:[a-z0-9-]+:[^:]+:(db|cluster):\*$/,
    'Protection by tag selection is decided over the primary region\'s fleet (unfiltered DescribeDBInstances/DescribeDBClusters ' +
      'are authorized against db:* / cluster:*); read-only.',
  ],
  [/:kms:[a-z0-9-]+:[^:]+:key\/\*$/, 'The warning topic key (primary stack) and, from the primary region, the reports key (DR stack) live in other stacks/regions; each is matched by its alias (kms:ResourceAliases), not a stack reference.'],
  [/\/incidents\/[a-z-]+\/\*$/, 'Timeline keys (database, date, execution name) are only known at run time; limited to this workflow\'s incidents/ prefix.'],
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

/**
 * Lets `fn` repoint the writer endpoints of incident.databases: UPSERT only CNAMEs with the configured
 * names in the configured zones, and PutParameter only on the configured parameters (both regions).
 * Reusable by the restore workflow's cutover.
 */
export function grantEndpointCutover(fn: IFunction, config: RdsDrConfig): void {
  const account = Stack.of(fn).account;
  const endpoints = Object.values(config.incident.databases).flatMap((d) => (d.endpoint ? [d.endpoint] : []));
  const zones = [...new Set(endpoints.flatMap((e) => (e.route53 ? [e.route53.hostedZoneId] : [])))];
  const statements: iam.PolicyStatement[] = [];
  for (const zone of zones) {
    const names = [...new Set(endpoints.filter((e) => e.route53?.hostedZoneId === zone).map((e) => e.route53!.recordName.replace(/\.$/, '').toLowerCase()))];
    statements.push(
      new iam.PolicyStatement({
        sid: `UpsertWriterCname${zone}`,
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [`arn:aws:route53:::hostedzone/${zone}`],
        conditions: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
            'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
            'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
          },
        },
      }),
    );
  }
  if (zones.length > 0) {
    statements.push(
      new iam.PolicyStatement({ sid: 'ReadWriterCnames', actions: ['route53:ListResourceRecordSets'], resources: zones.map((z) => `arn:aws:route53:::hostedzone/${z}`) }),
    );
  }
  const parameters = [...new Set(endpoints.flatMap((e) => (e.ssmParameter ? [e.ssmParameter] : [])))];
  if (parameters.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'WriteWriterParameters',
        actions: ['ssm:GetParameter', 'ssm:PutParameter'],
        resources: [config.primaryRegion, config.drRegion].flatMap((region) => parameters.map((p) => `arn:aws:ssm:${region}:${account}:parameter${p}`)),
      }),
    );
  }
  grantWithReasons(fn, statements, WILDCARD_REASONS);
}

/**
 * Lets `fn` (lambdas/incident-report) write timelines under incidents/<workflow>/ of the reports bucket
 * and publish the notice to the primary-region warnings topic. Reusable by the restore workflow.
 */
export function grantIncidentReport(fn: IFunction, config: RdsDrConfig, reports: ReportsBucket | undefined, workflow: string): void {
  const account = Stack.of(fn).account;
  const anyPrimaryKey = kmsKeyArn(fn, config.primaryRegion, '*');
  // From another region (the primary deployment of the restore workflow) the DR bucket and its key
  // are reached by their fixed name and alias, not by a cross-region reference.
  const timelines = reports
    ? reports.bucket.arnForObjects(`${INCIDENT_REPORTS_PREFIX}${workflow}/*`)
    : `arn:aws:s3:::${reportsBucketName(config.appName, account, config.drRegion)}/${INCIDENT_REPORTS_PREFIX}${workflow}/*`;
  const reportsKey = reports
    ? new iam.PolicyStatement({ sid: 'EncryptIncidentTimelines', actions: ['kms:GenerateDataKey'], resources: [reports.key.keyArn] })
    : new iam.PolicyStatement({
        sid: 'EncryptIncidentTimelines',
        actions: ['kms:GenerateDataKey'],
        resources: [kmsKeyArn(fn, config.drRegion, '*')],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': reportsKeyAliasName(config.appName) } },
      });
  grantWithReasons(
    fn,
    [
      new iam.PolicyStatement({ sid: 'WriteIncidentTimelines', actions: ['s3:PutObject'], resources: [timelines] }),
      reportsKey,
      new iam.PolicyStatement({ sid: 'PublishIncidentNotice', actions: ['sns:Publish'], resources: [`arn:aws:sns:${config.primaryRegion}:${account}:${warningTopicName(config)}`] }),
      new iam.PolicyStatement({
        sid: 'EncryptNoticeWithTopicKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [anyPrimaryKey],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': warningKeyAliasName(config) } },
      }),
    ],
    WILDCARD_REASONS,
  );
}

export interface FailoverPermissionsProps {
  readonly config: RdsDrConfig;
  readonly workflow: {
    readonly stateMachine: sfn.StateMachine;
    readonly planFailover: IFunction;
    readonly failoverChecks: IFunction;
    readonly promoteStandby: IFunction;
    readonly standbyStatus: IFunction;
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
          resources: [w.planFailover, w.failoverChecks, w.promoteStandby, w.standbyStatus, w.cutoverEndpoint, w.incidentReport].map((f) => f.functionArn),
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

    grantEndpointCutover(w.cutoverEndpoint, config);
    grantIncidentReport(w.incidentReport, config, props.reports, 'failover');
  }
}
