// The SDK adapter behind plan-restore: what the restore needs to know about the source database
// (or, in the DR region, its replicated automated backups) and whether the target id is free.
import {
  DescribeDBClustersCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBInstanceAutomatedBackups,
  type DBInstance,
  type DBInstanceAutomatedBackup,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { orUndefined } from './rds-not-found.js';
import type { SourceFacts } from '../restore/restore-request.js';


export interface RestoreSourceGateway {
  /** The live instance or cluster `db` in this region, or undefined. */
  describeSource(db: string, now: Date): Promise<SourceFacts | undefined>;
  /** Replicated automated backups of instance `db` in this region (cross-region PITR), or undefined. */
  describeReplicatedBackups(db: string): Promise<SourceFacts | undefined>;
  /** Network and parameter settings of another database here (the DR standby), to restore next to it. */
  describeInstance(id: string): Promise<SourceFacts | undefined>;
  /** Whether an instance or cluster with this identifier exists here. */
  identifierInUse(id: string): Promise<boolean>;
}

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
    window: retentionDays > 0 ? { earliest, latest: d.LatestRestorableTime?.toISOString() } : undefined,
  };
}

export class RdsRestoreSourceReader implements RestoreSourceGateway {
  constructor(private readonly rds: RDSClient) {}

  async describeSource(db: string, now: Date): Promise<SourceFacts | undefined> {
    const instance = (await orUndefined(this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: db }))))?.DBInstances?.[0];
    if (instance && !instance.DBClusterIdentifier) {
      const facts = instanceFacts(instance, now);
      // The automated backup's own window is exact where RDS reports it.
      const backup = (await orUndefined(this.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: db }))))?.DBInstanceAutomatedBackups?.[0];
      if (facts.window && backup?.RestoreWindow?.EarliestTime) facts.window.earliest = backup.RestoreWindow.EarliestTime.toISOString();
      return facts;
    }
    const cluster = (await orUndefined(this.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: db }))))?.DBClusters?.[0];
    if (!cluster) return undefined;
    // The restored cluster gets one writer of the source writer's class.
    const writerId = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    const writer = writerId ? (await orUndefined(this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: writerId }))))?.DBInstances?.[0] : undefined;
    return {
      instanceClass: writer?.DBInstanceClass,
      kind: 'cluster',
      arn: cluster.DBClusterArn ?? '',
      engine: cluster.Engine ?? '',
      subnetGroup: cluster.DBSubnetGroup,
      securityGroupIds: (cluster.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
      parameterGroup: cluster.DBClusterParameterGroup,
      window: { earliest: cluster.EarliestRestorableTime?.toISOString(), latest: cluster.LatestRestorableTime?.toISOString() },
    };
  }

  async describeReplicatedBackups(db: string): Promise<SourceFacts | undefined> {
    // In the DR region no instance `db` exists, and DescribeDBInstanceAutomatedBackups' DBInstanceIdentifier
    // must name an existing instance: list the region's backups and match the replicated one by its source.
    let backup: DBInstanceAutomatedBackup | undefined;
    for await (const page of paginateDescribeDBInstanceAutomatedBackups({ client: this.rds }, {})) {
      backup ??= (page.DBInstanceAutomatedBackups ?? []).find(
        (b) => (b.DBInstanceIdentifier === db || b.DBInstanceArn?.endsWith(`:db:${db}`)) && b.RestoreWindow?.EarliestTime && b.RestoreWindow.LatestTime,
      );
      if (backup) break;
    }
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
    const d = (await orUndefined(this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))))?.DBInstances?.[0];
    return d ? instanceFacts(d, new Date()) : undefined;
  }

  async identifierInUse(id: string): Promise<boolean> {
    const instance = await orUndefined(this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })));
    if (instance?.DBInstances?.length) return true;
    const cluster = await orUndefined(this.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })));
    return (cluster?.DBClusters?.length ?? 0) > 0;
  }
}
