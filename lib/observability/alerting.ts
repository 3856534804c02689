import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';
import { acknowledgeRule } from '../platform/nag.js';
import { createDeadLetterQueue } from '../platform/dead-letter-queue.js';
import { ALERTING_EXECUTION_STATUSES } from '../../lambdas/alerts/failure-alert.js';
import { createAlertTopic } from './alert-topics.js';

/**
 * Turns failed, timed-out or aborted executions of the watched (primary-region) state machines into a
 * message on the primary stack's alert topic (email + PagerDuty), via the failure-notifier Lambda which
 * formats it. The DR stack has its own topics and notifier (alert-topics.ts, dr-alerting.ts).
 */
export class Alerting extends Construct {
  readonly topic: sns.Topic;
  readonly notifier: NodejsFunction;
  readonly rule: events.Rule;
  private readonly watched: string[] = [];

  constructor(scope: Construct, id: string, config: RdsDrConfig) {
    super(scope, id);

    // 'Topic' (and its key 'TopicKey'): the ids the primary stack's topic always had, so an upgrade keeps it.
    this.topic = createAlertTopic(this, 'Topic', config, 'critical');

    this.notifier = createRdsDrFunction(this, 'FailureNotifier', {
      name: 'failure-notifier',
      config,
      description: 'rds-dr: publishes a readable alert for a failed, timed-out or aborted backup execution',
    });
    this.topic.grantPublish(this.notifier);
    acknowledgeRule(
      this.notifier.role!,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Added by topic.grantPublish for the KMS-encrypted topic; limited to the topic key (resource is that key ARN). ' +
        'SNS needs a data key of the algorithm it chooses, so the GenerateDataKey* family is required.',
    );

    this.rule = createExecutionFailureRule(this, {
      description: `${config.appName}: backup executions that failed, timed out or were aborted`,
      notifier: this.notifier,
    });

    // Without a state machine filter the rule would alert on every state machine in the account.
    this.node.addValidation({
      validate: () => (this.watched.length === 0 ? ['Alerting watches no state machine: call watch()'] : []),
    });
  }

  /** Alert on failures of this state machine (the rule's stateMachineArn filter grows with each call). */
  watch(stateMachine: sfn.IStateMachine): void {
    this.watched.push(stateMachine.stateMachineArn);
    this.rule.addEventPattern({ detail: { stateMachineArn: [stateMachine.stateMachineArn] } });
  }
}

export interface ExecutionFailureRuleProps {
  readonly description: string;
  readonly notifier: NodejsFunction;
}

/**
 * EventBridge rule (`ExecutionFailedRule`) sending failed / timed-out / aborted Step Functions
 * executions to the notifier, retried and dead-lettered (`DeadLetterQueue`). Callers must narrow it
 * to their state machines with addEventPattern, or it matches every state machine in the region.
 */
export function createExecutionFailureRule(scope: Construct, props: ExecutionFailureRuleProps): events.Rule {
  return new events.Rule(scope, 'ExecutionFailedRule', {
    description: props.description,
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { status: ALERTING_EXECUTION_STATUSES },
    },
    targets: [
      new targets.LambdaFunction(props.notifier, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: createDeadLetterQueue(scope, 'DeadLetterQueue', 'failure alerts that could not be delivered'),
      }),
    ],
  });
}
