// Starts an incident restore into a new identifier (instance or cluster, from a point in time or a
// snapshot) and adds an Aurora cluster's writer.
import {
  CreateDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  RestoreDBInstanceToPointInTimeCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { describeCluster, describeInstance } from './rds-databases.js';
import { RdsRestoredDatabaseReader } from './rds-restored-database.js';
import { tagMap } from './rds-tags.js';
import type { ExistingTarget, RestoreGateway, RestorePlan } from '../core/restore-plan.js';

const asTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const optional = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));

export class RdsRestoreGateway implements RestoreGateway {
  private readonly reader: RdsRestoredDatabaseReader;
  constructor(private readonly rds: RDSClient) {
    this.reader = new RdsRestoredDatabaseReader(rds);
  }

  async findTarget(plan: RestorePlan): Promise<ExistingTarget | undefined> {
    if (plan.kind === 'instance') {
      const d = await describeInstance(this.rds, plan.targetId);
      return d ? { tags: tagMap(d.TagList) } : undefined;
    }
    const c = await describeCluster(this.rds, plan.targetId);
    if (!c) return undefined;
    return { tags: tagMap(c.TagList), status: c.Status, memberExists: (c.DBClusterMembers ?? []).some((m) => m.DBInstanceIdentifier === plan.memberId) };
  }

  async restore(plan: RestorePlan, tags: Record<string, string>): Promise<void> {
    const network = optional({ DBSubnetGroupName: plan.subnetGroup, VpcSecurityGroupIds: plan.securityGroupIds });
    const when = plan.useLatest ? { UseLatestRestorableTime: true } : { RestoreTime: plan.restoreTime ? new Date(plan.restoreTime) : undefined };
    if (plan.kind === 'instance' && plan.mode === 'pitr') {
      await this.rds.send(new RestoreDBInstanceToPointInTimeCommand({
        ...(plan.automatedBackupsArn ? { SourceDBInstanceAutomatedBackupsArn: plan.automatedBackupsArn } : { SourceDBInstanceIdentifier: plan.db }),
        TargetDBInstanceIdentifier: plan.targetId,
        ...when,
        ...network,
        ...optional({ DBParameterGroupName: plan.parameterGroup, DBInstanceClass: plan.instanceClass }),
        Tags: asTags(tags),
      }));
    } else if (plan.kind === 'instance') {
      await this.rds.send(new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: plan.targetId,
        DBSnapshotIdentifier: plan.snapshotArn,
        ...network,
        ...optional({ DBParameterGroupName: plan.parameterGroup, DBInstanceClass: plan.instanceClass }),
        Tags: asTags(tags),
      }));
    } else if (plan.mode === 'pitr') {
      await this.rds.send(new RestoreDBClusterToPointInTimeCommand({
        DBClusterIdentifier: plan.targetId,
        SourceDBClusterIdentifier: plan.db,
        ...(plan.useLatest ? { UseLatestRestorableTime: true } : { RestoreToTime: plan.restoreTime ? new Date(plan.restoreTime) : undefined }),
        ...network,
        ...optional({ DBClusterParameterGroupName: plan.parameterGroup }),
        Tags: asTags(tags),
      }));
    } else {
      await this.rds.send(new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: plan.targetId,
        SnapshotIdentifier: plan.snapshotArn,
        Engine: plan.engine,
        ...network,
        ...optional({ DBClusterParameterGroupName: plan.parameterGroup }),
        Tags: asTags(tags),
      }));
    }
  }

  async addClusterMember(plan: RestorePlan, tags: Record<string, string>): Promise<void> {
    await this.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: plan.memberId,
      DBClusterIdentifier: plan.targetId,
      Engine: plan.engine,
      DBInstanceClass: plan.instanceClass ?? 'db.r6g.large',
      Tags: asTags(tags),
    }));
  }

  read(plan: RestorePlan) {
    return this.reader.read(plan.kind, plan.targetId, plan.memberId);
  }
}
