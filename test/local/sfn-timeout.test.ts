// The local runner times an execution out where AWS Step Functions would: past the ASL's top-level
// TimeoutSeconds, counting every shortened Wait and Retry pause at its ASL duration.
import { describe, expect, it } from 'vitest';
import { inlineWorkflows } from './inline-workflow.js';
import { retryPauseSeconds } from './sfn-timeout.js';

const { asl, run } = inlineWorkflows('timeout');

const task = (next: object) => ({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:poll', ...next });

/** A polling loop as the workflows have: poll, and while not done, wait `waitSeconds` (from the poll). */
const pollingLoop = (timeoutSeconds: number) => ({
  TimeoutSeconds: timeoutSeconds,
  StartAt: 'Poll',
  States: {
    Poll: task({ ResultPath: '$.poll', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], Next: 'Done?' }),
    'Done?': { Type: 'Choice', Choices: [{ Variable: '$.poll.done', BooleanEquals: true, Next: 'Done' }], Default: 'Wait' },
    Wait: { Type: 'Wait', SecondsPath: '$.poll.waitSeconds', Next: 'Poll' },
    Caught: { Type: 'Succeed' },
    Done: { Type: 'Succeed' },
  },
});

describe('state machine TimeoutSeconds in the local runner', () => {
  it('times out a polling loop whose Waits add up past TimeoutSeconds, though they take milliseconds locally', async () => {
    let polls = 0;
    // 10 polls 600 s apart would take 5,400 s; the sixth wait passes 3,300 s, so the 7th poll never runs.
    const result = await run(asl('loop', pollingLoop(3300)), { poll: async () => ({ done: ++polls >= 10, waitSeconds: 600 }) });
    expect(result.status).toBe('TIMED_OUT');
    expect(result.error).toBe('States.Timeout');
    expect(result.cause).toMatch(/past the state machine's TimeoutSeconds of 3300/);
    expect(polls).toBe(6);
    // No Catch applies to an execution timeout.
    expect(result.statesEntered).not.toContain('Caught');
    expect(result.statesEntered).not.toContain('Done');
  });

  it('lets the same loop finish within a longer TimeoutSeconds', async () => {
    let polls = 0;
    const result = await run(asl('loop-ok', pollingLoop(5401)), { poll: async () => ({ done: ++polls >= 10, waitSeconds: 600 }) });
    expect(result.status).toBe('SUCCEEDED');
    expect(polls).toBe(10);
  });

  it('counts Retry pauses at their ASL backoff', async () => {
    expect(retryPauseSeconds({ IntervalSeconds: 60, BackoffRate: 2 }, 1)).toBe(60);
    expect(retryPauseSeconds({ IntervalSeconds: 60, BackoffRate: 2 }, 3)).toBe(240);
    expect(retryPauseSeconds({ IntervalSeconds: 60, BackoffRate: 2, MaxDelaySeconds: 100 }, 3)).toBe(100);
    // FULL jitter: the mean of [0, delay].
    expect(retryPauseSeconds({ IntervalSeconds: 60, BackoffRate: 2, JitterStrategy: 'FULL' }, 1)).toBe(30);
    let attempts = 0;
    const path = asl('retry', {
      TimeoutSeconds: 250,
      StartAt: 'Poll',
      States: { Poll: task({ Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 100, BackoffRate: 1, MaxAttempts: 5 }], End: true }) },
    });
    const busy = Object.assign(new Error('busy'), { name: 'Busy' });
    const result = await run(path, { poll: async () => { attempts++; throw busy; } });
    expect(result.status).toBe('TIMED_OUT');
    // Pauses of 100 s: the third retry would start at 300 s.
    expect(attempts).toBe(3);
  });
});
