import { describe, expect, it } from 'vitest';
import { deletionPace } from '../../../lambdas/core/deletion-pace.js';
import type { RetentionDecision } from '../../../lambdas/core/retention/plan-retention.js';
import { runDataRef } from '../../../lambdas/core/run-data.js';
import { buildPrunePlan, LISTED_GUARD_PROBLEMS } from '../../../lambdas/prune/prune-plan.js';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-prune:daily-1';
const STARTED = '2026-11-22T05:00:01.000Z';
const PRUNING = { maxDeleteShare: 0.9, maxDeletesPerRun: 20_000, snapshotQuota: 100_000, quotaWarnPercent: 90, maxConcurrency: 5, rdsRequestsPerSecond: 4 };

/** `n` databases in the DR region, each with `keep` kept and `del` expired snapshots. */
function decisions(n: number, keep: number, del: number): RetentionDecision[] {
  return Array.from({ length: n }, (_, db) =>
    Array.from({ length: keep + del }, (_, i): RetentionDecision => ({
      snapshot: {
        id: `rdsdr-db${db}-${String(i).padStart(12, '0')}`, arn: `arn:${db}:${i}`, region: 'us-west-2', kind: i % 2 ? 'cluster' : 'instance', dbId: `db${db}`,
        createdAt: '2026-01-01T00:00:00.000Z', status: 'available', managed: true, legalHold: false, inUseByVerification: false,
      },
      action: i < keep ? 'keep' : 'delete',
      reasons: [i < keep ? 'daily 2026-01-01' : 'not in any retention bucket (daily 30, weekly 12, monthly 12, yearly 0, minimum 3)'],
    })),
  ).flat();
}

const plan = (d: RetentionDecision[], over: { dryRun?: boolean; pruning?: Partial<typeof PRUNING> } = {}) =>
  buildPrunePlan({
    decisions: d,
    request: { dryRun: over.dryRun ?? false },
    settings: { primaryRegion: 'us-east-1', drRegion: 'us-west-2', pruning: { ...PRUNING, ...over.pruning } },
    workBucket: 'rds-dr-work-us-east-1-5e1f0c2a',
    executionArn: EXECUTION,
    executionStartTime: STARTED,
    now: new Date('2026-11-22T05:00:02Z'),
  });

describe('buildPrunePlan', () => {
  it('puts the deletions in the work bucket\'s plan, not in the state: the state says how many, where, and at what pace', () => {
    const { output, deletions } = plan(decisions(20, 20, 150));
    expect(deletions).toHaveLength(3_000);
    expect(deletions[0]).toEqual({ region: 'us-west-2', kind: 'instance', snapshotId: 'rdsdr-db0-000000000020', reason: 'not in any retention bucket (daily 30, weekly 12, monthly 12, yearly 0, minimum 3)' });
    expect(output).toMatchObject({ dryRun: false, guardTripped: false, plannedDeletions: 3_000, planReportKey: 'reports/prune/2026/11/22/daily-1-plan.json', deletionRun: null });
    expect(output.runData).toEqual(runDataRef('rds-dr-work-us-east-1-5e1f0c2a', 'prune', EXECUTION, new Date(STARTED)));
    expect(output.limits).toEqual(deletionPace(4, 5));
    expect(JSON.stringify(output)).not.toContain('rdsdr-db');
  });

  it('stays a few KB with 20,000 deletions (Step Functions allows 256 KiB of state)', () => {
    const { output, deletions } = plan(decisions(100, 30, 200));
    expect(deletions).toHaveLength(20_000);
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(4_096);
  });

  it('gives the Map nothing to delete in a dry run or when the guard trips, and lists only the first guard problems', () => {
    expect(plan(decisions(2, 10, 5), { dryRun: true })).toMatchObject({ deletions: [], output: { plannedDeletions: 10, dryRun: true } });
    const guarded = plan(decisions(60, 1, 9), { pruning: { maxDeleteShare: 0.5 } });
    expect(guarded.deletions).toEqual([]);
    expect(guarded.output).toMatchObject({ guardTripped: true, guardProblemCount: 60, plannedDeletions: 540 });
    expect(guarded.output.guardProblems).toHaveLength(LISTED_GUARD_PROBLEMS);
    // The plan report has every problem.
    expect(JSON.parse(guarded.document).guardProblems).toHaveLength(60);
  });
});
