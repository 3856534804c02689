import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, parseRunRequest, planBackup } from '../../../lambdas/backup/backup-plan.js';
import { snapshotTags } from '../../../lambdas/backup/batch-state.js';
import type { FullSettings } from '../../../lambdas/core/settings.js';
import { BASE_SETTINGS, DEFAULT_RETENTION } from '../settings-fixtures.js';

const settings: FullSettings = {
  ...BASE_SETTINGS,
  pruning: { maxDeleteShare: 0.5, maxDeletesPerRun: 500, snapshotQuota: 100, quotaWarnPercent: 90, maxConcurrency: 5, rdsRequestsPerSecond: 4 },
  appName: 'rds-dr', primaryRegion: 'us-east-1', drRegion: 'us-west-2', drKmsKeyId: 'alias/x',
  policies: {
    gold: { selection: { tags: { a: 'b' }, instances: [], clusters: [] }, maxConcurrency: 8, maxCopiesInFlight: 3, snapshotTimeoutSeconds: 600, copyTimeoutSeconds: 900, retention: DEFAULT_RETENTION },
  },
};
const START = '2026-11-22T10:17:31.123Z';

describe('parseRunRequest', () => {
  it('uses the scheduled time for the slot, or the execution start when started by hand', () => {
    expect(parseRunRequest({ policy: 'gold', scheduledTime: '2026-11-22T02:00:07Z' }, settings, START).slot.toISOString()).toBe('2026-11-22T02:00:00.000Z');
    expect(parseRunRequest({ policy: 'gold' }, settings, START).slot.toISOString()).toBe('2026-11-22T10:17:00.000Z');
    // Scheduler may deliver a little early relative to the execution clock: up to five minutes ahead is a slot.
    expect(parseRunRequest({ policy: 'gold', scheduledTime: '2026-11-22T10:22:00Z' }, settings, START).slot.toISOString()).toBe('2026-11-22T10:22:00.000Z');
  });

  it.each([
    [null, /input must be a JSON object/],
    ['gold', /input must be a JSON object/],
    [[], /input must be a JSON object/],
    [{}, /input\.policy: .*configured policies: gold/],
    [{ policy: 'platinum' }, /input\.policy: unknown policy "platinum"; configured: gold/],
    [{ policy: 'gold', scheduledTime: 'yesterday' }, /input\.scheduledTime: /],
    [{ policy: 'gold', db: 'orders' }, /unknown field\(s\) db; allowed: policy, scheduledTime/],
    // A slot in the future would name (and date) snapshots after it and read as a fresh backup for ever.
    [{ policy: 'gold', scheduledTime: '2026-11-22T11:00:00Z' }, /input\.scheduledTime: 2026-11-22T11:00:00Z is after this execution's start/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(() => parseRunRequest(input, settings, START)).toThrow(message);
    try {
      parseRunRequest(input, settings, START);
    } catch (err) {
      expect((err as Error).name).toBe('rds-dr.InvalidInput');
    }
  });
});

describe('planBackup', () => {
  it('runs batches of BATCH_SIZE, at most maxConcurrency at once, pacing each batch to its share of the write budget', () => {
    const request = parseRunRequest({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' }, settings, START);
    const one = { id: 'orders', arn: 'arn:aws:rds:us-east-1:1:db:orders', kind: 'instance' as const, engine: 'postgres' };
    const plan = planBackup(request, { selected: [one], missing: [] }, 'arn:aws:states:us-east-1:1:execution:m:e');
    expect(plan.limits).toEqual({ maxConcurrentBatches: 1, batchSize: BATCH_SIZE });
    expect(plan.batch).toEqual({ policy: 'gold', slot: '2026-11-22T02:00:00.000Z', executionArn: 'arn:aws:states:us-east-1:1:execution:m:e', snapshotTimeoutSeconds: 600, copyTimeoutSeconds: 900, paceMs: 250 });
    expect(plan.databases).toEqual([{ ...one, snapshotId: 'rdsdr-orders-202611220200' }]);
    const many = Array.from({ length: 1_000 }, (_, i) => ({ ...one, id: `db${i}`, arn: `arn:aws:rds:us-east-1:1:db:db${i}` }));
    const big = planBackup(request, { selected: many, missing: [] }, 'arn:aws:states:us-east-1:1:execution:m:e');
    // gold allows 8 batches at once: 8 x 25 databases in flight, each batch writing every 2 s (8 / 4 per second).
    expect(big.limits.maxConcurrentBatches).toBe(8);
    expect(big.batch.paceMs).toBe(2_000);
  });

  it('tags every snapshot with what made it and from which database', () => {
    const tags = snapshotTags({ arn: 'arn:aws:rds:us-east-1:1:db:orders' }, { policy: 'gold', slot: '2026-11-22T02:00:00.000Z', executionArn: 'arn:aws:states:us-east-1:1:execution:m:e' });
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual({
      'rds-dr:managed': 'true',
      'rds-dr:policy': 'gold',
      'rds-dr:source-arn': 'arn:aws:rds:us-east-1:1:db:orders',
      'rds-dr:slot': '2026-11-22T02:00:00.000Z',
      'rds-dr:execution': 'arn:aws:states:us-east-1:1:execution:m:e',
    });
  });
});
