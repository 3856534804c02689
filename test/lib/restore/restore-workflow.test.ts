// The point-in-time / snapshot restore workflow in both stacks: least-privilege IAM (create only in
// requests tagged for incident restores, rename only own targets and protected databases, delete nothing).
import { beforeAll, describe, expect, it } from 'vitest';
import { allowing, asArray, drillConfig, LONG_TIMEOUT, statementsOf, synth, TEST_ACCOUNT, testConfig, type IamStatement, type Synthesized } from '../fixtures.js';

const PRIMARY = 'eu-central-1';
const DR = 'eu-west-1';
const actionsOf = (statements: IamStatement[]) => statements.flatMap((s) => asArray(s.Action));

describe('restore workflow (CDK)', { timeout: LONG_TIMEOUT }, () => {
  let s: Synthesized;
  let drills: Synthesized;
  beforeAll(() => {
    s = synth(testConfig());
    drills = synth(drillConfig());
  }, LONG_TIMEOUT);

  it('is deployed as <app>-restore in both regions, each restoring where it runs', () => {
    for (const template of [s.primaryTemplate, s.drTemplate!]) {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-restore' });
    }
    const region = (template: typeof s.primaryTemplate) =>
      Object.values(template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'acme-dr-restore' } }))[0].Properties.DefinitionSubstitutions.Region;
    expect(region(s.primaryTemplate)).toBe(PRIMARY);
    expect(region(s.drTemplate!)).toBe(DR);
  });

  it('creates databases only in requests tagged rds-dr:purpose=incident-restore', () => {
    const statements = statementsOf(s.primaryTemplate, 'RestoreRestoreDatabaseRole');
    for (const action of ['rds:RestoreDBInstanceToPointInTime', 'rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBClusterToPointInTime', 'rds:RestoreDBClusterFromSnapshot', 'rds:CreateDBInstance', 'rds:AddTagsToResource']) {
      const granted = allowing(statements, action);
      expect(granted, action).toHaveLength(1);
      expect(granted[0].Condition).toEqual({ StringEquals: { 'aws:RequestTag/rds-dr:purpose': 'incident-restore' } });
    }
  });

  it('renames only its own tagged targets, the listed databases and the tag-selected ones', () => {
    const renames = allowing(statementsOf(s.primaryTemplate, 'RestoreRenameCutoverRole'), 'rds:ModifyDBInstance');
    const bySid = Object.fromEntries(renames.map((st) => [st.Sid, st]));
    expect(bySid.RenameRestoredTargets.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/rds-dr:purpose': 'incident-restore' } });
    expect(asArray(bySid.RenameListedDatabases.Resource)).toEqual(expect.arrayContaining([`arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:db:billing-db`, `arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:cluster:ledger`]));
    expect(bySid.RenameTagSelectedgold.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/rds-dr:policy': 'gold', 'aws:ResourceTag/env': 'prod' } });
    // The listed databases' set-aside originals (<db>-replaced-<time>), which the cutover tags rds-dr:replaced-by.
    expect(asArray(bySid.RenameListedDatabases.Resource)).toEqual(expect.arrayContaining([`arn:aws:rds:${PRIMARY}:${TEST_ACCOUNT}:db:billing-db-replaced-*`]));
    expect(allowing(statementsOf(s.primaryTemplate, 'RestoreRenameCutoverRole'), 'rds:AddTagsToResource').map((st) => st.Sid).sort()).toEqual(['RenameListedDatabases', 'RenameRestoredTargets', 'RenameTagSelectedgold', 'RenameTagSelectedweekly']);
    // Setting the original's parameter / option groups names only groups: a database still needs one of the statements above.
    expect(asArray(bySid.SetOriginalGroups.Resource).join(' ')).not.toMatch(/:(db|cluster):/);
    for (const st of renames) expect(st.Condition !== undefined || st.Sid === 'RenameListedDatabases' || st.Sid === 'SetOriginalGroups').toBe(true);
  });

  it('no role of the restore workflow can delete anything', () => {
    for (const template of [s.primaryTemplate, s.drTemplate!]) {
      const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => /^Restore(?!Drills)/.test(id));
      expect(roles.length).toBeGreaterThan(4);
      for (const role of roles) {
        expect(actionsOf(statementsOf(template, role)).filter((a) => /Delete/.test(a)), role).toEqual([]);
      }
    }
  });

  it('only the DR deployment with drills may turn on a target\'s managed password (for the verifier), and only on its own targets', () => {
    const primarySm = statementsOf(s.primaryTemplate, 'RestoreStateMachineRole');
    expect(allowing(primarySm, 'rds:ModifyDBInstance')).toEqual([]);
    const drSm = statementsOf(drills.drTemplate!, 'RestoreStateMachineRole');
    const manage = allowing(drSm, 'rds:ModifyDBInstance');
    expect(manage).toHaveLength(1);
    expect(manage[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/rds-dr:purpose': 'incident-restore' } });
    expect(JSON.stringify(allowing(drSm, 'lambda:InvokeFunction')[0].Resource)).toContain('VerifyRestoredDatabase');
  });

  it('the primary deployment writes timelines to the DR reports bucket (named in its SSM parameter), under incidents/restore/ only', () => {
    const statements = statementsOf(s.primaryTemplate, 'RestoreIncidentReportRole');
    const writes = allowing(statements, 's3:PutObject');
    expect(writes.map((w) => w.Resource)).toEqual([`arn:aws:s3:::acme-dr-reports-${DR}-????????/incidents/restore/*`]);
    expect(writes[0].Condition).toEqual({ StringEquals: { 's3:ResourceAccount': TEST_ACCOUNT } });
    expect(allowing(statements, 'ssm:GetParameter').map((st) => st.Resource)).toEqual([`arn:aws:ssm:${DR}:${TEST_ACCOUNT}:parameter/acme-dr/reports-bucket`]);
  });
});
