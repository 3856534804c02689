// One RDS DB instance or DB cluster by identifier: describe it (undefined when it does not exist),
// rename it, delete it. Every "describe an instance or a cluster" of rds-dr goes through here.
import {
  AddTagsToResourceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  type DBCluster,
  type DBInstance,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { isRdsNotFound, orUndefined } from './rds-not-found.js';
import type { InstanceDetails } from '../core/replicas.js';
import type { DatabaseSettings } from '../core/restore-plan.js';

export type DatabaseKind = 'instance' | 'cluster';

export async function describeInstance(rds: RDSClient, id: string): Promise<DBInstance | undefined> {
  return (await orUndefined(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))))?.DBInstances?.[0];
}

/** What the incident workflows read of an instance (state, replication source, endpoint, placement, tags). */
export function instanceDetails(db: DBInstance, id: string): InstanceDetails {
  return {
    id: db.DBInstanceIdentifier ?? id,
    arn: db.DBInstanceArn ?? '',
    status: db.DBInstanceStatus ?? 'unknown',
    replicaSource: db.ReadReplicaSourceDBInstanceIdentifier || undefined,
    endpoint: db.Endpoint?.Address,
    storageEncrypted: db.StorageEncrypted === true,
    kmsKeyId: db.KmsKeyId || undefined,
    subnetGroupName: db.DBSubnetGroup?.DBSubnetGroupName || undefined,
    securityGroupIds: (db.VpcSecurityGroups ?? []).flatMap((g) => (g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [])),
    parameterGroupName: db.DBParameterGroups?.[0]?.DBParameterGroupName || undefined,
    tags: Object.fromEntries((db.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}

/** The instance `id` as instanceDetails, or undefined when it does not exist. The failover's standby facts and the failback's instances both come from here. */
export async function describeInstanceDetails(rds: RDSClient, id: string): Promise<InstanceDetails | undefined> {
  const db = await describeInstance(rds, id);
  return db ? instanceDetails(db, id) : undefined;
}

/** The instance `id`; RDS's own not-found error when there is none (for callers that report it). */
export async function requireInstance(rds: RDSClient, id: string): Promise<DBInstance | undefined> {
  return (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
}

/** The cluster `id`; RDS's own not-found error when there is none. */
export async function requireCluster(rds: RDSClient, id: string): Promise<DBCluster | undefined> {
  return (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
}

export async function describeCluster(rds: RDSClient, id: string): Promise<DBCluster | undefined> {
  return (await orUndefined(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))))?.DBClusters?.[0];
}

/** The instance or cluster `id`, whichever `kind` says. */
export async function describeDatabase(rds: RDSClient, kind: DatabaseKind, id: string): Promise<DBInstance | DBCluster | undefined> {
  return kind === 'instance' ? describeInstance(rds, id) : describeCluster(rds, id);
}

/** Status of an instance (DBInstanceStatus) or a cluster (Status). */
export const statusOf = (d: DBInstance | DBCluster): string => ('DBInstanceStatus' in d ? d.DBInstanceStatus : (d as DBCluster).Status) ?? 'unknown';

/** Whether an instance or a cluster with this identifier exists here. */
export async function identifierInUse(rds: RDSClient, id: string): Promise<boolean> {
  return (await describeInstance(rds, id)) !== undefined || (await describeCluster(rds, id)) !== undefined;
}

/** ModifyDB{Instance,Cluster} NewDB…Identifier, applied immediately. */
export async function renameDatabase(rds: RDSClient, kind: DatabaseKind, from: string, to: string): Promise<void> {
  if (kind === 'instance') await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: from, NewDBInstanceIdentifier: to, ApplyImmediately: true }));
  else await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: from, NewDBClusterIdentifier: to, ApplyImmediately: true }));
}

/**
 * Deletes a throwaway instance, or a throwaway cluster after its member instances, without a final
 * snapshot; what is already gone counts as deleted (idempotent).
 */
export async function deleteThrowaway(rds: RDSClient, kind: DatabaseKind, id: string, memberIds: string[] = []): Promise<void> {
  const gone = (err: unknown) => {
    if (!isRdsNotFound(err)) throw err;
  };
  if (kind === 'instance') {
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true })).catch(gone);
    return;
  }
  for (const member of memberIds) await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: member, SkipFinalSnapshot: true })).catch(gone);
  await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true })).catch(gone);
}

/** The settings that protect an instance or a cluster (what a rename cutover copies to the restored one). */
export function protectionSettingsOf(d: DBInstance | DBCluster): DatabaseSettings {
  if ('DBInstanceIdentifier' in d && !('DBClusterMembers' in d)) {
    const i = d as DBInstance;
    return {
      deletionProtection: i.DeletionProtection,
      multiAz: i.MultiAZ,
      backupRetentionPeriod: i.BackupRetentionPeriod,
      preferredBackupWindow: i.PreferredBackupWindow,
      parameterGroup: i.DBParameterGroups?.[0]?.DBParameterGroupName,
      optionGroup: i.OptionGroupMemberships?.[0]?.OptionGroupName,
      copyTagsToSnapshot: i.CopyTagsToSnapshot,
      managesMasterPassword: i.MasterUserSecret?.SecretArn !== undefined,
      masterSecretKmsKeyId: i.MasterUserSecret?.KmsKeyId,
    };
  }
  const c = d as DBCluster;
  return {
    deletionProtection: c.DeletionProtection,
    backupRetentionPeriod: c.BackupRetentionPeriod,
    preferredBackupWindow: c.PreferredBackupWindow,
    parameterGroup: c.DBClusterParameterGroup,
    copyTagsToSnapshot: c.CopyTagsToSnapshot,
    managesMasterPassword: c.MasterUserSecret?.SecretArn !== undefined,
    masterSecretKmsKeyId: c.MasterUserSecret?.KmsKeyId,
  };
}

/** ARN of an instance or a cluster. */
export const arnOf = (d: DBInstance | DBCluster): string | undefined => ('DBInstanceArn' in d ? (d as DBInstance).DBInstanceArn : (d as DBCluster).DBClusterArn);

/** ModifyDB{Instance,Cluster} with the given protection settings, applied immediately. */
export async function applyProtectionSettings(rds: RDSClient, kind: DatabaseKind, id: string, s: Partial<DatabaseSettings>): Promise<void> {
  const common = {
    DeletionProtection: s.deletionProtection,
    BackupRetentionPeriod: s.backupRetentionPeriod,
    PreferredBackupWindow: s.preferredBackupWindow,
    CopyTagsToSnapshot: s.copyTagsToSnapshot,
    ...(s.managesMasterPassword ? { ManageMasterUserPassword: true, MasterUserSecretKmsKeyId: s.masterSecretKmsKeyId } : {}),
    ApplyImmediately: true,
  };
  if (kind === 'instance') {
    await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, ...common, MultiAZ: s.multiAz, DBParameterGroupName: s.parameterGroup, OptionGroupName: s.optionGroup }));
  } else {
    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: id, ...common, DBClusterParameterGroupName: s.parameterGroup }));
  }
}

export async function addTags(rds: RDSClient, arn: string, tags: Record<string, string>): Promise<void> {
  await rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
}
