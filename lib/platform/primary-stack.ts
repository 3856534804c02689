import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BackupWorkflow } from '../backup/backup-workflow.js';
import type { RdsDrConfig } from './config/schema.js';
import { CoordinationTable } from './coordination-table.js';
import { RestoreWorkflow } from '../restore/restore-workflow.js';
import { Alerting } from '../observability/alerting.js';
import { RdsEventAlerts } from '../observability/rds-event-alerts.js';
import { RpoMonitoring } from '../observability/rpo-monitoring.js';
import { PruneWorkflow } from '../prune/prune-workflow.js';
import { WorkBucket } from './work-bucket.js';

export interface PrimaryStackProps extends StackProps {
  readonly config: RdsDrConfig;
}

/** Resources in the primary region: the scheduled backup workflow, the prune, alerting and RPO/RTO monitoring. */
export class PrimaryStack extends Stack {
  readonly alerting: Alerting;
  /** Plans, Distributed Map results and full reports of the backup and prune runs. */
  readonly work: WorkBucket;
  /** Copy slots and the work ledger; grant a function with `coordination.grantLeases(fn)`. */
  readonly coordination: CoordinationTable;
  readonly backup: BackupWorkflow;
  readonly prune: PruneWorkflow;
  readonly rpoMonitoring: RpoMonitoring;
  /** Point-in-time / snapshot restore for incidents, restoring in this region. */
  readonly restore: RestoreWorkflow;

  constructor(scope: Construct, id: string, props: PrimaryStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alerting = new Alerting(this, 'Alerting', config);
    this.work = new WorkBucket(this, 'Work', { appName: config.appName });

    this.coordination = new CoordinationTable(this, 'Coordination', config);

    this.backup = new BackupWorkflow(this, config, { coordination: this.coordination, work: this.work });
    this.alerting.watch(this.backup.stateMachine);

    this.prune = new PruneWorkflow(this, 'Prune', { config, alertTopic: this.alerting.topic, work: this.work });
    this.alerting.watch(this.prune.stateMachine);

    this.restore = new RestoreWorkflow(this, 'Restore', { config });
    this.alerting.watch(this.restore.stateMachine);

    this.rpoMonitoring = new RpoMonitoring(this, 'RpoMonitoring', { config, alertTopic: this.alerting.topic });
    // RDS snapshot / backup failure events of protected databases page through the alert topic.
    new RdsEventAlerts(this, 'RdsEventAlerts', { config, alertTopic: this.alerting.topic });
  }
}
