import { readFileSync } from 'node:fs';
import { repoPath } from '../../../lib/platform/paths.js';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeSettingsSchema } from '../../../lambdas/core/settings.js';
import { buildApp } from '../../../lib/platform/app.js';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { allowing, asArray, LONG_TIMEOUT, rawDrillConfig, statementsOf, synth, testApp, testConfig, TEST_ACCOUNT, type Synthesized, settingsOf } from '../fixtures.js';

/** Restore drills, three policies with different objectives (the strictest differs per objective), a 10-minute monitor and warning recipients. */
function rawMonitoringConfig(): Record<string, unknown> {
  const raw = rawDrillConfig() as { policies: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  raw.policies.gold.objectives = { rpoPrimaryMinutes: 30, rpoDrMinutes: 2000, rtoMinutes: 300, verificationMaxAgeDays: 3 };
  raw.policies.billing.objectives = { rpoPrimaryMinutes: 120, rpoDrMinutes: 600, rtoMinutes: 90, verificationMaxAgeDays: 10 };
  // weekly keeps the defaults (60, 1500, 240, 8).
  raw.monitoring = { rpoMonitorRateMinutes: 10, warningEmails: ['warnings@example.com'] };
  return raw;
}
// Strictest of each objective: rpoPrimary 30 (gold), rpoDr 600 (billing), rto 90 (billing), verification 3 days (gold).

let s: Synthesized;
let plain: Template;
beforeAll(() => {
  s = synth(parseConfig(rawMonitoringConfig(), 'test'));
  // No drills, no warningEmails, default rate: only templates are needed (cdk-nag runs in the other suites).
  plain = Template.fromStack(buildApp(testConfig(), { app: testApp(), nag: false }).primary);
}, LONG_TIMEOUT);

/** Every bucket the DR stack can create (its name ends in 8 characters of its stack id), and where it names the one it did. */
const REPORTS_BUCKETS = 'acme-dr-reports-eu-west-1-????????';
const REPORTS_PARAMETER = '/acme-dr/reports-bucket';
const IN_ACCOUNT = { StringEquals: { 's3:ResourceAccount': TEST_ACCOUNT } };
const ref = (c: { node: { defaultChild?: unknown } }) => ({ Ref: s.primary.getLogicalId(c.node.defaultChild as never) });
const alarms = (t: Template) =>
  Object.fromEntries(Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r) => [r.Properties.AlarmName as string, r.Properties]));
const SCHEMA = 'SCHEMA("RdsDr", Database, Region)';

