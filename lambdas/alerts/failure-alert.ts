import { readableCause } from '../core/alert.js';
import type { Alert } from '../core/alert.js';
// The message someone reads at 3 a.m.: which workflow, what failed, the error, where to click.

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
  const message = [
    `${appName}: workflow ${workflow} ended ${d.status}.`,
    '',
    'What failed:',
    explanation,
    '',
    `Error:     ${d.error ?? '(none)'}`,
    `Execution: ${d.executionArn}`,
    `Started:   ${iso(d.startDate)}   Stopped: ${iso(d.stopDate)}`,
    `Input:     ${d.input ?? '(not available)'}`,
    `Console:   ${executionConsoleUrl(event.region, d.executionArn)}`,
    '',
    'Next: open the execution in the console, find the red state, and follow the README section "When an alert fires".',
    `Runbook: docs/ALARMS.md#workflow-failure ("Workflow failed"); incidents: docs/RUNBOOK.md.`,
  ].join('\n');
  return { subject, message, severity: 'critical' };
}
