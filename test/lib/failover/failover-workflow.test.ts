// The failover workflow in the DR stack: present only with a standby, least-privilege IAM, alerting, cdk-nag clean (synth throws otherwise).
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { allowing, asArray, LONG_TIMEOUT, rawDrillConfig, rawTestConfig, statementsOf, synth, TEST_ACCOUNT, testConfig, type IamStatement, type Synthesized } from '../fixtures.js';

const DR = 'eu-west-1';
const PRIMARY = 'eu-central-1';

function failoverConfig() {
  return parseConfig(
    {
      ...rawTestConfig(),
      incident: {
        databases: {
          'orders-db': {
            standby: { replicaInstance: 'orders-db-replica' },
            endpoint: { route53: { hostedZoneId: 'Z0123456789ABC', recordName: 'orders-db.internal.example.com', ttl: 30 }, ssmParameter: '/app/orders/writer' },
          },
          ledger: {
            standby: { globalCluster: 'ledger-global', secondaryCluster: 'ledger-dr' },
            endpoint: { ssmParameter: '/app/ledger/writer' },
          },
          // No standby: never promotable, its PITR settings only.
          'billing-db': {},
        },
      },
    },
    'test',
  );
}

const resources = (s: IamStatement) => JSON.stringify(asArray(s.Resource as unknown));
/** Every action of every statement of every role whose logical id starts with the prefix. */
const actionsOf = (statements: IamStatement[]) => statements.flatMap((s) => asArray(s.Action));

describe('failover workflow (CDK)', () => {
  let built: Synthesized;
  beforeAll(() => {
    built = synth(failoverConfig());
  }, LONG_TIMEOUT);

  it('deploys <app>-failover in the DR stack, not in the primary stack', () => {
    built.drTemplate!.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-failover' });
    built.primaryTemplate.resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-failover' }, 0);
    expect(built.dr.failover).toBeDefined();
  });

  it('an alert rule in the DR region watches the failover state machine', () => {
    const rules = built.drTemplate!.findResources('AWS::Events::Rule');
    const watching = Object.values(rules).filter((r) => JSON.stringify(r).includes('FailoverStateMachine'));
    expect(watching).toHaveLength(1);
    const pattern = (watching[0] as { Properties: { EventPattern: { detail: { status: string[] } } } }).Properties.EventPattern;
    expect(pattern.detail.status).toEqual(expect.arrayContaining(['FAILED', 'TIMED_OUT', 'ABORTED']));
  });

  it('only promote-standby can promote, and only the configured replica', () => {
    const promote = statementsOf(built.drTemplate!, 'FailoverPromoteStandbyRole');
    const promotions = allowing(promote, 'rds:PromoteReadReplica');
    expect(promotions).toHaveLength(1);
    expect(promotions[0].Resource).toEqual(`arn:aws:rds:${DR}:${TEST_ACCOUNT}:db:orders-db-replica`);
    for (const role of ['FailoverPlanFailoverRole', 'FailoverFailoverChecksRole', 'FailoverStandbyStatusRole', 'FailoverCutoverEndpointRole', 'FailoverIncidentReportRole']) {
      const actions = actionsOf(statementsOf(built.drTemplate!, role));
      expect(actions.filter((a) => a.startsWith('rds:') && !a.startsWith('rds:Describe'))).toEqual([]);
    }
  });

  it('global-cluster switchover / failover only on the configured global cluster and its member clusters', () => {
    const statements = allowing(statementsOf(built.drTemplate!, 'FailoverPromoteStandbyRole'), 'rds:FailoverGlobalCluster');
    expect(statements).toHaveLength(1);
    expect(asArray(statements[0].Action).sort()).toEqual(['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster']);
    expect(asArray(statements[0].Resource as string).sort()).toEqual(
      [
        `arn:aws:rds::${TEST_ACCOUNT}:global-cluster:ledger-global`,
        `arn:aws:rds:${DR}:${TEST_ACCOUNT}:cluster:ledger-dr`,
        `arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:cluster:ledger`,
      ].sort(),
    );
  });

  it('Route 53: UPSERT of the configured CNAME in the configured zone only', () => {
    const statements = allowing(statementsOf(built.drTemplate!, 'FailoverCutoverEndpointRole'), 'route53:ChangeResourceRecordSets');
    expect(statements).toHaveLength(1);
    expect(statements[0].Resource).toBe('arn:aws:route53:::hostedzone/Z0123456789ABC');
    expect(statements[0].Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['orders-db.internal.example.com'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    });
  });

  it('SSM: PutParameter on the configured parameters, in both regions, only', () => {
    const statements = allowing(statementsOf(built.drTemplate!, 'FailoverCutoverEndpointRole'), 'ssm:PutParameter');
    expect(statements).toHaveLength(1);
    expect(asArray(statements[0].Resource as string).sort()).toEqual(
      [PRIMARY, DR].flatMap((r) => ['/app/orders/writer', '/app/ledger/writer'].map((p) => `arn:aws:ssm:${r}:${TEST_ACCOUNT}:parameter${p}`)).sort(),
    );
  });

  it('the report writes only under incidents/failover/ and publishes only to the DR region\'s warnings topic', () => {
    const statements = statementsOf(built.drTemplate!, 'FailoverIncidentReportRole');
    expect(resources(allowing(statements, 's3:PutObject')[0])).toContain('/incidents/failover/*');
    expect(allowing(statements, 'sns:Publish')[0].Resource).toBe(`arn:aws:sns:${DR}:${TEST_ACCOUNT}:acme-dr-warnings`);
    const kms = allowing(statements, 'kms:Decrypt').filter((st) => JSON.stringify(st.Condition).includes('alias/acme-dr/warnings'));
    expect(kms.map((st) => st.Resource)).toEqual([`arn:aws:kms:${DR}:${TEST_ACCOUNT}:key/*`]);
    built.drTemplate!.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-dr/warnings' });
  });

  it('the active-region step writes only the app\'s records in the DR region and tags only the configured standbys', () => {
    const statements = statementsOf(built.drTemplate!, 'FailoverRecordActiveRegionRole');
    expect(resources(allowing(statements, 'ssm:PutParameter')[0])).toBe(JSON.stringify([`arn:aws:ssm:${DR}:${TEST_ACCOUNT}:parameter/acme-dr/active-region/*`]));
    expect(JSON.stringify(allowing(statements, 'rds:AddTagsToResource')[0].Resource)).toMatch(/:db:orders-db-replica",.*:cluster:ledger-dr"/);
    expect(JSON.stringify(allowing(statements, 'rds:AddTagsToResource')[0].Resource)).not.toMatch(/:db:\*/);
    expect(actionsOf(statements).filter((a) => a.startsWith('rds:')).sort()).toEqual(['rds:AddTagsToResource', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBSnapshots', 'rds:ListTagsForResource']);
    // Listing the database's copies (the policies that protect it, when the primary is unreadable): read-only, DR region only.
    expect(resources(allowing(statements, 'rds:DescribeDBSnapshots')[0])).toBe(JSON.stringify([`arn:aws:rds:${DR}:${TEST_ACCOUNT}:snapshot:*`, `arn:aws:rds:${DR}:${TEST_ACCOUNT}:cluster-snapshot:*`]));
  });

  it('the state machine role may only invoke its seven Lambdas (besides logging and tracing)', () => {
    const roles = built.drTemplate!.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'states.amazonaws.com' } })] }) } });
    const failoverRole = Object.keys(roles).find((id) => id.startsWith('FailoverStateMachine'))!;
    const statements = statementsOf(built.drTemplate!, failoverRole.replace(/Role[0-9A-F]{8}$/, 'Role'));
    const invoke = allowing(statements, 'lambda:InvokeFunction');
    expect(asArray(invoke[0].Resource as unknown)).toHaveLength(7);
    expect(actionsOf(statements).filter((a) => a.startsWith('rds:') || a.startsWith('route53:') || a.startsWith('ssm:'))).toEqual([]);
  });
});

