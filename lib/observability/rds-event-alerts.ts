import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { rdsArn } from '../platform/arns.js';
import { grantWithReasons } from '../platform/grant.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';
import { acknowledgeRule } from '../platform/nag.js';
import { createDeadLetterQueue } from '../platform/dead-letter-queue.js';
import { RDS_FAILURE_EVENT_IDS } from '../../lambdas/alerts/rds-event-alert.js';
import { SNAPSHOT_PREFIX } from '../../lambdas/core/naming.js';

export interface RdsEventAlertsProps {
  readonly config: RdsDrConfig;
  /** The alert topic of this stack (each stack has its own: RDS events page in their region). */
  readonly alertTopic: sns.ITopic;
}

/** Failure signals in an RDS event's detail: the failure category, the documented ids, or a message saying it failed. */
const failureSignals = (ids: string[]) => [
  { EventCategories: ['failure'] },
  { EventID: ids },
  { Message: [{ wildcard: '*fail*' }] },
  { Message: [{ wildcard: '*Fail*' }] },
];

/** Snapshot events of rds-dr snapshots (and copies, which keep the rdsdr- name) that report a failure. */
export function snapshotFailurePattern(): events.EventPattern {
  return {
    source: ['aws.rds'],
    detailType: ['RDS DB Snapshot Event', 'RDS DB Cluster Snapshot Event'],
    detail: {
      SourceIdentifier: [{ prefix: SNAPSHOT_PREFIX }],
      $or: failureSignals(['RDS-EVENT-0061', 'RDS-EVENT-0190']),
    },
  };
}

/**
 * Instance / cluster backup events that mean point-in-time recovery or its cross-region replication is
 * broken: automated backups disabled (RDS-EVENT-0028), backup-category failures, backup replication
 * failures. EventBridge cannot see tags, so the notifier decides whether the database is protected.
 */
export function backupFailurePattern(): events.EventPattern {
  return {
    source: ['aws.rds'],
    detailType: ['RDS DB Instance Event', 'RDS DB Cluster Event'],
    detail: {
      $or: [
        { EventID: ['RDS-EVENT-0028'] },
        { EventCategories: ['backup'], Message: [{ wildcard: '*fail*' }] },
        { EventCategories: ['backup', 'failure', 'notification'], Message: [{ wildcard: '*ackup replication*' }] },
        { EventCategories: ['failure'], Message: [{ wildcard: '*ackup*' }] },
      ],
    },
  };
}

/**
 * RDS snapshot / copy / automated-backup failure events of protected resources → the critical topic,
 * through the rds-event-notifier Lambda (readable message, protection decided for instance events).
 * One per region: RDS events stay in their region, so the DR stack has one too (copies land there),
 * publishing to the DR stack's own alert topic.
 */
export class RdsEventAlerts extends Construct {
  readonly notifier: NodejsFunction;
  readonly snapshotRule: events.Rule;
  readonly backupRule: events.Rule;

  constructor(scope: Construct, id: string, props: RdsEventAlertsProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const region = stack.region;

    this.notifier = createRdsDrFunction(this, 'Notifier', {
      name: 'rds-event-notifier',
      config,
      description: `rds-dr: pages on RDS snapshot, copy and automated-backup failure events of protected databases (${region})`,
    });
    props.alertTopic.grantPublish(this.notifier);
    acknowledgeRule(
      this.notifier.role!,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Added by topic.grantPublish for the KMS-encrypted alert topic; limited to the topic key. SNS needs a data key of the algorithm it chooses.',
    );
    // Read-only: tags decide whether an instance/cluster event is about a protected database (tag selection).
    grantWithReasons(
      this.notifier,
      [
        new iam.PolicyStatement({
          sid: 'ReadTagsToDecideProtection',
          actions: ['rds:ListTagsForResource'],
          resources: [rdsArn(this, region, 'db', '*'), rdsArn(this, region, 'cluster', '*')],
        }),
      ],
      [[/:(db|cluster):\*$/, 'Read-only ListTagsForResource: databases are selected by tag at run time, so the notifier must read the tags of the database an RDS event names; any instance or cluster of this region.']],
    );

    const dlq = createDeadLetterQueue(this, 'DeadLetterQueue', 'RDS event alerts that could not be delivered');
    const target = () => new targets.LambdaFunction(this.notifier, { retryAttempts: 8, maxEventAge: Duration.hours(6), deadLetterQueue: dlq });
    this.snapshotRule = new events.Rule(this, 'SnapshotFailureRule', {
      description: `${config.appName}: failed or canceled rds-dr snapshots and copies (${Object.keys(RDS_FAILURE_EVENT_IDS).join(', ')}, category failure)`,
      eventPattern: snapshotFailurePattern(),
      targets: [target()],
    });
    this.backupRule = new events.Rule(this, 'BackupFailureRule', {
      description: `${config.appName}: automated backups disabled / failed / replication failed (protection decided by the notifier)`,
      eventPattern: backupFailurePattern(),
      targets: [target()],
    });
  }
}