describe('RPO/RTO alarms', { timeout: LONG_TIMEOUT }, () => {
  const critical = () => ref(s.primary.alerting.topic);
  const warning = () => ref(s.primary.rpoMonitoring.warningTopic);

  it.each([
    ['RpoPrimaryBreached', `SELECT MAX(RecoveryPointAgeSeconds) FROM ${SCHEMA} WHERE Region = 'eu-central-1'`, 'GreaterThanThreshold', 30 * 60, 600],
    ['RpoDrBreached', `SELECT MAX(RecoveryPointAgeSeconds) FROM ${SCHEMA} WHERE Region = 'eu-west-1'`, 'GreaterThanThreshold', 600 * 60, 600],
    ['VerificationFailed', `SELECT MIN(LastVerificationPassed) FROM ${SCHEMA}`, 'LessThanThreshold', 1, 600],
    ['VerificationStale', `SELECT MAX(LastVerificationAgeSeconds) FROM ${SCHEMA}`, 'GreaterThanThreshold', 3 * 86400, 600],
    ['RtoExceeded', `SELECT MAX(RestoreSeconds) FROM ${SCHEMA}`, 'GreaterThanThreshold', 90 * 60, 3600],
    ['SnapshotQuotaHigh', 'SELECT MAX(SnapshotQuotaUsedPercent) FROM SCHEMA("RdsDr", Region)', 'GreaterThanOrEqualToThreshold', 90, 3600],
    ['CopyLagHigh', `SELECT MAX(LastCopyAgeSeconds) FROM ${SCHEMA} WHERE Region = 'eu-west-1'`, 'GreaterThanThreshold', 600 * 60 * 0.8, 600],
    ['RecoveryPointInFuture', `SELECT MAX(FutureRecoveryPoints) FROM ${SCHEMA}`, 'GreaterThanThreshold', 0, 600],
  ])('%s queries Metrics Insights with the strictest objective', (name, expression, comparison, threshold, period) => {
    const alarm = alarms(s.primaryTemplate)[`acme-dr-${name}`];
    expect(alarm).toMatchObject({ ComparisonOperator: comparison, Threshold: threshold });
    expect(alarm.Metrics).toEqual([expect.objectContaining({ Expression: expression, Period: period, ReturnData: true })]);
    expect(alarm.MetricName).toBeUndefined();
    expect(alarm.EvaluationPeriods).toBeGreaterThanOrEqual(1);
    expect(alarm.EvaluationPeriods).toBeLessThanOrEqual(2);
    expect(alarm.AlarmDescription).toContain('When an alert fires');
    // Names its runbook section (an anchor that exists in docs/ALARMS.md) and stays within CloudWatch's 1024 chars.
    const anchor = /docs\/ALARMS\.md#([a-z-]+)/.exec(alarm.AlarmDescription)?.[1];
    expect(readFileSync(repoPath('docs', 'ALARMS.md'), 'utf8')).toContain(`<a id="${anchor}"></a>`);
    expect(alarm.AlarmDescription).toContain('#dashboards/dashboard/acme-dr');
    expect(alarm.AlarmDescription.length).toBeLessThanOrEqual(1024);
  });

  it('has exactly these eight alarms', () => {
    expect(Object.keys(alarms(s.primaryTemplate)).sort()).toEqual(
      ['CopyLagHigh', 'RecoveryPointInFuture', 'RpoDrBreached', 'RpoPrimaryBreached', 'RtoExceeded', 'SnapshotQuotaHigh', 'VerificationFailed', 'VerificationStale'].map((n) => `acme-dr-${n}`),
    );
  });

  it('treats missing monitor data as breaching (a dead monitor alarms); not for weekly drills, the daily quota metric, or the copy series the DR region owns', () => {
    const byName = alarms(s.primaryTemplate);
    for (const name of ['RpoPrimaryBreached', 'VerificationFailed', 'VerificationStale']) {
      expect(byName[`acme-dr-${name}`].TreatMissingData).toBe('breaching');
    }
    // Here only databases without any DR copy (lambdas/monitor/series-owner.ts): usually none, and that is no breach;
    // the DR region's alarms of the same names, on the copy series published there, treat missing data as breaching.
    for (const name of ['RpoDrBreached', 'CopyLagHigh']) expect(byName[`acme-dr-${name}`].TreatMissingData).toBe('notBreaching');
    expect(byName['acme-dr-RtoExceeded'].TreatMissingData).toBe('notBreaching');
    expect(byName['acme-dr-SnapshotQuotaHigh'].TreatMissingData).toBe('ignore');
    // Published as 0 every run: a dead monitor is the RPO alarms' to report.
    expect(byName['acme-dr-RecoveryPointInFuture'].TreatMissingData).toBe('notBreaching');
  });

  it('pages on the alert topic for objective breaches and only warns for copy lag', () => {
    const byName = alarms(s.primaryTemplate);
    for (const name of ['RpoPrimaryBreached', 'RpoDrBreached', 'VerificationFailed', 'VerificationStale', 'RtoExceeded', 'SnapshotQuotaHigh']) {
      expect(byName[`acme-dr-${name}`].AlarmActions).toEqual([critical()]);
    }
    expect(byName['acme-dr-CopyLagHigh'].AlarmActions).toEqual([warning()]);
    expect(byName['acme-dr-RecoveryPointInFuture'].AlarmActions).toEqual([warning()]);
  });

  it('lets only this app\'s alarms publish to both topics, and use their keys', () => {
    for (const topic of [critical(), warning()]) {
      s.primaryTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
                ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:eu-central-1:${TEST_ACCOUNT}:alarm:acme-dr-*` },
              },
            }),
          ]),
        },
      });
    }
    const keys = s.primaryTemplate.findResources('AWS::KMS::Key');
    for (const topic of [s.primary.alerting.topic, s.primary.rpoMonitoring.warningTopic]) {
      const key = keys[s.primary.getLogicalId(topic.masterKey!.node.defaultChild as never)];
      expect(key.Properties.KeyPolicy.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]),
      );
    }
  });

  it('without restore drills has no verification alarms (their metrics would never exist) and default objectives', () => {
    const byName = alarms(plain);
    expect(byName['acme-dr-VerificationFailed']).toBeUndefined();
    expect(byName['acme-dr-VerificationStale']).toBeUndefined();
    expect(byName['acme-dr-RpoPrimaryBreached'].Threshold).toBe(3600);
    expect(byName['acme-dr-RpoDrBreached'].Threshold).toBe(1500 * 60);
    expect(byName['acme-dr-RtoExceeded'].Threshold).toBe(240 * 60);
  });
});

describe('warning topic', { timeout: LONG_TIMEOUT }, () => {
  it('is encrypted with its own rotating key, TLS-only, and emails monitoring.warningEmails', () => {
    const topic = s.primary.rpoMonitoring.warningTopic;
    const keyId = s.primary.getLogicalId(topic.masterKey!.node.defaultChild as never);
    s.primaryTemplate.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme-dr-warnings', KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(keyId).not.toBe(s.primary.getLogicalId(s.primary.alerting.topic.masterKey!.node.defaultChild as never));
    expect(s.primaryTemplate.findResources('AWS::KMS::Key')[keyId].Properties.EnableKeyRotation).toBe(true);
    s.primaryTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(topic)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const subs = Object.values(s.primaryTemplate.findResources('AWS::SNS::Subscription')).filter((r) => r.Properties.TopicArn.Ref === ref(topic).Ref);
    expect(subs.map((r) => [r.Properties.Protocol, r.Properties.Endpoint])).toEqual([['email', 'warnings@example.com']]);
  });

  it('falls back to alerts.emails (never PagerDuty)', () => {
    const topicId = Object.entries(plain.findResources('AWS::SNS::Topic')).find(([, r]) => r.Properties.TopicName === 'acme-dr-warnings')![0];
    const subs = Object.values(plain.findResources('AWS::SNS::Subscription')).filter((r) => r.Properties.TopicArn.Ref === topicId);
    expect(subs.map((r) => [r.Properties.Protocol, r.Properties.Endpoint]).sort()).toEqual([
      ['email', 'dba@example.com'],
      ['email', 'oncall@example.com'],
    ]);
  });
});

describe('RPO monitor', { timeout: LONG_TIMEOUT }, () => {
  const monitorProps = () => s.primaryTemplate.findResources('AWS::Lambda::Function')[ref(s.primary.rpoMonitoring.monitor).Ref].Properties;

  it('runs every monitoring.rpoMonitorRateMinutes via Scheduler, with retries and a dead-letter queue', () => {
    s.primaryTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'acme-dr-rpo-monitor',
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [ref(s.primary.rpoMonitoring.monitor).Ref, 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    plain.hasResourceProperties('AWS::Scheduler::Schedule', { Name: 'acme-dr-rpo-monitor', ScheduleExpression: 'rate(15 minutes)' });
  });

  it('is the rpo-monitor Lambda with a timeout of its interval (15 minutes) capped at 10 minutes, and the reports bucket\'s name parameter in its settings', () => {
    const props = monitorProps();
    // Paced listings of 1,000 databases' snapshots take minutes; 10 minutes is within the 15-minute interval.
    expect(props.Timeout).toBe(600);
    const settings = runtimeSettingsSchema.parse(settingsOf(s.primaryTemplate.findResources('AWS::Lambda::Function')[ref(s.primary.rpoMonitoring.monitor).Ref]));
    expect(settings.reportsBucketParameter).toBe(REPORTS_PARAMETER);
    expect(settings.reportsBucket).toBeUndefined();
  });

  it('only reads RDS, in both regions, on databases, snapshots and automated backups', () => {
    const statements = statementsOf(s.primaryTemplate, 'RpoMonitoringRpoMonitorRole');
    const rds = statements.flatMap((st) => asArray(st.Action)).filter((a) => a.startsWith('rds:'));
    expect(rds.sort()).toEqual(
      ['rds:DescribeDBClusterSnapshots', 'rds:DescribeDBClusters', 'rds:DescribeDBInstanceAutomatedBackups', 'rds:DescribeDBInstances', 'rds:DescribeDBSnapshots'],
    );
    const arns = (action: string) => allowing(statements, action).flatMap((st) => asArray(st.Resource as unknown)).map((r) => JSON.stringify(r));
    for (const region of ['eu-central-1', 'eu-west-1']) {
      for (const type of ['db', 'cluster', 'snapshot', 'cluster-snapshot']) {
        expect(arns('rds:DescribeDBInstances')).toContain(JSON.stringify(`arn:aws:rds:${region}:${TEST_ACCOUNT}:${type}:*`));
      }
      expect(arns('rds:DescribeDBInstanceAutomatedBackups')).toEqual(
        expect.arrayContaining([JSON.stringify(`arn:aws:rds:${region}:${TEST_ACCOUNT}:auto-backup:*`)]),
      );
    }
    expect(arns('rds:DescribeDBInstanceAutomatedBackups')).toHaveLength(2);
  });

  it('reads only verification reports, decrypts by the reports key alias, and publishes metrics only to RdsDr', () => {
    const statements = statementsOf(s.primaryTemplate, 'RpoMonitoringRpoMonitorRole');
    const actions = statements.flatMap((st) => asArray(st.Action));
    expect(actions.filter((a) => /^(s3|kms|cloudwatch):/.test(a)).sort()).toEqual(['cloudwatch:PutMetricData', 'kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    expect(allowing(statements, 's3:GetObject')).toEqual([expect.objectContaining({ Resource: `arn:aws:s3:::${REPORTS_BUCKETS}/reports/verification/*`, Condition: IN_ACCOUNT })]);
    expect(allowing(statements, 's3:ListBucket')).toEqual([
      expect.objectContaining({ Resource: `arn:aws:s3:::${REPORTS_BUCKETS}`, Condition: { StringLike: { 's3:prefix': 'reports/verification/*' }, ...IN_ACCOUNT } }),
    ]);
    expect(allowing(statements, 'ssm:GetParameter')).toEqual([
      expect.objectContaining({ Resource: `arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:parameter${REPORTS_PARAMETER}` }),
    ]);
    expect(allowing(statements, 'kms:Decrypt')).toEqual([
      expect.objectContaining({
        Resource: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/*`,
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme-dr/reports' } },
      }),
    ]);
    expect(allowing(statements, 'cloudwatch:PutMetricData')[0].Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'RdsDr' } });
  });
});

describe('dashboard', { timeout: LONG_TIMEOUT }, () => {
  it('graphs each region against its objective with Metrics Insights and lists every alarm', () => {
    const [dashboard] = Object.values(s.primaryTemplate.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard.Properties.DashboardName).toBe('acme-dr');
    // The body is an Fn::Join (alarm ARNs are tokens): its literal parts are the dashboard JSON.
    const parts: unknown[] = dashboard.Properties.DashboardBody['Fn::Join'][1];
    const body = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
    for (const region of ['eu-central-1', 'eu-west-1']) {
      expect(body).toContain(`WHERE Region = '${region}' GROUP BY Database`);
    }
    for (const metric of ['LastVerificationPassed', 'LastVerificationAgeSeconds', 'RestoreSeconds', 'ManagedSnapshotCount', 'SnapshotQuotaUsedPercent']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('"value":1800'); // RPO primary annotation, 30 min
    expect(body).toContain('"value":5400'); // RTO annotation, 90 min
    expect(body).toContain('"type":"alarm"');
    for (const alarm of s.primary.rpoMonitoring.alarms) {
      expect(body).toContain(s.primary.getLogicalId(alarm.node.defaultChild as never));
    }
  });
});
