// IAM of the incident steps both incident workflows (failover, restore) deploy: endpoint cutover and
// the timeline report.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { warningKeyAliasName, warningTopicArn } from './config/runtime-settings.js';
import type { RdsDrConfig } from './config/schema.js';
import { kmsKeyArn } from './arns.js';
import { grantWithReasons, type WildcardReasons } from './grant.js';
import { remoteReportsBucket, reportsKeyAliasName, type ReportsBucket } from './reports-bucket.js';

/** Key prefix of the incident timelines (lambdas/incident/incident-report.handler.ts); one sub-prefix per workflow. */
export const INCIDENT_REPORTS_PREFIX = 'incidents/';

const WILDCARD_REASONS: WildcardReasons = [
  [/:kms:[a-z0-9-]+:[^:]+:key\/\*$/, 'The warning topic key (this region\'s, made by another construct) and, from the primary region, the reports key (DR stack, another region); each is matched by its alias (kms:ResourceAliases), not a stack reference.'],
  [/\/incidents\/[a-z-]+\/\*$/, 'Timeline keys (database, date, execution name) are only known at run time; limited to this workflow\'s incidents/ prefix (from the primary region: of the reports bucket, whose name ends in a suffix of the DR stack id matched by "?" per character; this account\'s buckets only, s3:ResourceAccount).'],
];

/**
 * Lets `fn` repoint the writer endpoints of incident.databases: UPSERT only CNAMEs with the configured
 * names in the configured zones, and PutParameter only on the configured parameters (both regions).
 * Shared by the failover and restore workflows (lambdas/incident/cutover-endpoint.handler.ts).
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
 * Lets `fn` (lambdas/incident/incident-report.handler.ts) write timelines under incidents/<workflow>/ of the reports bucket
 * and publish the notice to the warnings topic of its own region. Shared by the failover and restore workflows.
 */
export function grantIncidentReport(fn: IFunction, config: RdsDrConfig, reports: ReportsBucket | undefined, workflow: string): void {
  const { account, region } = Stack.of(fn);
  const anyKeyHere = kmsKeyArn(fn, region, '*');
  // From another region (the primary deployment of the restore workflow) the DR bucket and its key
  // are reached by the name the DR stack publishes and by alias, not by a cross-region reference.
  const remote = reports ? undefined : remoteReportsBucket(fn, config);
  const timelineKeys = `${INCIDENT_REPORTS_PREFIX}${workflow}/*`;
  const writeTimelines = remote
    ? [
        remote.readName,
        new iam.PolicyStatement({ sid: 'WriteIncidentTimelines', actions: ['s3:PutObject'], resources: [remote.objectsArn(timelineKeys)], conditions: remote.inAccount }),
      ]
    : [new iam.PolicyStatement({ sid: 'WriteIncidentTimelines', actions: ['s3:PutObject'], resources: [reports!.bucket.arnForObjects(timelineKeys)] })];
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
      ...writeTimelines,
      reportsKey,
      new iam.PolicyStatement({ sid: 'PublishIncidentNotice', actions: ['sns:Publish'], resources: [warningTopicArn(config, { account, region })] }),
      new iam.PolicyStatement({
        sid: 'EncryptNoticeWithTopicKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [anyKeyHere],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': warningKeyAliasName(config) } },
      }),
    ],
    WILDCARD_REASONS,
  );
}

