// The local runner fails an execution where AWS Step Functions would: a state output over 256 KiB
// (States.DataLimitExceeded, past any States.ALL Catch) or a history over 25,000 events.
import { describe, expect, it } from 'vitest';
import { inlineWorkflows } from './inline-workflow.js';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from './sfn-limits.js';

const { asl, run } = inlineWorkflows('limits');

const task = (next: object) => ({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', ...next });

describe('Step Functions quotas in the local runner', () => {
  it('counts history events as Step Functions does: a Task is 5, a Choice 2, the execution 2', async () => {
    const path = asl('count', { StartAt: 'Work', States: { Work: task({ Next: 'Done?' }), 'Done?': { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Done' }, Done: { Type: 'Succeed' } } });
    const result = await run(path, { work: async () => ({ ok: true }) });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.historyEvents).toBe(1 + 5 + 2 + 2 + 1);
  });

  it('fails a state whose output is over 256 KiB with States.DataLimitExceeded, which a States.ALL Catch does not catch', async () => {
    const path = asl('big', {
      StartAt: 'Work',
      States: { Work: task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true }), Caught: { Type: 'Succeed' } },
    });
    const result = await run(path, { work: async () => ({ blob: 'x'.repeat(MAX_PAYLOAD_BYTES) }) });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.DataLimitExceeded');
    expect(result.cause).toMatch(/state Work returned \d+ bytes; Step Functions allows 262144/);
    expect(result.statesEntered).not.toContain('Caught');
    // Just under the limit is fine.
    expect((await run(path, { work: async () => ({ blob: 'x'.repeat(MAX_PAYLOAD_BYTES - 100) }) })).status).toBe('SUCCEEDED');
  });

  it('fails an execution whose history passes 25,000 events', async () => {
    const path = asl('loop', {
      StartAt: 'Work',
      States: { Work: task({ Next: 'Again?' }), 'Again?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 10_000, Next: 'Work' }], Default: 'Done' }, Done: { Type: 'Succeed' } },
    });
    let n = 0;
    const result = await run(path, { work: async () => ({ n: ++n }) });
    expect(result.status).toBe('FAILED');
    expect(result.cause).toMatch(/history exceeded 25000 events/);
    expect(result.historyEvents).toBe(MAX_HISTORY_EVENTS + 1);
    // Each turn is 7 events: it stopped after about 25,000 / 7 turns, not at the loop's 10,000.
    expect(n).toBeLessThan(3_600);
  });
});
