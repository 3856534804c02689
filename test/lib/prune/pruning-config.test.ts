import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deletionSeconds, PRUNE_DELETION_SECONDS_BUDGET } from '../../../lambdas/core/deletion-pace.js';
import { ConfigError, parseConfig } from '../../../lib/platform/config/schema.js';
import { PRUNE_ASL_PATH } from '../../../lib/prune/prune-workflow.js';
import { rawTestConfig } from '../fixtures.js';

const withPruning = (pruning: Record<string, unknown>) => ({ ...rawTestConfig(), pruning });
const problemsOf = (pruning: Record<string, unknown>): string[] => {
  try {
    parseConfig(withPruning(pruning));
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
};

describe('pruning config', () => {
  it('lets one run delete tens of thousands of snapshots (its deletions are not in the state), keeping the default of 500', () => {
    expect(parseConfig(rawTestConfig()).pruning).toMatchObject({ maxDeletesPerRun: 500, maxDeleteShare: 0.5, rdsRequestsPerSecond: 4, maxConcurrency: 5 });
    expect(problemsOf({ maxDeletesPerRun: 20_000 })).toEqual([]);
    expect(problemsOf({ maxDeletesPerRun: 20_001 })).toEqual([expect.stringMatching(/^pruning\.maxDeletesPerRun: /)]);
  });

  it('keeps the RDS request budget well under RDS\'s 12 requests/s', () => {
    expect(problemsOf({ rdsRequestsPerSecond: 10 })).toEqual([]);
    expect(problemsOf({ rdsRequestsPerSecond: 12 })).toEqual([expect.stringMatching(/^pruning\.rdsRequestsPerSecond: /)]);
  });

  it('refuses a run the guard would let through that cannot finish deleting before the execution times out', () => {
    expect(problemsOf({ maxDeletesPerRun: 10_000, rdsRequestsPerSecond: 0.5 })).toEqual([
      'pruning.maxDeletesPerRun: 10000 deletions at rdsRequestsPerSecond 0.5 take 667 minutes, more than the prune\'s 300; lower maxDeletesPerRun or raise rdsRequestsPerSecond',
    ]);
    expect(deletionSeconds(20_000, 4)).toBeLessThanOrEqual(PRUNE_DELETION_SECONDS_BUDGET);
  });

  it('gives deleting less time than the prune execution has (TimeoutSeconds in prune.asl.json), leaving some for planning and the report', () => {
    const { TimeoutSeconds } = JSON.parse(readFileSync(PRUNE_ASL_PATH, 'utf8')) as { TimeoutSeconds: number };
    expect(TimeoutSeconds - PRUNE_DELETION_SECONDS_BUDGET).toBeGreaterThanOrEqual(30 * 60);
  });
});
