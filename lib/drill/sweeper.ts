import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { SCHEDULE_RETRY_ATTEMPTS } from '../platform/policy-schedules.js';
import type { VerificationResources } from '../platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { grantWarningPublish } from '../platform/alert-publish.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';
import { acknowledgeWildcardResources } from '../platform/nag.js';
import { createDeadLetterQueue } from '../platform/dead-letter-queue.js';

export interface VerificationSweeperProps {
  readonly config: RdsDrConfig;
  readonly verification: VerificationResources;
}

/**
 * Hourly safety net: deletes throwaway drill instances past their expiry that an interrupted drill
 * (aborted execution, failed cleanup) left running, and warns when it had to.
 */
export class VerificationSweeper extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: VerificationSweeperProps) {
    super(scope, id);
    const { config } = props;

    this.function = createRdsDrFunction(this, 'Function', {
      name: 'sweep-drill-leftovers',
      config,
      verification: props.verification,
      description: 'rds-dr: deletes expired throwaway restore-drill instances and clusters, and alerts',
      // Paginates every instance and cluster of the region, then deletes sequentially.
      timeout: Duration.minutes(5),
      // A cleaned leftover is a warning: this region's `<app>-warnings` topic.
    });
    grantWarningPublish(this.function, config);

    // Our own role (not the stack-wide singleton the target would create), so its grant is reviewed here.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'rds-dr: EventBridge Scheduler invoking the restore-drill sweeper',
    });
    acknowledgeWildcardResources(
      scheduleRole,
      [`${this.function.functionArn}:*`],
      'Added by the Scheduler Lambda target (grantInvoke): "<function ARN>:*" covers versions/aliases of this one sweeper function only.',
    );

    this.schedule = new scheduler.Schedule(this, 'Hourly', {
      scheduleName: `${config.appName}-sweep-verification`,
      description: 'rds-dr: hourly sweep of expired restore-drill instances',
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new LambdaInvoke(this.function, {
        // The execution id lets a sweep be found in the logs.
        input: scheduler.ScheduleTargetInput.fromObject({ id: scheduler.ContextAttribute.executionId }),
        role: scheduleRole,
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        deadLetterQueue: createDeadLetterQueue(this, 'DeadLetterQueue', 'sweeper invocations that failed'),
      }),
    });
  }
}
