// The Step Functions aws-sdk naming contract the local runner enforces (test/local/sdk-contract.ts).
import { describe, expect, it } from 'vitest';
import { sfnErrorName, sfnErrorNames, sfnMemberName, toSdkInput, toSfnOutput, unCapitalize } from './sdk-contract.js';

describe('Step Functions aws-sdk naming (local runner)', () => {
  it('uncapitalises like aws-sdk-java-v2 codegen (its own test cases)', () => {
    for (const [name, java] of [['A', 'a'], ['ABC', 'abc'], ['AToken', 'aToken'], ['MFAToken', 'mfaToken'], ['AWSRequest', 'awsRequest'], ['MfaToken', 'mfaToken']]) {
      expect(unCapitalize(name)).toBe(java);
    }
  });

  it('lower-cases only the leading run of capitals: DBInstanceIdentifier -> DbInstanceIdentifier, MultiAZ stays', () => {
    expect(sfnMemberName('DBSnapshots')).toBe('DbSnapshots');
    expect(sfnMemberName('DBInstanceIdentifier')).toBe('DbInstanceIdentifier');
    expect(sfnMemberName('IAMDatabaseAuthenticationEnabled')).toBe('IamDatabaseAuthenticationEnabled');
    expect(sfnMemberName('KmsKeyId')).toBe('KmsKeyId');
    expect(sfnMemberName('MultiAZ')).toBe('MultiAZ');
    expect(sfnMemberName('SourceDBInstanceIdentifier')).toBe('SourceDBInstanceIdentifier');
  });

  it('accepts exactly the input shape\'s fields under their Step Functions names, nested ones too, and names each one it refuses', () => {
    const ok = toSdkInput('rds', 'restoreDBInstanceFromDBSnapshot', { DbInstanceIdentifier: 'x', 'DbSnapshotIdentifier.$': '$.arn', MultiAZ: false, Tags: [{ Key: 'k', Value: 'v' }] });
    expect(ok.problems).toEqual([]);
    expect(ok.input).toEqual({ DBInstanceIdentifier: 'x', 'DBSnapshotIdentifier.$': '$.arn', MultiAZ: false, Tags: [{ Key: 'k', Value: 'v' }] });
    const bad = toSdkInput('rds', 'restoreDBInstanceFromDBSnapshot', { DbInstanceIdentifier: 'x', MultiAz: false, DBSnapshotIdentifier: 'y', Tags: [{ Key: 'k', Val: 'v' }] });
    expect(bad.problems).toEqual([
      expect.stringMatching(/^Parameters\.MultiAz: not a field of rds:restoreDBInstanceFromDBSnapshot here; allowed: .*\bMultiAZ\b/),
      expect.stringMatching(/^Parameters\.DBSnapshotIdentifier: not a field/),
      expect.stringMatching(/^Parameters\.Tags\[0\]\.Val: not a field .*allowed: Key, Value$/),
    ]);
  });

  it('names errors <Service>.<Name>Exception from the modelled error shapes', () => {
    expect(sfnErrorName('rds', 'DBSnapshotAlreadyExistsFault')).toBe('Rds.DbSnapshotAlreadyExistsException');
    expect(sfnErrorName('rds', 'InvalidDBInstanceStateFault')).toBe('Rds.InvalidDBInstanceStateException');
    const known = sfnErrorNames('rds');
    expect(known.has('Rds.SnapshotQuotaExceededException')).toBe(true);
    expect(known.has('Rds.InvalidDBClusterStateException')).toBe(true);
    expect(known.has('Rds.RdsException')).toBe(true);
    // Not modelled by RDS: such errors reach Step Functions as the service's base exception.
    expect(known.has('Rds.ThrottlingException')).toBe(false);
    expect(known.has('Rds.InvalidDbInstanceStateException')).toBe(false);
  });

  it('renames results recursively, drops SDK metadata and serialises dates', () => {
    expect(toSfnOutput({ $metadata: {}, DBSnapshots: [{ SnapshotCreateTime: new Date(0), MultiAZ: true, TagList: [{ Key: 'k', Value: 'v' }] }] })).toEqual({
      DbSnapshots: [{ SnapshotCreateTime: '1970-01-01T00:00:00.000Z', MultiAZ: true, TagList: [{ Key: 'k', Value: 'v' }] }],
    });
  });
});
