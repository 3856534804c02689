// The backup workflow's DR-region deployment (protection follows a failed-over database).
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { allowing, LONG_TIMEOUT, rawTestConfig, settingsOf, statementsOf, synth, testConfig, TEST_ACCOUNT, type Synthesized } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

describe('backup in the DR region', { timeout: LONG_TIMEOUT }, () => {
  it('deploys <app>-backup in the DR stack too, with one schedule per policy on the policy\'s own schedule', () => {
    s.drTemplate!.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'acme-dr-backup' });
    const names = (t: NonNullable<Synthesized['drTemplate']>) =>
      Object.values(t.findResources('AWS::Scheduler::Schedule')).map((r) => `${r.Properties.Name} ${r.Properties.ScheduleExpression}`).filter((n) => !/prune|rpo-monitor|verify|sweep/.test(n)).sort();
    expect(names(s.drTemplate!)).toEqual(names(s.primaryTemplate));
    expect(names(s.drTemplate!).length).toBeGreaterThan(0);
  });

  it('its functions run as the DR deployment, with the DR stack\'s work bucket and table', () => {
    const fns = Object.values(s.drTemplate!.findResources('AWS::Lambda::Function')).filter((f) => /lists the databases a policy protects/.test(JSON.stringify(f.Properties.Description)));
    expect(fns).toHaveLength(1);
    const settings = settingsOf(fns[0]);
    expect(settings.backupRole).toBe('dr');
    expect(settings.failbackKmsKeyId).toBe(`arn:aws:kms:eu-central-1:${TEST_ACCOUNT}:alias/aws/rds`);
    expect(JSON.stringify(settings.workBucket)).toMatch(/Work/);
  });

  it('snapshots only databases a failover tagged, in the DR region, and copies only to the primary region\'s rdsdr- snapshots', () => {
    const statements = statementsOf(s.drTemplate!, 'BackupFunctionsAdvanceBackupBatchRole');
    // On a database (the other statement is on the rdsdr- snapshot it creates).
    const create = allowing(statements, 'rds:CreateDBSnapshot').filter((st) => JSON.stringify(st.Resource).includes(':db:'));
    expect(create).toHaveLength(1);
    expect(create[0].Resource).toBe(`arn:aws:rds:eu-west-1:${TEST_ACCOUNT}:db:*`);
    expect(create[0].Condition).toEqual({ Null: { 'aws:ResourceTag/rds-dr:failover-of': 'false' } });
    const copy = allowing(statements, 'rds:CopyDBSnapshot');
    expect(JSON.stringify(copy)).toMatch(/eu-central-1:111122223333:snapshot:rdsdr-\*/);
    const grant = allowing(statements, 'kms:CreateGrant').find((st) => JSON.stringify(st.Condition).includes('ResourceAliases'));
    expect(grant?.Condition).toMatchObject({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/aws/rds' } });
    expect(JSON.stringify(grant?.Resource)).toMatch(/arn:aws:kms:eu-central-1:/);
  });

  it('both deployments read the active-region records in the DR region, and only those', () => {
    for (const template of [s.primaryTemplate, s.drTemplate!]) {
      const read = allowing(statementsOf(template, 'BackupFunctionsDiscoverDatabasesRole'), 'ssm:GetParametersByPath');
      expect(read.map((st) => st.Resource)).toEqual([`arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:parameter/acme-dr/active-region`]);
    }
  });
});

describe('incident.failbackKmsKeyArn', () => {
  it('must be a key in the primary region', () => {
    const key = (region: string) => `arn:aws:kms:${region}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(() => parseConfig({ ...rawTestConfig(), incident: { failbackKmsKeyArn: key('eu-central-1') } }, 'test')).not.toThrow();
    expect(() => parseConfig({ ...rawTestConfig(), incident: { failbackKmsKeyArn: key('eu-west-1') } }, 'test')).toThrow(/incident.failbackKmsKeyArn.*primaryRegion eu-central-1/);
    expect(() => parseConfig({ ...rawTestConfig(), incident: { failbackKmsKeyArn: 'alias/aws/rds' } }, 'test')).toThrow(/failbackKmsKeyArn/);
  });
});
