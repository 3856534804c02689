import { describe, expect, it } from 'vitest';
import { BATCH_PACED_SECONDS, deletionPace, MAX_DELETIONS_PER_BATCH, RDS_REQUESTS_PER_DELETION } from '../../../lambdas/core/deletion-pace.js';
import type { RunDataStore } from '../../../lambdas/core/run-data.js';
import type { SnapshotInfo } from '../../../lambdas/core/snapshots.js';
import { readDeletionOutcomes } from '../../../lambdas/prune/deletion-results.js';
import { inPacedOrder, type Pacing } from '../../../lambdas/prune/paced-batch.js';
import { deletePlannedSnapshot, MAX_DETAIL_CHARS, type SnapshotDeleter } from '../../../lambdas/prune/snapshot-deletion.js';

describe('deletionPace: all batches at once stay within the RDS request budget', () => {
  it.each([
    [4, 5],
    [4, 1],
    [10, 10],
    [0.5, 10],
    [4_000, 5],
  ])('budget %d requests/s over %d batches at once', (budget, maxConcurrency) => {
    const pace = deletionPace(budget, maxConcurrency);
    const requestsPerSecond = (maxConcurrency * RDS_REQUESTS_PER_DELETION * 1000) / pace.deletionIntervalMs;
    expect(requestsPerSecond).toBeLessThanOrEqual(budget);
    expect(pace.maxConcurrency).toBe(maxConcurrency);
    // A batch's paced deletions fit the time it is given, and a batch is never empty or over the maximum.
    expect(pace.deletionsPerBatch).toBeGreaterThanOrEqual(1);
    expect(pace.deletionsPerBatch).toBeLessThanOrEqual(MAX_DELETIONS_PER_BATCH);
    if (pace.deletionsPerBatch > 1) expect(pace.deletionsPerBatch * pace.deletionIntervalMs).toBeLessThanOrEqual(BATCH_PACED_SECONDS * 1000);
  });

  it('is the default a deployment gets: 5 batches of 100, one deletion each 2.5 s per batch (4 requests/s in all)', () => {
    expect(deletionPace(4, 5)).toEqual({ maxConcurrency: 5, deletionsPerBatch: 100, deletionIntervalMs: 2_500 });
  });
});

/** A clock that only moves when the code sleeps, or when a call takes its time (callMs[i], else 0). */
function fakeClock(intervalMs: number, callMs: number[] = []) {
  let now = 1_000;
  const sleeps: number[] = [];
  const starts: number[] = [];
  const pacing: Pacing = { intervalMs, now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
  const work = async (item: number, index: number) => {
    starts.push(now);
    now += callMs[index] ?? 0;
    return item * 10;
  };
  return { pacing, work, sleeps, starts };
}

describe('inPacedOrder', () => {
  it('starts item i no earlier than i intervals after the first, keeping the order of the results', async () => {
    const clock = fakeClock(2_500, [400, 400, 400, 400]);
    expect(await inPacedOrder([1, 2, 3, 4], clock.pacing, clock.work)).toEqual([10, 20, 30, 40]);
    expect(clock.starts).toEqual([1_000, 3_500, 6_000, 8_500]);
    expect(clock.sleeps).toEqual([2_100, 2_100, 2_100]);
  });

  it('after a slow call, goes on at once but does not burst to catch up with the schedule', async () => {
    const clock = fakeClock(1_000, [3_000]);
    await inPacedOrder([1, 2, 3, 4], clock.pacing, clock.work);
    expect(clock.starts).toEqual([1_000, 4_000, 5_000, 6_000]);
  });
});

const snapshot = (id: string, tags: Record<string, string>, status = 'available'): SnapshotInfo =>
  ({ id, arn: `arn:aws:rds:us-east-1:1:snapshot:${id}`, kind: 'instance', status, sourceDbId: 'orders', tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }) as SnapshotInfo;

function fakeRds(snapshots: Record<string, SnapshotInfo>, fail: Record<string, Error> = {}) {
  const deleted: string[] = [];
  const rds: SnapshotDeleter = {
    describe: async (_region, _kind, id) => {
      if (fail[id]) throw fail[id];
      return snapshots[id];
    },
    delete: async (_region, _kind, id) => {
      deleted.push(id);
      return 'deleted';
    },
  };
  return { rds, deleted };
}

describe('deletePlannedSnapshot', () => {
  const planned = (snapshotId: string) => ({ region: 'us-east-1', kind: 'instance' as const, snapshotId, reason: 'expired' });
  const managed = { 'rds-dr:managed': 'true' };

  it('deletes a managed, available rdsdr- snapshot and counts one already gone as deleted', async () => {
    const { rds, deleted } = fakeRds({ 'rdsdr-orders-1': snapshot('rdsdr-orders-1', managed) });
    expect(await deletePlannedSnapshot(planned('rdsdr-orders-1'), 'arn:e', rds)).toEqual({ region: 'us-east-1', snapshotId: 'rdsdr-orders-1', outcome: 'deleted', detail: '' });
    expect(await deletePlannedSnapshot(planned('rdsdr-orders-2'), 'arn:e', rds)).toMatchObject({ outcome: 'already gone', detail: 'not found' });
    expect(deleted).toEqual(['rdsdr-orders-1']);
  });

  it('refuses at the last check what changed since the plan (legal hold, no longer available), deleting nothing', async () => {
    const { rds, deleted } = fakeRds({
      'rdsdr-orders-1': snapshot('rdsdr-orders-1', { ...managed, 'rds-dr:legal-hold': 'INC-1' }),
      'rdsdr-orders-2': snapshot('rdsdr-orders-2', managed, 'copying'),
    });
    expect(await deletePlannedSnapshot(planned('rdsdr-orders-1'), 'arn:e', rds)).toMatchObject({ outcome: 'refused', detail: expect.stringMatching(/legal hold/) });
    expect(await deletePlannedSnapshot(planned('rdsdr-orders-2'), 'arn:e', rds)).toMatchObject({ outcome: 'refused', detail: expect.stringMatching(/"copying"/) });
    expect(deleted).toEqual([]);
  });

  it('records an error as a failed outcome with a bounded detail instead of throwing', async () => {
    const err = Object.assign(new Error(`Rate exceeded ${'x'.repeat(1_000)}`), { name: 'ThrottlingException' });
    const { rds } = fakeRds({}, { 'rdsdr-orders-1': err });
    const outcome = await deletePlannedSnapshot(planned('rdsdr-orders-1'), 'arn:e', rds);
    expect(outcome).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/^ThrottlingException: Rate exceeded x+$/) });
    expect(outcome.detail).toHaveLength(MAX_DETAIL_CHARS);
  });
});

