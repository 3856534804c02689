import type * as events from 'aws-cdk-lib/aws-events';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { acknowledgeRule } from '../platform/nag.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';
import { createExecutionFailureRule } from './alerting.js';

export interface DrAlertingProps {
  readonly config: RdsDrConfig;
  /** The DR-region state machines whose failures page someone. */
  readonly stateMachines: sfn.IStateMachine[];
  /** The DR stack's own critical topic (alert-topics.ts). */
  readonly alertTopic: sns.ITopic;
}

/**
 * Execution-status events stay in their region, so DR-region workflows get their own rule and
 * failure-notifier (same code as the primary one), publishing to the DR stack's own alert topic:
 * a failed failover or drill pages even while the primary region is down.
 */
export class DrAlerting extends Construct {
  readonly notifier: NodejsFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DrAlertingProps) {
    super(scope, id);
    const { config } = props;

    this.notifier = createRdsDrFunction(this, 'FailureNotifier', {
      name: 'failure-notifier',
      config,
      description: `rds-dr: publishes a readable alert for a failed, timed-out or aborted ${config.drRegion} execution`,
    });
    props.alertTopic.grantPublish(this.notifier);
    acknowledgeRule(
      this.notifier.role!,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Added by topic.grantPublish for the KMS-encrypted topic; limited to the topic key (resource is that key ARN). ' +
        'SNS needs a data key of the algorithm it chooses, so the GenerateDataKey* family is required.',
    );

    this.rule = createExecutionFailureRule(this, {
      description: `${config.appName}: ${config.drRegion} executions (drills, incident workflows) that failed, timed out or were aborted`,
      notifier: this.notifier,
    });
    // Only this app's state machines, never every state machine in the region.
    this.rule.addEventPattern({ detail: { stateMachineArn: props.stateMachines.map((sm) => sm.stateMachineArn) } });
  }
}