it('without any standby configured there is no failover workflow (nothing to promote, no promotion permission)', () => {
  const built = synth(testConfig());
  expect(built.dr.failover).toBeUndefined();
  built.drTemplate!.resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-failover' }, 0);
  const policies = JSON.stringify(built.drTemplate!.findResources('AWS::IAM::Policy'));
  expect(policies).not.toMatch(/PromoteReadReplica|SwitchoverGlobalCluster|FailoverGlobalCluster|ChangeResourceRecordSets|ssm:PutParameter/);
}, LONG_TIMEOUT);

describe('DR-region alerting with drills and failover', () => {
  it('one failure-notifier and one rule watch every DR workflow', () => {
    const built = synth(parseConfig({ ...rawDrillConfig(), incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' }, endpoint: { ssmParameter: '/app/orders/writer' } } } } }, 'test'));
    const rules = Object.values(built.drTemplate!.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.states'] } } }));
    expect(rules).toHaveLength(1);
    const watched = (rules[0] as { Properties: { EventPattern: { detail: { stateMachineArn: { Ref: string }[] } } } }).Properties.EventPattern.detail.stateMachineArn;
    expect(watched.map((r) => r.Ref).sort()).toEqual([
      built.dr.getLogicalId(built.dr.backup.stateMachine.node.defaultChild as never),
      built.dr.getLogicalId(built.dr.prune.stateMachine.node.defaultChild as never),
      built.dr.getLogicalId(built.dr.failover!.stateMachine.node.defaultChild as never),
      // A read-replica standby also deploys the failback, which undoes its promotion.
      built.dr.getLogicalId(built.dr.failback!.stateMachine.node.defaultChild as never),
      built.dr.getLogicalId(built.dr.restoreDrills!.workflow.stateMachine.node.defaultChild as never),
      built.dr.getLogicalId(built.dr.restore.stateMachine.node.defaultChild as never),
    ].sort());
    const notifiers = Object.values(built.drTemplate!.findResources('AWS::Lambda::Function')).filter((f) => /readable alert for a failed/.test(JSON.stringify(f)));
    expect(notifiers).toHaveLength(1);
    expect((rules[0] as { Properties: { Targets: { Arn: unknown }[] } }).Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [built.dr.getLogicalId(built.dr.alerting!.notifier.node.defaultChild as never), 'Arn'] });
  }, LONG_TIMEOUT);
});
