import { beforeAll, describe, expect, it } from 'vitest';
import { allowing, BYO_KEY_ARN, byoKeyConfig, LONG_TIMEOUT, statementsOf, synth, testConfig, type Synthesized, settingsOf } from '../fixtures.js';

describe('DR stack (key created by the app)', { timeout: LONG_TIMEOUT }, () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(testConfig());
  }, LONG_TIMEOUT);

  it('lives in the DR region and is deployed before the primary stack', () => {
    expect(s.dr).toBeDefined();
    expect(s.dr!.stackName).toBe('acme-dr-dr');
    expect(s.dr!.region).toBe('eu-west-1');
    expect(s.primary.stackName).toBe('acme-dr-primary');
    expect(s.primary.region).toBe('eu-central-1');
    expect(s.primary.dependencies).toContain(s.dr);
  });

  it('holds a rotating, retained customer-managed key with the deterministic alias', () => {
    const keys = Object.values(s.drTemplate!.findResources('AWS::KMS::Key')).filter((k) => /snapshot copies/.test(k.Properties.Description));
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.Description).toMatch(/snapshot copies/);
    expect(key.DeletionPolicy).toBe('Retain');
    s.drTemplate!.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-dr/dr-snapshots' });
  });

  it('lets copy-snapshot use the DR key only by alias, and only for grants to AWS services', () => {
    const statements = statementsOf(s.primaryTemplate, 'BackupFunctionsAdvanceBackupBatchRole');
    const drGrant = allowing(statements, 'kms:CreateGrant').find((st) => String(st.Resource).includes(':eu-west-1:'));
    expect(drGrant).toMatchObject({
      Resource: 'arn:aws:kms:eu-west-1:111122223333:key/*',
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme-dr/dr-snapshots' },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    });
  });
});

describe('bring-your-own DR key (drKmsKeyArn)', { timeout: LONG_TIMEOUT }, () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(byoKeyConfig());
  }, LONG_TIMEOUT);

  it('creates no snapshot key in the DR stack (which still holds the reports bucket)', () => {
    expect(s.dr.snapshotKey).toBeUndefined();
    // Besides the reports key, only the DR topics' own keys.
    expect(Object.values(s.drTemplate!.findResources('AWS::KMS::Key')).map((k) => k.Properties.Description).sort()).toEqual([
      'acme-dr: encrypts restore-drill and prune reports',
      'acme-dr: encrypts the rds-dr alert topic',
      'acme-dr: encrypts the rds-dr warning topic',
    ]);
    s.drTemplate!.resourceCountIs('AWS::S3::Bucket', 1);
  });

  it('scopes the copy KMS permissions to the configured key ARN', () => {
    const statements = statementsOf(s.primaryTemplate, 'BackupFunctionsAdvanceBackupBatchRole');
    const drKeyStatements = statements.filter((st) => String(st.Sid).includes('DrKey'));
    expect(drKeyStatements.map((st) => st.Resource)).toEqual([BYO_KEY_ARN, BYO_KEY_ARN]);
    expect(allowing(drKeyStatements, 'kms:CreateGrant')[0].Condition).toEqual({
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
    });
    expect(JSON.stringify(statements)).not.toContain('kms:ResourceAliases');
  });

  it('hands the configured key to the Lambdas', () => {
    const fn = Object.values(s.primaryTemplate.findResources('AWS::Lambda::Function'))[0];
    expect(settingsOf(fn).drKmsKeyId).toBe(BYO_KEY_ARN);
  });
});
