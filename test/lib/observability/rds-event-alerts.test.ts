import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/platform/config/schema.js';
import { allowing, drillConfig, LONG_TIMEOUT, rawTestConfig, statementsOf, synth, TEST_ACCOUNT, type Synthesized, settingsOf } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(drillConfig());
}, LONG_TIMEOUT);

const snapshotPattern = {
  source: ['aws.rds'],
  'detail-type': ['RDS DB Snapshot Event', 'RDS DB Cluster Snapshot Event'],
  detail: {
    SourceIdentifier: [{ prefix: 'rdsdr-' }],
    $or: Match.arrayWith([{ EventCategories: ['failure'] }, { EventID: ['RDS-EVENT-0061', 'RDS-EVENT-0190'] }]),
  },
};

describe('RDS event alerts', { timeout: LONG_TIMEOUT }, () => {
  it('both regions route failed / canceled rds-dr snapshot and copy events to the rds-event-notifier, retried and dead-lettered', () => {
    for (const t of [s.primaryTemplate, s.drTemplate!]) {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: snapshotPattern,
        Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 }, DeadLetterConfig: Match.anyValue() })],
      });
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.rds'],
          'detail-type': ['RDS DB Instance Event', 'RDS DB Cluster Event'],
          detail: { $or: Match.arrayWith([{ EventID: ['RDS-EVENT-0028'] }]) },
        },
      });
    }
  });

  it('each region\'s notifier publishes to its own stack\'s alert topic (by reference), never the other region\'s', () => {
    const primaryFn = Object.values(s.primaryTemplate.findResources('AWS::Lambda::Function')).find((f) =>
      String(f.Properties.Description).includes('RDS snapshot, copy and automated-backup failure events'),
    );
    expect(settingsOf(primaryFn!).alertTopicArn).toBe(`arn:aws:sns:eu-central-1:${TEST_ACCOUNT}:acme-dr-alerts`);
    expect(allowing(statementsOf(s.primaryTemplate, 'RdsEventAlertsNotifierRole'), 'sns:Publish').flatMap((st) => [st.Resource].flat())).toEqual([{ Ref: expect.stringMatching(/^AlertingTopic/) }]);
    const drFn = Object.values(s.drTemplate!.findResources('AWS::Lambda::Function')).find((f) =>
      String(f.Properties.Description).includes('RDS snapshot, copy and automated-backup failure events'),
    );
    expect(settingsOf(drFn!).alertTopicArn).toBe(`arn:aws:sns:eu-west-1:${TEST_ACCOUNT}:acme-dr-alerts`);
    const dr = statementsOf(s.drTemplate!, 'RdsEventAlertsNotifierRole');
    expect(allowing(dr, 'sns:Publish').flatMap((st) => [st.Resource].flat())).toEqual([{ Ref: expect.stringMatching(/^AlertTopicsCriticalTopic/) }]);
    // Read-only otherwise: tags, nothing that changes RDS.
    const rdsActions = dr.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action])).filter((a) => a.startsWith('rds:'));
    expect(rdsActions).toEqual(['rds:ListTagsForResource']);
  });
});

describe('sweeper warnings', { timeout: LONG_TIMEOUT }, () => {
  it('publishes to the DR region\'s warnings topic (its key by alias), not the critical one', () => {
    const fn = Object.values(s.drTemplate!.findResources('AWS::Lambda::Function')).find((f) =>
      String(f.Properties.Description).includes('deletes expired throwaway restore-drill'),
    );
    const settings = settingsOf(fn!);
    expect(settings.warningTopicArn).toContain(':sns:eu-west-1:');
    expect(settings.warningTopicArn).toContain(':acme-dr-warnings');
    const st = statementsOf(s.drTemplate!, 'RestoreDrillsSweeperFunctionRole');
    const publish = allowing(st, 'sns:Publish');
    expect(JSON.stringify(publish)).toContain('acme-dr-warnings');
    expect(JSON.stringify(publish)).not.toContain('acme-dr-alerts');
    expect(JSON.stringify(st)).toContain('alias/acme-dr/warnings');
  });
});