describe('readDeletionOutcomes', () => {
  const items = (ids: string[]) => ids.map((snapshotId) => ({ region: 'us-east-1', kind: 'instance', snapshotId, reason: 'expired' }));
  const outcome = (snapshotId: string, o = 'deleted') => ({ region: 'us-east-1', snapshotId, outcome: o, detail: '' });
  const store = (objects: Record<string, unknown>): RunDataStore => ({
    putJson: async () => undefined,
    getJson: async (_bucket, key) => {
      if (!(key in objects)) throw new Error(`no ${key}`);
      return objects[key];
    },
  });

  it('takes each succeeded batch\'s outcomes, and counts every item of a failed batch as failed with its error', async () => {
    const objects = {
      'r/manifest.json': { DestinationBucket: 'work', MapRunArn: 'arn:m', ResultFiles: { SUCCEEDED: [{ Key: 'r/SUCCEEDED_0.json' }], FAILED: [{ Key: 'r/FAILED_0.json' }] } },
      'r/SUCCEEDED_0.json': [
        { Status: 'SUCCEEDED', Input: JSON.stringify({ Items: items(['a', 'b']) }), Output: JSON.stringify([outcome('a'), outcome('b', 'refused')]) },
        { Status: 'SUCCEEDED', Input: JSON.stringify({ Items: items(['c']) }), Output: JSON.stringify([outcome('c', 'already gone')]) },
      ],
      'r/FAILED_0.json': [
        { Status: 'TIMED_OUT', Input: JSON.stringify({ BatchInput: {}, Items: items(['d', 'e']) }), Error: 'States.Timeout', Cause: 'x'.repeat(1_000) },
        { Status: 'FAILED', Error: 'Lambda.Unknown' },
      ],
    };
    const outcomes = await readDeletionOutcomes(store(objects), 'work', 'r/manifest.json');
    expect(outcomes.map((o) => [o.snapshotId, o.outcome])).toEqual([['a', 'deleted'], ['b', 'refused'], ['c', 'already gone'], ['d', 'failed'], ['e', 'failed']]);
    expect(outcomes[3].detail).toMatch(/^its batch TIMED_OUT: States\.Timeout: x+$/);
    expect(outcomes[3].detail).toHaveLength(MAX_DETAIL_CHARS);
  });

  it('refuses a batch output that is not a list of outcomes (the report must not guess)', async () => {
    const objects = {
      'r/manifest.json': { DestinationBucket: 'work', MapRunArn: 'arn:m', ResultFiles: { SUCCEEDED: [{ Key: 'r/S.json' }] } },
      'r/S.json': [{ Status: 'SUCCEEDED', Output: JSON.stringify({ deleted: 3 }) }],
    };
    await expect(readDeletionOutcomes(store(objects), 'work', 'r/manifest.json')).rejects.toThrow();
  });
});
