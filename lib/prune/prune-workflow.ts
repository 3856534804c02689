import { Duration, TimeZone } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PrunePermissions } from './prune-permissions.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';
import { repoPath } from '../platform/paths.js';
import { WORKFLOWS } from '../platform/registry.js';
import { createDeadLetterQueue } from '../platform/dead-letter-queue.js';
import { createWorkflowStateMachine } from '../platform/workflow-state-machine.js';
import { remoteReportsBucket, type RemoteReportsBucket, type ReportsBucket } from '../platform/reports-bucket.js';
import type { WorkBucket } from '../platform/work-bucket.js';
import { BATCH_TIMEOUT_SECONDS } from '../../lambdas/core/deletion-pace.js';

export const PRUNE_ASL_PATH = repoPath(WORKFLOWS.prune.asl);

export interface PruneWorkflowProps {
  readonly config: RdsDrConfig;
  /** The alert topic the quota warning pages through. */
  readonly alertTopic: sns.ITopic;
  /** The stack's work bucket: the run's deletions (the Distributed Map's items) and the Map's results. */
  readonly work: WorkBucket;
  /**
   * 'primary' (the primary stack: the primary region's snapshots and their DR copies) or 'dr' (the DR
   * stack: the snapshots the DR region's backup took there of failed-over databases, so they are
   * pruned through a primary-region outage; lambdas/core/retention/ownership.ts). Same Lambdas and ASL.
   */
  readonly role?: 'primary' | 'dr';
  /** The DR stack's reports bucket (the DR deployment writes its plans and audits there directly). */
  readonly reports?: ReportsBucket;
}

/**
 * The daily prune: plan GFS retention, stop on a suspicious plan, delete in paced batches (a
 * Distributed Map over the deletions in the work bucket), audit to the DR reports bucket. The primary
 * deployment plans both regions; the DR deployment (`role: 'dr'`) only the DR region's own lineage.
 * Owns its functions, state machine, schedule and IAM.
 */
export class PruneWorkflow extends Construct {
  readonly planPrune: NodejsFunction;
  readonly deleteSnapshotBatch: NodejsFunction;
  readonly pruneReport: NodejsFunction;
  readonly stateMachine: sfn.StateMachine;
  /** The DR reports bucket: in the DR stack the bucket itself, elsewhere found through its name parameter (no stack reference crosses regions). */
  readonly reports: RemoteReportsBucket | ReportsBucket;
  readonly work: WorkBucket;
  readonly role: 'primary' | 'dr';

  constructor(scope: Construct, id: string, props: PruneWorkflowProps) {
    super(scope, id);
    const { config } = props;
    this.role = props.role ?? 'primary';
    if (this.role === 'dr' && !props.reports) throw new Error('PruneWorkflow: the DR deployment writes to the DR stack\'s reports bucket; pass it as reports');
    this.reports = this.role === 'dr' ? props.reports! : remoteReportsBucket(this, config);
    const reportsRef = 'ref' in this.reports ? this.reports.ref : this.reports.bucket.bucketName;
    this.work = props.work;
    const workBucket = props.work.bucket.bucketName;
    const pruneRole = this.role;

    this.planPrune = createRdsDrFunction(this, 'PlanPrune', {
      name: 'plan-prune',
      config,
      description:
        pruneRole === 'dr'
          ? 'rds-dr: lists the DR region\'s manual snapshots and plans GFS retention of those its backup took of failed-over databases (first state of the prune)'
          : 'rds-dr: lists every manual snapshot in both regions and plans GFS retention (first state of the prune)',
      // Lists and plans up to tens of thousands of snapshots.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      reportsBucket: reportsRef,
      pruneRole,
      workBucket,
    });
    this.deleteSnapshotBatch = createRdsDrFunction(this, 'DeleteSnapshotBatch', {
      name: 'delete-snapshot-batch',
      config,
      description: 'rds-dr: re-checks and deletes a batch of expired rds-dr snapshots, paced within the RDS request budget',
      // A batch paces its deletions over at most a third of this (lambdas/core/deletion-pace.ts).
      timeout: Duration.seconds(BATCH_TIMEOUT_SECONDS),
      pruneRole,
    });
    this.pruneReport = createRdsDrFunction(this, 'PruneReport', {
      name: 'prune-report',
      config,
      description: 'rds-dr: reads every deletion outcome, writes the prune audit, snapshot count and quota metrics, warns near the quota',
      // Reads and audits up to tens of thousands of outcomes.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      reportsBucket: reportsRef,
      pruneRole,
      workBucket,
    });

    this.stateMachine = createWorkflowStateMachine(this, {
      appName: config.appName,
      workflow: 'prune',
      functionArns: {
        'plan-prune': this.planPrune.functionArn,
        'delete-snapshot-batch': this.deleteSnapshotBatch.functionArn,
        'prune-report': this.pruneReport.functionArn,
      },
    });

    const { schedule } = config.pruning;
    new scheduler.Schedule(this, 'Schedule', {
      scheduleName: `${config.appName}-prune`,
      description: pruneRole === 'dr' ? 'rds-dr daily prune of the DR region\'s own snapshots (failed-over databases)' : 'rds-dr daily prune (after the backups)',
      schedule: scheduler.ScheduleExpression.expression(schedule.cron, TimeZone.of(schedule.timeZone)),
      enabled: schedule.enabled,
      timeWindow: scheduler.TimeWindow.off(),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        deadLetterQueue: createDeadLetterQueue(this, 'DeadLetterQueue', 'prune schedule deliveries that failed'),
      }),
    });
    new PrunePermissions(this, 'Permissions', { config, workflow: this, alertTopic: props.alertTopic });
  }

  get functions(): NodejsFunction[] {
    return [this.planPrune, this.deleteSnapshotBatch, this.pruneReport];
  }
}