describe('PagerDuty URL from SSM', { timeout: LONG_TIMEOUT }, () => {
  it('alerts.pagerDutyUrlParameter subscribes the URL CloudFormation resolves from SSM; no URL in the template', () => {
    const raw = rawTestConfig() as { alerts: Record<string, unknown> };
    raw.alerts = { emails: ['dba@example.com'], pagerDutyUrlParameter: '/acme-dr/pagerduty-url' };
    const withParam = synth(parseConfig(raw, 'test'));
    const params = withParam.primaryTemplate.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const [paramId] = Object.entries(params).find(([, p]) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default === '/acme-dr/pagerduty-url')!;
    withParam.primaryTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: { Ref: paramId }, RawMessageDelivery: false });
    expect(JSON.stringify(withParam.primaryTemplate.toJSON())).not.toContain('events.pagerduty.com');
    // The DR stack's alert topic subscribes the same URL, read from the parameter of that name in the DR region.
    const drParams = withParam.drTemplate!.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const [drParamId] = Object.entries(drParams).find(([, p]) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default === '/acme-dr/pagerduty-url')!;
    withParam.drTemplate!.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: { Ref: drParamId }, RawMessageDelivery: false });
    expect(JSON.stringify(withParam.drTemplate!.toJSON())).not.toContain('events.pagerduty.com');
  });

  const problems = (alerts: Record<string, unknown>) => {
    const raw = { ...rawTestConfig(), alerts };
    try {
      parseConfig(raw, 'bad.json');
    } catch (err) {
      return (err as ConfigError).problems;
    }
    return [];
  };

  it('config: at most one of pagerDutyUrl / pagerDutyUrlParameter, at least one destination, a valid parameter name', () => {
    expect(problems({ pagerDutyUrl: 'https://events.pagerduty.com/x', pagerDutyUrlParameter: '/p' })).toEqual([
      expect.stringMatching(/^alerts: set pagerDutyUrl or pagerDutyUrlParameter, not both/),
    ]);
    expect(problems({ emails: [] })).toEqual([expect.stringMatching(/^alerts: no alert destination/)]);
    expect(problems({ pagerDutyUrlParameter: 'has spaces' })).toEqual([expect.stringMatching(/^alerts\.pagerDutyUrlParameter: must be an SSM parameter name/)]);
    expect(problems({ pagerDutyUrlParameter: '/acme/pd' })).toEqual([]);
  });
});

describe('PITR readiness IAM (check-pitr-readiness)', { timeout: LONG_TIMEOUT }, () => {
  const rdsActions = (st: ReturnType<typeof statementsOf>) => st.flatMap((x) => (Array.isArray(x.Action) ? x.Action : [x.Action])).filter((a) => a.startsWith('rds:')).sort();

  it('is read-only (plus the warnings topic) when no database enforces replication', () => {
    const st = statementsOf(s.primaryTemplate, 'BackupFunctionsCheckPitrReadinessRole');
    expect(rdsActions(st)).toEqual(['rds:DescribeDBClusters', 'rds:DescribeDBInstanceAutomatedBackups', 'rds:DescribeDBInstances']);
    expect(JSON.stringify(allowing(st, 'sns:Publish'))).toContain('acme-dr-warnings');
    expect(allowing(st, 'kms:CreateGrant')).toEqual([]);
  });

  it('may start backup replication only of the databases that enforce it, with the DR key by alias', () => {
    const raw = rawTestConfig();
    raw.incident = { databases: { 'orders-db': { pitr: { replicateToDr: true, enforce: true } }, 'billing-db': { pitr: { replicateToDr: true } } } };
    const t = synth(parseConfig(raw, 'test')).primaryTemplate;
    const st = statementsOf(t, 'BackupFunctionsCheckPitrReadinessRole');
    const start = allowing(st, 'rds:StartDBInstanceAutomatedBackupsReplication');
    expect(start).toHaveLength(1);
    const res = JSON.stringify(start[0].Resource);
    expect(res).toContain(':db:orders-db');
    expect(res).not.toContain('billing-db');
    expect(res).toContain('eu-west-1');
    expect(res).toContain(':auto-backup:*');
    const grants = allowing(st, 'kms:CreateGrant');
    expect(JSON.stringify(grants)).toContain('alias/acme-dr/dr-snapshots');
  });
});
