import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RdsDrConfig } from './config/schema.js';
import { DrSnapshotKey } from './dr-snapshot-key.js';
import { FailoverWorkflow } from '../failover/failover-workflow.js';
import { FailbackWorkflow } from '../failback/failback-workflow.js';
import { RestoreWorkflow } from '../restore/restore-workflow.js';
import { AlertTopics } from '../observability/alert-topics.js';
import { DrAlerting } from '../observability/dr-alerting.js';
import { RdsEventAlerts } from '../observability/rds-event-alerts.js';
import { ReportsBucket } from './reports-bucket.js';
import { RestoreDrills } from '../drill/drill-workflow.js';
import { hasFailback, hasFailover, hasRestoreDrills } from './config/features.js';
import { WorkBucket } from './work-bucket.js';
import { CoordinationTable } from './coordination-table.js';
import { BackupWorkflow } from '../backup/backup-workflow.js';
import { RpoMonitoring } from '../observability/rpo-monitoring.js';
import { PruneWorkflow } from '../prune/prune-workflow.js';

export interface DrStackProps extends StackProps {
  readonly config: RdsDrConfig;
}

/** Reports are kept this long when no verification block says otherwise. */
export const DEFAULT_REPORT_RETENTION_DAYS = 400;

/**
 * Resources in the DR region: the key for snapshot copies (unless config.drKmsKeyArn names one),
 * the reports bucket, its own alert and warning topics, and, when a policy has `verify`, the restore
 * drills that prove those copies restore.
 */
export class DrStack extends Stack {
  readonly snapshotKey?: DrSnapshotKey;
  readonly reports: ReportsBucket;
  readonly restoreDrills?: RestoreDrills;
  /**
   * The DR region's work bucket (plans, Distributed Map results and reports of the drills and of the
   * DR region's backup): a Distributed Map reads its items from and writes its results to a bucket in its own region.
   */
  readonly work: WorkBucket;
  /** The DR region's copy slots and work claims (its backup's copies back to the primary region). */
  readonly coordination: CoordinationTable;
  /**
   * The backup workflow's DR-region deployment: the policies' databases a failover made active here
   * (lambdas/core/active-region.ts) are snapshotted here on their schedules and copied to the primary
   * region, with no redeploy at failover time; with nothing failed over, each run finds nothing to do.
   */
  readonly backup: BackupWorkflow;
  /**
   * The prune workflow's DR-region deployment: GFS retention of the snapshots the DR backup takes here
   * of failed-over databases (the primary deployment never touches them), with no need of the primary region.
   */
  readonly prune: PruneWorkflow;
  /** The failover workflow, when some database has a standby (incident.databases.<db>.standby). */
  readonly failover?: FailoverWorkflow;
  /** The failback workflow, when some database has a standby (a read replica or an Aurora global database: what a failover promoted, a failback returns). */
  readonly failback?: FailbackWorkflow;
  /** Point-in-time / snapshot restore for incidents, restoring in the DR region (DR copies, replicated backups). */
  readonly restore: RestoreWorkflow;
  /**
   * The DR region's own critical and warning topics (same names and subscriptions as the primary's):
   * everything in this stack pages through them, never through the primary region.
   */
  readonly alertTopics: AlertTopics;
  /** One failure-notifier and rule for every DR-region workflow. */
  readonly alerting: DrAlerting;
  /**
   * The RPO monitor's DR-region deployment (lambdas/monitor/series-owner.ts): copy ages of every database
   * and both ages of failed-over ones, its schedule, alarms and dashboard here, paging through this
   * region's topics, so the RPO series and their alarms outlive a primary-region outage.
   */
  readonly rpoMonitoring: RpoMonitoring;

  constructor(scope: Construct, id: string, props: DrStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.alertTopics = new AlertTopics(this, 'AlertTopics', config);
    if (!config.drKmsKeyArn) this.snapshotKey = new DrSnapshotKey(this, 'SnapshotKey', config);
    // Always here: drill reports and the prune workflow's plans and audits land in it.
    this.reports = new ReportsBucket(this, 'Reports', {
      appName: config.appName,
      retentionDays: config.verification?.reportRetentionDays ?? DEFAULT_REPORT_RETENTION_DAYS,
    });
    this.work = new WorkBucket(this, 'Work', { appName: config.appName });
    if (hasRestoreDrills(config)) {
      this.restoreDrills = new RestoreDrills(this, 'RestoreDrills', {
        config,
        drKeyArn: config.drKmsKeyArn ?? this.snapshotKey!.key.keyArn,
        reports: this.reports,
        work: this.work,
      });
    }
    // Same fixed table name as the primary's: DynamoDB table names are per region.
    this.coordination = new CoordinationTable(this, 'Coordination', config);
    this.backup = new BackupWorkflow(this, config, { coordination: this.coordination, work: this.work }, 'dr');
    this.prune = new PruneWorkflow(this, 'Prune', { config, alertTopic: this.alertTopics.critical, work: this.work, reports: this.reports, role: 'dr' });

    // Copies land here: their RDS failure events page through this region's alert topic.
    new RdsEventAlerts(this, 'RdsEventAlerts', { config, alertTopic: this.alertTopics.critical });
    if (hasFailover(config)) this.failover = new FailoverWorkflow(this, 'Failover', { config, reports: this.reports });
    if (hasFailback(config)) this.failback = new FailbackWorkflow(this, 'Failback', { config, reports: this.reports });

    const drills = this.restoreDrills;
    this.restore = new RestoreWorkflow(this, 'Restore', {
      config,
      reports: this.reports,
      verifier: drills && {
        fn: drills.functions.verifyRestoredDatabase,
        resources: { subnetGroupName: drills.network.subnetGroupName, securityGroupIds: [drills.network.restoredDbSecurityGroup.securityGroupId], reportsBucket: this.reports.bucket.bucketName },
      },
    });

    // Failed, timed-out or aborted DR-region executions page through this region's alert topic.
    const watched = [this.backup.stateMachine, this.prune.stateMachine, this.restoreDrills?.workflow.stateMachine, this.failover?.stateMachine, this.failback?.stateMachine, this.restore.stateMachine].filter((sm) => sm !== undefined);
    this.alerting = new DrAlerting(this, 'Alerting', { config, stateMachines: watched, alertTopic: this.alertTopics.critical });
    this.rpoMonitoring = new RpoMonitoring(this, 'RpoMonitoring', { config, role: 'dr', alertTopic: this.alertTopics.critical, warningTopic: this.alertTopics.warning });
  }
}
