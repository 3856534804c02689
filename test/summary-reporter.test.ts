// The closing line agrees with vitest's verdict: errors outside tests and interrupted runs are failures.
import { describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import { closingLine } from './summary-reporter.js';

const moduleWith = (states: string[], moduleState = 'passed') =>
  ({ state: () => moduleState, children: { allTests: () => states.map((state) => ({ result: () => ({ state }) })) } }) as unknown as TestModule;

describe('closing line', () => {
  it('counts passed, failed and skipped tests', () => {
    expect(closingLine([moduleWith(['passed', 'passed', 'failed', 'skipped'])], [], 'failed')).toBe('2 passed, 1 failed, 1 skipped');
    expect(closingLine([moduleWith(['passed'])], [], 'passed')).toBe('1 passed, 0 failed');
  });

  it('counts a file that failed to load', () => {
    expect(closingLine([moduleWith([], 'failed'), moduleWith(['passed'])], [], 'failed')).toBe('1 passed, 1 failed');
  });

  it('never says "0 failed" when vitest failed the run for errors outside any test', () => {
    const rpcTimeout = { name: 'Error', message: '[vitest-worker]: Timeout calling "onTaskUpdate"' };
    expect(closingLine([moduleWith(['passed', 'passed'])], [rpcTimeout, rpcTimeout], 'failed')).toBe('2 passed, 2 failed');
    expect(closingLine([moduleWith(['passed'])], [], 'interrupted')).toBe('1 passed, 1 failed');
  });
});
