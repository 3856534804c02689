import { TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PolicyConfig, RdsDrConfig } from './config/schema.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';

/** Which per-policy workflow the schedules start. */
export type PolicyWorkflow = 'backup' | 'verify';

export interface PolicySchedulesProps {
  readonly config: RdsDrConfig;
  readonly stateMachine: sfn.IStateMachine;
  /** @default 'backup' (every policy's `schedule`); 'verify' uses `verify.schedule` of the policies that have one. */
  readonly workflow?: PolicyWorkflow;
}

/** Scheduler retries when StartExecution fails (throttling, transient errors) before dead-lettering. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;

/** The workflow input for one policy; the scheduled-time attribute is filled in by Scheduler. */
export function scheduleInput(policy: string): Record<string, string> {
  // The scheduled time (not the delivery time) identifies the slot, so a retried delivery of the
  // same slot yields the same snapshot / throwaway ids and the workflow treats it as already done.
  return { policy, scheduledTime: scheduler.ContextAttribute.scheduledTime };
}

/** Schedule name: backups keep `<app>-<policy>`; drills are `<app>-drill-<policy>` (at most 60 chars). */
export function scheduleName(config: RdsDrConfig, workflow: PolicyWorkflow, policy: string): string {
  return workflow === 'backup' ? `${config.appName}-${policy}` : `${config.appName}-${workflow}-${policy}`;
}

const scheduleOf = (workflow: PolicyWorkflow, policy: PolicyConfig) =>
  workflow === 'backup' ? policy.schedule : policy.verify?.schedule;

/** One EventBridge Scheduler schedule per policy, all starting the given state machine. */
export class PolicySchedules extends Construct {
  readonly schedules: Record<string, scheduler.Schedule> = {};

  constructor(scope: Construct, id: string, props: PolicySchedulesProps) {
    super(scope, id);
    const { config } = props;
    const workflow = props.workflow ?? 'backup';
    const deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', `${workflow} schedule deliveries that failed`);

    for (const [policy, policyConfig] of Object.entries(config.policies)) {
      const schedule = scheduleOf(workflow, policyConfig);
      if (!schedule) continue;
      this.schedules[policy] = new scheduler.Schedule(this, `Policy-${policy}`, {
        scheduleName: scheduleName(config, workflow, policy),
        description: `rds-dr ${workflow === 'backup' ? 'backup' : 'restore drill'} policy "${policy}"`,
        schedule: scheduler.ScheduleExpression.expression(schedule.cron, TimeZone.of(schedule.timeZone)),
        enabled: schedule.enabled,
        // Runs start at the configured time, not somewhere in a window.
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
