// The RPO monitor's DR-region deployment (lambdas/monitor/series-owner.ts): its function, schedule,
// alarms on the DR stack's own topics and dashboard, and IAM kept to the DR region except the one
// best-effort read of the primary region's snapshots.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeSettingsSchema } from '../../../lambdas/core/settings.js';
import { allowing, asArray, LONG_TIMEOUT, settingsOf, statementsOf, synth, testConfig, TEST_ACCOUNT, type Synthesized } from '../fixtures.js';

// testConfig: primary eu-central-1, DR eu-west-1, default objectives (60 min, 1500 min).
const PRIMARY = 'eu-central-1';
const DR = 'eu-west-1';

let s: Synthesized;
beforeAll(() => {
  // synth runs cdk-nag: the DR stack's new resources pass it or this throws.
  s = synth(testConfig());
}, LONG_TIMEOUT);

const dr = () => s.drTemplate!;
const ref = (c: { node: { defaultChild?: unknown } }) => ({ Ref: s.dr!.getLogicalId(c.node.defaultChild as never) });
const alarms = () => Object.fromEntries(Object.values(dr().findResources('AWS::CloudWatch::Alarm')).map((r) => [r.Properties.AlarmName as string, r.Properties]));

describe('RPO monitor in the DR stack', { timeout: LONG_TIMEOUT }, () => {
  it('is the rpo-monitor Lambda with role dr, scheduled every rpoMonitorRateMinutes in the DR region', () => {
    const monitor = s.dr!.rpoMonitoring.monitor;
    const fn = dr().findResources('AWS::Lambda::Function')[ref(monitor).Ref];
    const settings = runtimeSettingsSchema.parse(settingsOf(fn));
    expect(settings.monitorRole).toBe('dr');
    // Its own region's topics (the settings name the stack's region).
    expect(JSON.stringify(settings.alertTopicArn)).toContain(DR);
    dr().hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'acme-dr-rpo-monitor',
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [ref(monitor).Ref, 'Arn'] } }),
    });
    // The primary's stays as it was, without a role (primary).
    const primaryFn = s.primaryTemplate.findResources('AWS::Lambda::Function')[s.primary.getLogicalId(s.primary.rpoMonitoring.monitor.node.defaultChild as never)];
    expect(runtimeSettingsSchema.parse(settingsOf(primaryFn)).monitorRole).toBeUndefined();
  });

  it('alarms on the series it publishes, paging through the DR stack\'s own critical topic (copy lag and future points: its warnings topic)', () => {
    const byName = alarms();
    expect(Object.keys(byName).sort()).toEqual(['acme-dr-CopyLagHigh', 'acme-dr-RecoveryPointInFuture', 'acme-dr-RpoDrBreached', 'acme-dr-RpoPrimaryBreached']);
    const critical = ref(s.dr!.alertTopics.critical);
    const warning = ref(s.dr!.alertTopics.warning);
    expect(byName['acme-dr-RpoDrBreached'].AlarmActions).toEqual([critical]);
    expect(byName['acme-dr-RpoPrimaryBreached'].AlarmActions).toEqual([critical]);
    expect(byName['acme-dr-CopyLagHigh'].AlarmActions).toEqual([warning]);
    expect(byName['acme-dr-RecoveryPointInFuture'].AlarmActions).toEqual([warning]);
    expect(byName['acme-dr-RpoDrBreached'].Metrics[0].Expression).toBe(`SELECT MAX(RecoveryPointAgeSeconds) FROM SCHEMA("RdsDr", Database, Region) WHERE Region = '${DR}'`);
    expect(byName['acme-dr-RpoDrBreached'].Threshold).toBe(1500 * 60);
    // Every database with a DR copy has this series every run: missing data is a dead DR monitor.
    expect(byName['acme-dr-RpoDrBreached'].TreatMissingData).toBe('breaching');
    // Only failed-over databases have their live series here: none in normal operation, which is no breach.
    expect(byName['acme-dr-RpoPrimaryBreached'].Metrics[0].Expression).toContain(`WHERE Region = '${PRIMARY}'`);
    expect(byName['acme-dr-RpoPrimaryBreached'].TreatMissingData).toBe('notBreaching');
    for (const a of Object.values(byName)) expect(a.AlarmDescription).toContain('#dashboards/dashboard/acme-dr-dr');
  });

  it('lets only this app\'s alarms in the DR region publish to the DR topics', () => {
    for (const topic of [s.dr!.alertTopics.critical, s.dr!.alertTopics.warning]) {
      const policies = Object.values(dr().findResources('AWS::SNS::TopicPolicy')).filter((p) => JSON.stringify(p.Properties.Topics) === JSON.stringify([ref(topic)]));
      const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Principal?: { Service?: string }; Condition?: unknown }[]);
      expect(statements.filter((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com').map((st) => st.Condition)).toEqual([
        { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${DR}:${TEST_ACCOUNT}:alarm:acme-dr-*` } },
      ]);
    }
  });

  it('has its own dashboard (dashboards are global: another name than the primary\'s)', () => {
    const names = (t: typeof s.primaryTemplate) => Object.values(t.findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName);
    expect(names(dr())).toEqual(['acme-dr-dr']);
    expect(names(s.primaryTemplate)).toEqual(['acme-dr']);
  });

  it('reads only in the DR region, except Describe of snapshots in the primary region (best effort: copies of failed-over databases); publishes metrics only there', () => {
    const statements = statementsOf(dr(), 'RpoMonitoringRpoMonitorRole');
    const resources = statements.flatMap((st) => asArray(st.Resource as string | string[]).map((r) => ({ r: JSON.stringify(r), actions: asArray(st.Action) })));
    const inPrimary = resources.filter(({ r }) => r.includes(`:${PRIMARY}:`));
    expect(inPrimary.map(({ r }) => r).sort()).toEqual([`"arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:cluster-snapshot:*"`, `"arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:snapshot:*"`]);
    for (const { actions } of inPrimary) expect(actions.sort()).toEqual(['rds:DescribeDBClusterSnapshots', 'rds:DescribeDBSnapshots']);
    const actions = statements.flatMap((st) => asArray(st.Action));
    // Read-only: no write of any kind, no drill reports (the primary monitor's series).
    expect(actions.filter((a) => !/^(rds:Describe|ssm:GetParametersByPath$|cloudwatch:PutMetricData$|logs:|xray:)/.test(a))).toEqual([]);
    expect(allowing(statements, 'ssm:GetParametersByPath')[0].Resource).toBe(`arn:aws:ssm:${DR}:${TEST_ACCOUNT}:parameter/acme-dr/active-region`);
    expect(allowing(statements, 'cloudwatch:PutMetricData')[0].Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'RdsDr', 'aws:RequestedRegion': DR } });
  });
});
