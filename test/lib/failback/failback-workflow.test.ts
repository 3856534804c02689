// The failback workflow in the DR stack: present only with a read-replica standby, least-privilege
// IAM (creation and promotion only of the configured identifiers), alerting, cdk-nag clean (synth throws otherwise).
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { allowing, asArray, LONG_TIMEOUT, rawTestConfig, statementsOf, synth, TEST_ACCOUNT, type IamStatement, type Synthesized } from '../fixtures.js';

const DR = 'eu-west-1';
const PRIMARY = 'eu-central-1';

function failbackConfig(databases: Record<string, unknown>) {
  return parseConfig({ ...rawTestConfig(), incident: { databases } }, 'test');
}

const actionsOf = (statements: IamStatement[]) => statements.flatMap((s) => asArray(s.Action));

describe('failback workflow (CDK)', () => {
  let built: Synthesized;
  beforeAll(() => {
    built = synth(
      failbackConfig({
        'orders-db': {
          standby: { replicaInstance: 'orders-db-replica' },
          endpoint: { ssmParameter: '/app/orders/writer' },
          failback: { replicaInstance: 'orders-db-home', standbyInstance: 'orders-db-dr' },
        },
        ledger: { standby: { globalCluster: 'ledger-global', secondaryCluster: 'ledger-dr' } },
      }),
    );
  }, LONG_TIMEOUT);

  it('deploys <app>-failback in the DR stack, watched by the DR alert rule', () => {
    built.drTemplate!.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-failback' });
    built.primaryTemplate.resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-failback' }, 0);
    const rules = Object.values(built.drTemplate!.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.states'] } } }));
    const watched = (rules[0] as { Properties: { EventPattern: { detail: { stateMachineArn: { Ref: string }[] } } } }).Properties.EventPattern.detail.stateMachineArn.map((r) => r.Ref);
    expect(watched).toContain(built.dr.getLogicalId(built.dr.failback!.stateMachine.node.defaultChild as never));
  });

  it('only create-failback-replica creates replicas, and only with the configured identifiers (no Aurora member)', () => {
    const create = allowing(statementsOf(built.drTemplate!, 'FailbackCreateFailbackReplicaRole'), 'rds:CreateDBInstanceReadReplica');
    expect(create).toHaveLength(1);
    const dbs = asArray(create[0].Resource as string).filter((r) => r.includes(':db:'));
    expect(dbs.sort()).toEqual(
      [`arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:db:orders-db-home`, `arn:aws:rds:${DR}:${TEST_ACCOUNT}:db:orders-db-dr`, `arn:aws:rds:${DR}:${TEST_ACCOUNT}:db:orders-db-replica`].sort(),
    );
    for (const role of ['FailbackPlanFailbackRole', 'FailbackFailbackChecksRole', 'FailbackFailbackReplicaStatusRole', 'FailbackReturnActiveRegionRole', 'FailbackCutoverEndpointRole', 'FailbackIncidentReportRole', 'FailbackGlobalFailbackChecksRole', 'FailbackGlobalWriterStatusRole']) {
      const actions = actionsOf(statementsOf(built.drTemplate!, role));
      expect(actions.filter((a) => a.startsWith('rds:') && !a.startsWith('rds:Describe')), role).toEqual([]);
    }
  });

  it('promotes only the configured primary-region replica; writes only the active-region record', () => {
    const promote = allowing(statementsOf(built.drTemplate!, 'FailbackPromoteFailbackReplicaRole'), 'rds:PromoteReadReplica');
    expect(promote[0].Resource).toBe(`arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:db:orders-db-home`);
    const record = allowing(statementsOf(built.drTemplate!, 'FailbackReturnActiveRegionRole'), 'ssm:PutParameter');
    // Both databases fail back: the read replica and the Aurora global database.
    expect(asArray(record[0].Resource as string).sort()).toEqual([
      `arn:aws:ssm:${DR}:${TEST_ACCOUNT}:parameter/acme-dr/active-region/ledger`,
      `arn:aws:ssm:${DR}:${TEST_ACCOUNT}:parameter/acme-dr/active-region/orders-db`,
    ]);
  });
});

it('an Aurora-only standby deploys the failback with only the switchover back: SwitchoverGlobalCluster on the configured global cluster and its clusters, no instance writes', () => {
  const built = synth(failbackConfig({ ledger: { standby: { globalCluster: 'ledger-global', secondaryCluster: 'ledger-dr' } } }));
  expect(built.dr.failback).toBeDefined();
  built.drTemplate!.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-failback' });
  const switchover = allowing(statementsOf(built.drTemplate!, 'FailbackSwitchoverBackRole'), 'rds:SwitchoverGlobalCluster');
  expect(switchover).toHaveLength(1);
  expect(asArray(switchover[0].Resource as string).sort()).toEqual(
    [`arn:aws:rds::${TEST_ACCOUNT}:global-cluster:ledger-global`, `arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:cluster:ledger`, `arn:aws:rds:${DR}:${TEST_ACCOUNT}:cluster:ledger-dr`].sort(),
  );
  for (const role of ['FailbackCreateFailbackReplicaRole', 'FailbackPromoteFailbackReplicaRole', 'FailbackGlobalFailbackChecksRole', 'FailbackGlobalWriterStatusRole']) {
    const actions = actionsOf(statementsOf(built.drTemplate!, role));
    expect(actions.filter((a) => a.startsWith('rds:') && !a.startsWith('rds:Describe')), role).toEqual([]);
  }
  const record = allowing(statementsOf(built.drTemplate!, 'FailbackReturnActiveRegionRole'), 'ssm:PutParameter');
  expect(record[0].Resource).toBe(`arn:aws:ssm:${DR}:${TEST_ACCOUNT}:parameter/acme-dr/active-region/ledger`);
}, LONG_TIMEOUT);
