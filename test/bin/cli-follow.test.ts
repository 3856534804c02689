import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { describeEvent, followExecution } from '../../bin/cli/follow.js';
import { type ExecutionDescription, type ExecutionGateway } from '../../lambdas/aws/step-functions.js';

const t0 = new Date('2026-11-23T01:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const entered = (id: number, name: string, s: number, type = 'TaskStateEntered'): HistoryEvent => ({ id, type: type as never, timestamp: at(s), stateEnteredEventDetails: { name } });

/** An execution whose history grows by one poll's worth of events at a time, served in pages of 2. */
class ScriptedExecution implements ExecutionGateway {
  polls = 0;
  constructor(
    private readonly batches: HistoryEvent[][],
    private readonly final: ExecutionDescription,
  ) {}
  async findStateMachineArn() {
    return 'arn';
  }
  async start() {
    return { executionArn: 'exec' };
  }
  async describe(): Promise<ExecutionDescription> {
    this.polls++;
    return this.polls >= this.batches.length ? this.final : { status: 'RUNNING', startDate: t0 };
  }
  async history(_arn: string, nextToken?: string) {
    const visible = this.batches.slice(0, this.polls).flat();
    const from = Number(nextToken ?? 0);
    return { events: visible.slice(from, from + 2), nextToken: from + 2 < visible.length ? String(from + 2) : undefined };
  }
}

describe('following an execution', () => {
  it('prints each state once, in order, across polls and pages, then the final status and output', async () => {
    const gateway = new ScriptedExecution(
      [
        [{ id: 1, type: 'ExecutionStarted', timestamp: t0 }, entered(2, 'PlanFailover', 0.1), { id: 3, type: 'TaskStateExited', timestamp: at(1) }],
        [entered(4, 'WaitForPromotion', 1.2, 'WaitStateEntered'), entered(5, 'DescribeStandby', 31)],
        [entered(6, 'Cutover', 40)],
      ],
      { status: 'SUCCEEDED', startDate: t0, stopDate: at(42), output: '{"rtoSeconds":42}' },
    );
    const lines: string[] = [];
    const final = await followExecution(gateway, 'exec', { write: (l) => lines.push(l), sleep: async () => undefined });
    expect(final.status).toBe('SUCCEEDED');
    expect(lines).toEqual([
      '[+   0.0s] execution started',
      '[+   0.1s] ▶ PlanFailover',
      '[+   1.2s] ▶ WaitForPromotion (Wait)',
      '[+  31.0s] ▶ DescribeStandby',
      '[+  40.0s] ▶ Cutover',
      'SUCCEEDED after 42.0s\n{\n  "rtoSeconds": 42\n}',
    ]);
  });

  it('shows a failed Lambda task with its message and the execution error', async () => {
    const cause = JSON.stringify({ errorType: 'rds-dr.InvalidInput', errorMessage: 'input.db: "nope" is not protected by this deployment' });
    const gateway = new ScriptedExecution(
      [[entered(1, 'PlanFailover', 0), { id: 2, type: 'LambdaFunctionFailed', timestamp: at(0.5), lambdaFunctionFailedEventDetails: { error: 'rds-dr.InvalidInput', cause } }]],
      { status: 'FAILED', startDate: t0, stopDate: at(1), error: 'rds-dr.InvalidInput', cause },
    );
    const lines: string[] = [];
    await followExecution(gateway, 'exec', { write: (l) => lines.push(l), sleep: async () => undefined });
    expect(lines[1]).toBe('[+   0.5s] ✗ LambdaFunctionFailed: rds-dr.InvalidInput input.db: "nope" is not protected by this deployment');
    expect(lines.at(-1)).toBe('FAILED after 1.0s: rds-dr.InvalidInput input.db: "nope" is not protected by this deployment');
  });

  it('ignores bookkeeping events', () => {
    expect(describeEvent({ id: 1, type: 'TaskScheduled', timestamp: t0 }, t0)).toBeUndefined();
    expect(describeEvent({ id: 1, type: 'ChoiceStateExited', timestamp: t0 }, t0)).toBeUndefined();
  });
});
