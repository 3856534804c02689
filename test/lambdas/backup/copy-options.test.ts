// The copier's request to RDS for sources that need more than the DR key: an Oracle / SQL Server
// snapshot whose option group holds TDE (OptionGroupName) and an unencrypted Aurora cluster snapshot
// (no KmsKeyId). RDS-only rules moto does not model, so on aws-sdk-client-mock.
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { copyToDrRegion } from '../../../lambdas/backup/copy.js';
import { RdsSnapshotCopier, RdsSnapshotReader } from '../../../lambdas/aws/rds-snapshots.js';

const KEY = 'arn:aws:kms:us-west-2:123456789012:key/k';
const mock = mockClient(RDSClient); // every RDS client: the DR copier's and the reader's (awsClients) alike
const copier = new RdsSnapshotCopier(new RDSClient({ region: 'us-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));

describe('DR copy requests for sources with TDE or without encryption', () => {
  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  it('copies an Oracle snapshot whose option group has TDE with the DR option group configured for it, and the DR key', async () => {
    const source = 'arn:aws:rds:us-east-1:123456789012:snapshot:rdsdr-erp-202611220200';
    mock.on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: 'rdsdr-erp-202611220200' }).resolves({
      DBSnapshots: [{ DBSnapshotIdentifier: 'rdsdr-erp-202611220200', DBSnapshotArn: source, Engine: 'oracle-ee', Encrypted: true, OptionGroupName: 'erp-oracle-tde', Status: 'available' }],
    });
    mock.on(CopyDBSnapshotCommand).resolves({ DBSnapshot: { DBSnapshotArn: 'arn:aws:rds:us-west-2:123456789012:snapshot:rdsdr-erp-202611220200', Status: 'pending' } });
    const out = await copyToDrRegion(
      { kind: 'instance', sourceSnapshotArn: source, targetSnapshotId: 'rdsdr-erp-202611220200', kmsKeyId: KEY, tags: [] },
      'us-west-2', copier, new RdsSnapshotReader(), { 'erp-oracle-tde': 'erp-oracle-tde-dr' },
    );
    expect(out).toMatchObject({ started: true, warnings: [] });
    expect(mock.commandCalls(CopyDBSnapshotCommand)[0].args[0].input).toMatchObject({ SourceDBSnapshotIdentifier: source, KmsKeyId: KEY, OptionGroupName: 'erp-oracle-tde-dr' });
  });

  it('copies an unencrypted Aurora cluster snapshot without KmsKeyId and reports the unencrypted copy as a warning', async () => {
    const source = 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rdsdr-ledger-202611220200';
    mock.on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: 'rdsdr-ledger-202611220200' }).resolves({
      DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: 'rdsdr-ledger-202611220200', DBClusterSnapshotArn: source, Engine: 'aurora-postgresql', StorageEncrypted: false, Status: 'available' }],
    });
    mock.on(CopyDBClusterSnapshotCommand).resolves({ DBClusterSnapshot: { DBClusterSnapshotArn: 'arn:aws:rds:us-west-2:123456789012:cluster-snapshot:rdsdr-ledger-202611220200', Status: 'copying' } });
    const out = await copyToDrRegion(
      { kind: 'cluster', sourceSnapshotArn: source, targetSnapshotId: 'rdsdr-ledger-202611220200', kmsKeyId: KEY, tags: [] },
      'us-west-2', copier, new RdsSnapshotReader(),
    );
    expect(out.warnings).toEqual([expect.stringContaining('is NOT encrypted')]);
    const input = mock.commandCalls(CopyDBClusterSnapshotCommand)[0].args[0].input;
    expect(input.SourceDBClusterSnapshotIdentifier).toBe(source);
    expect(input.KmsKeyId).toBeUndefined();
  });
});
