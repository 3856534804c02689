import { describe, expect, it } from 'vitest';
import { renameKeys, toSdkName, toSfnErrorName, toSfnName } from './sfn-names.js';

describe('Step Functions aws-sdk naming (local runner)', () => {
  it('converts SDK names to the Java-style names Step Functions uses', () => {
    expect(toSfnName('DBSnapshots')).toBe('DbSnapshots');
    expect(toSfnName('DBSnapshotArn')).toBe('DbSnapshotArn');
    expect(toSfnName('IAMDatabaseAuthenticationEnabled')).toBe('IamDatabaseAuthenticationEnabled');
    expect(toSfnName('KmsKeyId')).toBe('KmsKeyId');
    expect(toSfnName('MultiAZ')).toBe('MultiAz');
  });

  it('converts Step Functions parameter names back to RDS API names', () => {
    expect(toSdkName('rds', 'DbSnapshotIdentifier')).toBe('DBSnapshotIdentifier');
    expect(toSdkName('rds', 'DbClusterIdentifier')).toBe('DBClusterIdentifier');
    expect(toSdkName('rds', 'DbiResourceId')).toBe('DbiResourceId');
    expect(toSdkName('rds', 'Tags')).toBe('Tags');
  });

  it('names errors <Service>.<Name>Exception', () => {
    expect(toSfnErrorName('rds', 'DBSnapshotAlreadyExistsFault')).toBe('Rds.DbSnapshotAlreadyExistsException');
    expect(toSfnErrorName('rds', 'SnapshotQuotaExceededFault')).toBe('Rds.SnapshotQuotaExceededException');
    expect(toSfnErrorName('rds', 'ThrottlingException')).toBe('Rds.ThrottlingException');
  });

  it('renames nested keys, drops SDK metadata and serialises dates', () => {
    expect(renameKeys({ $metadata: {}, DBSnapshots: [{ SnapshotCreateTime: new Date(0), TagList: [{ Key: 'k', Value: 'v' }] }] }, toSfnName)).toEqual({
      DbSnapshots: [{ SnapshotCreateTime: '1970-01-01T00:00:00.000Z', TagList: [{ Key: 'k', Value: 'v' }] }],
    });
  });
});
