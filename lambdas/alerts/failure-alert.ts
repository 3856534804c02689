// The message someone reads at 3 a.m.: which workflow, what failed, the error, where to click.
import { readableCause, truncateBytes, type Alert } from '../core/alert.js';

/** Execution outcomes that page someone: the alert rules match these, the notifier formats them. */
export const ALERTING_EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/** The EventBridge "Step Functions Execution Status Change" event, as much of it as we use. */
export interface ExecutionStatusEvent {
  region: string;
  account?: string;
  time?: string;
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name?: string;
    status: string;
    startDate?: number | null;
    stopDate?: number | null;
    input?: string | null;
    error?: string | null;
    cause?: string | null;
  };
}


const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : 'unknown');

/** "arn:...:stateMachine:rds-dr-backup" -> "rds-dr-backup". */
export function workflowName(stateMachineArn: string): string {
  return stateMachineArn.split(':').pop() ?? stateMachineArn;
}

export function executionConsoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

export function formatFailureAlert(event: ExecutionStatusEvent, appName: string): Alert {
  const d = event.detail;
  const workflow = workflowName(d.stateMachineArn);
  const what = readableCause(d.cause ?? undefined);
  const explanation =
    what ||
    (d.status === 'TIMED_OUT'
      ? 'The execution hit its overall timeout before reporting; snapshots or copies in flight may be incomplete.'
      : d.status === 'ABORTED'
        ? 'The execution was stopped by a person or a deployment before it finished.'
        : 'No cause was recorded; open the execution to see the failed state.');
  const subject = `[${appName}] ${workflow} ${d.status}${d.error ? `: ${d.error}` : ''}`.replace(/[^\x20-\x7e]/g, '').slice(0, 99);
  // The facts a responder needs come first; the cause and the input, which can be any size, last and
  // capped, so an alert built from a huge input still fits SNS (lambdas/aws/notices.ts cuts the rest).
  const message = [
    `${appName}: workflow ${workflow} ended ${d.status}.`,
    '',
    `Error:     ${d.error ?? '(none)'}`,
    `Execution: ${d.executionArn}`,
    `Started:   ${iso(d.startDate)}   Stopped: ${iso(d.stopDate)}`,
    `Console:   ${executionConsoleUrl(event.region, d.executionArn)}`,
    '',
    'Next: open the execution in the console, find the red state, and follow the README section "When an alert fires".',
    `Runbook: docs/ALARMS.md#workflow-failure ("Workflow failed"); incidents: docs/RUNBOOK.md.`,
    '',
    'What failed:',
    truncateBytes(explanation, 160_000),
    '',
    `Input:     ${truncateBytes(d.input ?? '(not available)', 64_000)}`,
  ].join('\n');
  return { subject, message, severity: 'critical' };
}
