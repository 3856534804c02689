import { TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../config/schema.js';
import { createDeadLetterQueue } from '../shared/dead-letter-queue.js';

export interface PolicySchedulesProps {
  readonly config: RdsDrConfig;
  readonly stateMachine: sfn.IStateMachine;
}

/** Scheduler retries when StartExecution fails (throttling, transient errors) before dead-lettering. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;

/** The workflow input for one policy; the scheduled-time attribute is filled in by Scheduler. */
export function scheduleInput(policy: string): Record<string, string> {
  // The scheduled time (not the delivery time) identifies the slot, so a retried delivery of the
  // same slot yields the same snapshot ids and the workflow treats it as already done.
  return { policy, scheduledTime: scheduler.ContextAttribute.scheduledTime };
}

/** One EventBridge Scheduler schedule per backup policy, all starting the backup state machine. */
export class PolicySchedules extends Construct {
  readonly schedules: Record<string, scheduler.Schedule> = {};

  constructor(scope: Construct, id: string, props: PolicySchedulesProps) {
    super(scope, id);
    const { config } = props;
    const deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', 'backup schedule deliveries that failed');

    for (const [policy, { schedule }] of Object.entries(config.policies)) {
      this.schedules[policy] = new scheduler.Schedule(this, `Policy-${policy}`, {
        scheduleName: `${config.appName}-${policy}`,
        description: `rds-dr backup policy "${policy}"`,
        schedule: scheduler.ScheduleExpression.expression(schedule.cron, TimeZone.of(schedule.timeZone)),
        enabled: schedule.enabled,
        // Backups run at the configured time, not somewhere in a window.
        timeWindow: scheduler.TimeWindow.off(),
        target: new StepFunctionsStartExecution(props.stateMachine, {
          input: scheduler.ScheduleTargetInput.fromObject(scheduleInput(policy)),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          deadLetterQueue,
        }),
      });
    }
  }
}
