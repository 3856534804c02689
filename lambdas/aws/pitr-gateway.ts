// What the PITR readiness check reads: retention in the primary region, replication into the DR region.
import { StartDBInstanceAutomatedBackupsReplicationCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { PitrFacts, PitrGateway, ProtectedDatabase } from '../core/pitr-readiness.js';
import { findAutomatedBackup } from './rds-automated-backups.js';
import { requireCluster, requireInstance } from './rds-databases.js';

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
    if (db.kind === 'cluster') return { backupRetentionPeriod: (await requireCluster(this.primary, db.id))?.BackupRetentionPeriod ?? 0 };
    // A database that cannot be read is the check's own shortfall ("unreadable"), with RDS's error.
    const i = await requireInstance(this.primary, db.id);
    const onInstance = (i?.DBInstanceAutomatedBackupsReplications ?? []).some((r) => r.DBInstanceAutomatedBackupsArn?.split(':')[3] === this.drRegion);
    // The DR region's view: replicated automated backups of this source instance.
    const replica = await findAutomatedBackup(this.dr, { arn: db.arn, dbiResourceId: i?.DbiResourceId }, (b) => RUNNING.has(b.Status ?? ''));
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
