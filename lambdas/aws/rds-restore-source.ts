// What an incident restore needs to know about its source database (or, in the DR region, its
// replicated automated backups) and whether the target identifier is free.
import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import type { RestoreSourceGateway, SourceFacts } from '../core/restore-plan.js';
import { automatedBackupOfLiveInstance, findAutomatedBackup } from './rds-automated-backups.js';
import { describeCluster, describeInstance, identifierInUse } from './rds-databases.js';

function instanceFacts(d: DBInstance, now: Date): SourceFacts {
  const retentionDays = d.BackupRetentionPeriod ?? 0;
  const created = d.InstanceCreateTime?.getTime() ?? now.getTime();
  // RDS keeps PITR for the retention period, and never before the instance existed.
  const earliest = retentionDays > 0 ? new Date(Math.max(created, now.getTime() - retentionDays * 86_400_000)).toISOString() : undefined;
  return {
    kind: 'instance',
    arn: d.DBInstanceArn ?? '',
    engine: d.Engine ?? '',
    instanceClass: d.DBInstanceClass,
    subnetGroup: d.DBSubnetGroup?.DBSubnetGroupName,
    securityGroupIds: (d.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
    parameterGroup: d.DBParameterGroups?.[0]?.DBParameterGroupName,
    managesMasterPassword: d.MasterUserSecret?.SecretArn !== undefined,
    window: retentionDays > 0 ? { earliest, latest: d.LatestRestorableTime?.toISOString() } : undefined,
  };
}

export class RdsRestoreSourceReader implements RestoreSourceGateway {
  constructor(private readonly rds: RDSClient) {}

  async describeSource(db: string, now: Date): Promise<SourceFacts | undefined> {
    const instance = await describeInstance(this.rds, db);
    if (instance && !instance.DBClusterIdentifier) {
      const facts = instanceFacts(instance, now);
      // The automated backup's own window is exact where RDS reports it.
      const backup = await automatedBackupOfLiveInstance(this.rds, db);
      if (facts.window && backup?.RestoreWindow?.EarliestTime) facts.window.earliest = backup.RestoreWindow.EarliestTime.toISOString();
      return facts;
    }
    const cluster = await describeCluster(this.rds, db);
    if (!cluster) return undefined;
    // The restored cluster gets one writer of the source writer's class.
    const writerId = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    const writer = writerId ? await describeInstance(this.rds, writerId) : undefined;
    return {
      instanceClass: writer?.DBInstanceClass,
      kind: 'cluster',
      arn: cluster.DBClusterArn ?? '',
      engine: cluster.Engine ?? '',
      subnetGroup: cluster.DBSubnetGroup,
      securityGroupIds: (cluster.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
      parameterGroup: cluster.DBClusterParameterGroup,
      managesMasterPassword: cluster.MasterUserSecret?.SecretArn !== undefined,
      window: { earliest: cluster.EarliestRestorableTime?.toISOString(), latest: cluster.LatestRestorableTime?.toISOString() },
    };
  }

  async describeReplicatedBackups(db: string): Promise<SourceFacts | undefined> {
    // In the DR region no instance `db` exists: list the region's backups and match the replicated one by its source.
    const backup = await findAutomatedBackup(this.rds, { id: db }, (b) => b.RestoreWindow?.EarliestTime !== undefined && b.RestoreWindow.LatestTime !== undefined);
    if (!backup) return undefined;
    return {
      kind: 'instance',
      arn: backup.DBInstanceArn ?? '',
      engine: backup.Engine ?? '',
      securityGroupIds: [],
      automatedBackupsArn: backup.DBInstanceAutomatedBackupsArn,
      window: { earliest: backup.RestoreWindow!.EarliestTime!.toISOString(), latest: backup.RestoreWindow!.LatestTime!.toISOString() },
    };
  }

  async describeInstance(id: string): Promise<SourceFacts | undefined> {
    const d = await describeInstance(this.rds, id);
    return d ? instanceFacts(d, new Date()) : undefined;
  }

  identifierInUse(id: string): Promise<boolean> {
    return identifierInUse(this.rds, id);
  }
}
