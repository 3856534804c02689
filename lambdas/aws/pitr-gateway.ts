// What the PITR readiness check reads and does in RDS: three region-wide listings (retention of every
// instance and cluster in the primary region; every automated backup held in the DR region) and the
// one write, StartDBInstanceAutomatedBackupsReplication. Every request takes its turn at its region's
// pacer, so the check's share of the RDS API budget is fixed whatever the fleet's size.
import {
  paginateDescribeDBClusters,
  paginateDescribeDBInstanceAutomatedBackups,
  paginateDescribeDBInstances,
  StartDBInstanceAutomatedBackupsReplicationCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { RequestPacer } from '../core/pacer.js';
import type { ClusterBackupSettings, DrAutomatedBackup, InstanceBackupSettings, PitrGateway, ProtectedDatabase } from '../core/pitr-readiness.js';
import { regionOfArn } from './clients.js';
import { pacedPages } from './paced-pages.js';

/** MaxRecords of all three Describe calls: "Default: 100. Constraints: Minimum 20, maximum 100." (RDS API Reference). */
export const RDS_PAGE_SIZE = 100;
/**
 * Requests per second the check sends to RDS in each region: a sixth of the default sustained rate of
 * 12 per account and region (Amazon RDS User Guide, "Request throttling for the Amazon RDS API"),
 * leaving the rest to the backup's own snapshots and copies and to every other tool in the account.
 */
export const PITR_REQUESTS_PER_SECOND = 2;

export interface RdsPitrGatewayProps {
  primary: RDSClient;
  dr: RDSClient;
  drKmsKeyId: string;
  /** One pacer per region (default PITR_REQUESTS_PER_SECOND each); tests pass pacers on a virtual clock. */
  pacers?: { primary: RequestPacer; dr: RequestPacer };
}

export class RdsPitrGateway implements PitrGateway {
  private readonly pacers: { primary: RequestPacer; dr: RequestPacer };

  constructor(private readonly props: RdsPitrGatewayProps) {
    this.pacers = props.pacers ?? { primary: new RequestPacer(PITR_REQUESTS_PER_SECOND), dr: new RequestPacer(PITR_REQUESTS_PER_SECOND) };
  }

  async listInstances(): Promise<InstanceBackupSettings[]> {
    const out: InstanceBackupSettings[] = [];
    for await (const page of pacedPages(this.pacers.primary, paginateDescribeDBInstances({ client: this.props.primary, pageSize: RDS_PAGE_SIZE }, {}))) {
      for (const i of page.DBInstances ?? []) {
        if (!i.DBInstanceArn) continue;
        out.push({
          arn: i.DBInstanceArn,
          dbiResourceId: i.DbiResourceId,
          retentionDays: i.BackupRetentionPeriod ?? 0,
          replicationRegions: (i.DBInstanceAutomatedBackupsReplications ?? []).flatMap((r) => (r.DBInstanceAutomatedBackupsArn ? [regionOfArn(r.DBInstanceAutomatedBackupsArn)] : [])),
        });
      }
    }
    return out;
  }

  async listClusters(): Promise<ClusterBackupSettings[]> {
    const out: ClusterBackupSettings[] = [];
    for await (const page of pacedPages(this.pacers.primary, paginateDescribeDBClusters({ client: this.props.primary, pageSize: RDS_PAGE_SIZE }, {}))) {
      for (const c of page.DBClusters ?? []) if (c.DBClusterArn) out.push({ arn: c.DBClusterArn, retentionDays: c.BackupRetentionPeriod ?? 0 });
    }
    return out;
  }

  /**
   * One listing of the whole DR region, matched to the sources in lambdas/core/pitr-readiness.ts: there,
   * DescribeDBInstanceAutomatedBackups by DBInstanceIdentifier fails (see rds-automated-backups.ts).
   */
  async listDrAutomatedBackups(): Promise<DrAutomatedBackup[]> {
    const out: DrAutomatedBackup[] = [];
    for await (const page of pacedPages(this.pacers.dr, paginateDescribeDBInstanceAutomatedBackups({ client: this.props.dr, pageSize: RDS_PAGE_SIZE }, {}))) {
      for (const b of page.DBInstanceAutomatedBackups ?? []) {
        out.push({ sourceArn: b.DBInstanceArn, dbiResourceId: b.DbiResourceId, status: b.Status ?? '', retentionDays: b.BackupRetentionPeriod });
      }
    }
    return out;
  }

  async startReplication(db: ProtectedDatabase, retentionDays: number): Promise<void> {
    await this.pacers.dr.turn();
    await this.props.dr.send(
      new StartDBInstanceAutomatedBackupsReplicationCommand({
        SourceDBInstanceArn: db.arn,
        BackupRetentionPeriod: retentionDays,
        KmsKeyId: this.props.drKmsKeyId,
      }),
    );
  }
}
