import {
  DescribeDBClustersCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  StartDBInstanceAutomatedBackupsReplicationCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { PitrFacts, ProtectedDatabase } from '../core/pitr-readiness.js';

export interface PitrGateway {
  facts(db: ProtectedDatabase): Promise<PitrFacts>;
  /** StartDBInstanceAutomatedBackupsReplication, called in the DR region. */
  startReplication(db: ProtectedDatabase, retentionDays: number): Promise<void>;
}

/** Replicated-backup statuses that mean replication is running or starting (RDS DBInstanceAutomatedBackup.Status). */
const RUNNING = new Set(['replicating', 'pending', 'active']);

export class RdsPitrGateway implements PitrGateway {
  constructor(
    private readonly primary: RDSClient,
    private readonly dr: RDSClient,
    private readonly drRegion: string,
    private readonly drKmsKeyId: string,
  ) {}

  async facts(db: ProtectedDatabase): Promise<PitrFacts> {
    if (db.kind === 'cluster') {
      const c = (await this.primary.send(new DescribeDBClustersCommand({ DBClusterIdentifier: db.id }))).DBClusters?.[0];
      return { backupRetentionPeriod: c?.BackupRetentionPeriod ?? 0 };
    }
    const i = (await this.primary.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: db.id }))).DBInstances?.[0];
    const onInstance = (i?.DBInstanceAutomatedBackupsReplications ?? []).some((r) => r.DBInstanceAutomatedBackupsArn?.split(':')[3] === this.drRegion);
    // The DR region's view: replicated automated backups of this source instance.
    const inDr = (await this.dr.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: db.id }))).DBInstanceAutomatedBackups ?? [];
    const replica = inDr.find(
      (b) => (b.DBInstanceArn === db.arn || (i?.DbiResourceId !== undefined && b.DbiResourceId === i.DbiResourceId)) && RUNNING.has(b.Status ?? ''),
    );
    return {
      backupRetentionPeriod: i?.BackupRetentionPeriod ?? 0,
      replicatedToDr: onInstance || replica !== undefined,
      drRetentionDays: replica?.BackupRetentionPeriod,
    };
  }

  async startReplication(db: ProtectedDatabase, retentionDays: number): Promise<void> {
    await this.dr.send(
      new StartDBInstanceAutomatedBackupsReplicationCommand({
        SourceDBInstanceArn: db.arn,
        BackupRetentionPeriod: retentionDays,
        KmsKeyId: this.drKmsKeyId,
      }),
    );
  }
}
