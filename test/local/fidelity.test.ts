// The local AWS refuses what RDS refuses, where moto does not (test/local/fidelity.ts).
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdsFaultBoard, holdSnapshotStatus } from './faults.js';
import { enforceRdsContracts, tagProblem } from './fidelity.js';
import { motoClientConfig, RDS_MANUAL_SNAPSHOT_QUOTA, startMoto, type Moto } from './moto.js';

describe('RDS contracts the local AWS enforces', () => {
  let moto: Moto;
  let rds: RDSClient;
  let primary: RDSClient;
  const statuses = new RdsFaultBoard();
  const instance = (client: RDSClient, id: string, encrypted = true) =>
    client.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'u', MasterUserPassword: 'password123', StorageEncrypted: encrypted }));
  const cluster = (client: RDSClient, id: string, encrypted: boolean) =>
    client.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-postgresql', MasterUsername: 'u', MasterUserPassword: 'password123', StorageEncrypted: encrypted }));
  beforeAll(async () => {
    moto = await startMoto();
    rds = new RDSClient(motoClientConfig(moto, 'us-west-2'));
    primary = new RDSClient(motoClientConfig(moto, 'us-east-1'));
    enforceRdsContracts([rds, primary]);
    statuses.install([rds, primary]);
  });
  afterAll(async () => moto?.stop());

  it('refuses tag values with characters RDS does not allow, as InvalidParameterValue, before moto sees them', async () => {
    expect(tagProblem([{ Key: 'rds-dr:reason', Value: 'INC-42 bad migration' }])).toBeUndefined();
    expect(tagProblem([{ Key: 'rds-dr:reason', Value: 'INC-42, bad migration' }])).toMatch(/rds-dr:reason/);
    expect(tagProblem([{ Key: 'aws:x', Value: 'v' }])).toMatch(/aws:x/);
    const create = (value: string) =>
      rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `t${value.length}`, Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'u', MasterUserPassword: 'password123', Tags: [{ Key: 'why', Value: value }] }));
    await expect(create('INC-42, bad migration')).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(create('INC-42 bad migration')).resolves.toBeDefined();
  });

  it('answers DescribeDBInstanceAutomatedBackups for an identifier that names no instance here with an error, as RDS does', async () => {
    await expect(rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: 'orders' }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    await expect(rds.send(new DescribeDBInstanceAutomatedBackupsCommand({}))).resolves.toBeDefined();
  });

  it('refuses a snapshot of an instance or cluster that is not available (held backing-up / modifying), as RDS does, until the hold ends', async () => {
    await instance(primary, 'busy');
    await cluster(primary, 'busy-cluster', true);
    statuses.holdStatus('busy', 'backing-up', { requests: 1 });
    expect((await primary.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'busy' }))).DBInstances?.[0]?.DBInstanceStatus).toBe('backing-up');
    await expect(primary.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'busy', DBSnapshotIdentifier: 'busy-1' }))).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    // The hold lasted one request: the backup window is over.
    await expect(primary.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'busy', DBSnapshotIdentifier: 'busy-1' }))).resolves.toBeDefined();
    const release = statuses.holdStatus('busy-cluster', 'modifying');
    await expect(primary.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'busy-cluster', DBClusterSnapshotIdentifier: 'busy-cluster-1' }))).rejects.toMatchObject({ name: 'InvalidDBClusterStateFault' });
    release();
    await expect(primary.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'busy-cluster', DBClusterSnapshotIdentifier: 'busy-cluster-1' }))).resolves.toBeDefined();
  });

  it('refuses a KmsKeyId on a cross-region copy of an unencrypted DB cluster snapshot, as RDS does; an encrypted one copies', async () => {
    await cluster(primary, 'plain', false);
    await cluster(primary, 'sealed', true);
    const plain = (await primary.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'plain', DBClusterSnapshotIdentifier: 'plain-1' }))).DBClusterSnapshot!;
    const sealed = (await primary.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'sealed', DBClusterSnapshotIdentifier: 'sealed-1' }))).DBClusterSnapshot!;
    const copy = (source: string, target: string, KmsKeyId?: string) =>
      rds.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: source, TargetDBClusterSnapshotIdentifier: target, KmsKeyId }));
    await expect(copy(plain.DBClusterSnapshotArn!, 'plain-1-dr', 'alias/dr')).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    await expect(copy(plain.DBClusterSnapshotArn!, 'plain-1-dr')).resolves.toBeDefined();
    await expect(copy(sealed.DBClusterSnapshotArn!, 'sealed-1-dr', 'alias/aws/rds')).resolves.toBeDefined();
  });

  it('refuses a 21st DB snapshot copy (6th cluster snapshot copy) in progress into one region with SnapshotQuotaExceeded', async () => {
    await instance(primary, 'source');
    const source = (await primary.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'source', DBSnapshotIdentifier: 'source-1' }))).DBSnapshot!.DBSnapshotArn!;
    const releases: (() => void)[] = [];
    const copy = (i: number) => rds.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: source, TargetDBSnapshotIdentifier: `copy-${i}` }));
    for (let i = 0; i < 20; i++) {
      await copy(i);
      releases.push(holdSnapshotStatus(rds, `copy-${i}`, 'copying'));
    }
    await expect(copy(20)).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
    releases.shift()!(); // one copy completes
    await expect(copy(20)).resolves.toBeDefined();
    for (const release of releases) release();

    await cluster(primary, 'aurora', true);
    const clusterSource = (await primary.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'aurora', DBClusterSnapshotIdentifier: 'aurora-1' }))).DBClusterSnapshot!.DBClusterSnapshotArn!;
    const copyCluster = (i: number) => rds.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: clusterSource, TargetDBClusterSnapshotIdentifier: `cluster-copy-${i}` }));
    const clusterReleases: (() => void)[] = [];
    for (let i = 0; i < 5; i++) {
      await copyCluster(i);
      clusterReleases.push(holdSnapshotStatus(rds, `cluster-copy-${i}`, 'copying'));
    }
    await expect(copyCluster(5)).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
    for (const release of clusterReleases) release();
    await expect(copyCluster(5)).resolves.toBeDefined();
  });

  it('refuses manual snapshots beyond the default quota of 100 per region', async () => {
    const region = new RDSClient(motoClientConfig(moto, 'eu-west-1'));
    await instance(region, 'many');
    // moto's own automated snapshot of the new instance counts too: 99 manual ones fit.
    for (let i = 1; i < RDS_MANUAL_SNAPSHOT_QUOTA; i++) await region.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'many', DBSnapshotIdentifier: `many-${i}` }));
    await expect(region.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'many', DBSnapshotIdentifier: 'many-100' }))).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
  });

  it('restores a database without the deletion protection its source had, unless the request asks for it', async () => {
    const { RestoreDBInstanceFromDBSnapshotCommand, ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
    await instance(rds, 'guarded');
    await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'guarded', DeletionProtection: true, ApplyImmediately: true }));
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'guarded', DBSnapshotIdentifier: 'guarded-snap' }));
    const plain = await rds.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'guarded-restored', DBSnapshotIdentifier: 'guarded-snap' }));
    expect(plain.DBInstance?.DeletionProtection).toBe(false);
    const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'guarded-restored' }));
    expect(described.DBInstances?.[0]?.DeletionProtection).toBe(false);
    const asked = await rds.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'guarded-asked', DBSnapshotIdentifier: 'guarded-snap', DeletionProtection: true }));
    expect(asked.DBInstance?.DeletionProtection).toBe(true);
  });
});
