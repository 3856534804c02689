import { describe, expect, it } from 'vitest';
import type { RunDataStore } from '../../../lambdas/core/run-data.js';
import { readDrillOutcomes } from '../../../lambdas/drill/drill-outcomes.js';
import type { BranchOutcome } from '../../../lambdas/drill/drill-report.js';
import { MAX_MESSAGE_CHARS, MAX_NAMED, summarizeVerification } from '../../../lambdas/drill/drill-summary.js';

const passed = (db: string): BranchOutcome => ({ db, passed: true, failures: [], reportKey: `reports/verification/${db}/x.json`, restoreSeconds: 600, cleanup: 'deleted' });
const failed = (db: string, lines = [`connect: ECONNREFUSED`]): BranchOutcome => ({ db, passed: false, failures: lines, reportKey: `reports/verification/${db}/x.json`, cleanup: 'deleted' });

class MemoryStore implements RunDataStore {
  readonly objects = new Map<string, unknown>();
  async putJson(bucket: string, key: string, value: unknown) {
    this.objects.set(`${bucket}/${key}`, JSON.parse(JSON.stringify(value)));
  }
  async getJson(bucket: string, key: string) {
    if (!this.objects.has(`${bucket}/${key}`)) throw Object.assign(new Error(`NoSuchKey ${key}`), { name: 'NoSuchKey' });
    return this.objects.get(`${bucket}/${key}`);
  }
}

describe('summarizeVerification', () => {
  it('stays under 8 KB with 300 failures, naming the first 20 in full and where the rest are', () => {
    const results = Array.from({ length: 300 }, (_, i) => failed(`db${i}`, Array.from({ length: 30 }, (_, l) => `check ${l}: observed ${'x'.repeat(80)}`)));
    const summary = summarizeVerification({ policy: 'gold', missing: [], results, outcomesLocation: 's3://work/runs/drill/x/outcomes.json' });
    expect(summary.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(summary.message).toMatch(/^Restore drill "gold": 300 of 300 database\(s\) FAILED verification\./);
    expect(summary.message).toContain('Every outcome: s3://work/runs/drill/x/outcomes.json');
    expect(summary.message).toContain('… and 280 more failed database(s)');
    expect(summary.failures).toHaveLength(MAX_NAMED);
    expect(summary.counts).toEqual({ planned: 300, passed: 0, failed: 300, missing: 0 });
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(16_384);
  });

  it('counts missing databases as failed and reports the rotation and its warning', () => {
    const summary = summarizeVerification({
      policy: 'gold',
      missing: [{ id: 'lost', reason: 'no available rds-dr snapshot of lost in us-west-2 to restore' }],
      results: [passed('a'), passed('b')],
      rotation: { databases: 300, picked: 3, overdue: 300, overdueNotPicked: 297, warning: 'too slow' },
    });
    expect(summary.failedCount).toBe(1);
    expect(summary.passed).toEqual(['a', 'b']);
    expect(summary.message).toContain('- a: passed, restore 600 s');
    expect(summary.message).toContain('Rotation: this run drilled 3 of 300 database(s); 300 were overdue, 297 of them left for later runs.');
    expect(summary.message).toContain('WARNING: too slow');
    expect(summary.rotationWarning).toBe('too slow');
  });
});

describe('readDrillOutcomes (from the Distributed Map results)', () => {
  const runData = { bucket: 'work', planKey: 'runs/drill/d/e/plan.json' };
  const child = (status: string, db: string, extra: Record<string, unknown>) => ({ ExecutionArn: `arn:x:${db}`, Status: status, Input: JSON.stringify({ item: { db } }), ...extra });

  it('takes each succeeded child\'s outcome, a failed child as its database failed with the child\'s error, and a planned database without either as failed', async () => {
    const store = new MemoryStore();
    await store.putJson('work', runData.planKey, [{ db: 'a' }, { db: 'b' }, { db: 'c' }]);
    await store.putJson('work', 'm/SUCCEEDED_0.json', [child('SUCCEEDED', 'a', { Output: JSON.stringify(passed('a')) })]);
    await store.putJson('work', 'm/FAILED_0.json', [child('FAILED', 'b', { Error: 'States.Timeout', Cause: 'took too long' })]);
    await store.putJson('work', 'm/manifest.json', { DestinationBucket: 'work', MapRunArn: 'arn:map', ResultFiles: { SUCCEEDED: [{ Key: 'm/SUCCEEDED_0.json' }], FAILED: [{ Key: 'm/FAILED_0.json' }] } });
    const { outcomes, attempted } = await readDrillOutcomes(store, runData, { manifestKey: 'm/manifest.json' });
    expect(attempted).toEqual(['a', 'b']);
    expect(outcomes.map((o) => [o.db, o.passed])).toEqual([['a', true], ['b', false], ['c', false]]);
    expect(outcomes[1].failures).toEqual(["the drill's execution FAILED: States.Timeout: took too long"]);
    expect(outcomes[2].failures[0]).toBe('not drilled: the drill Map failed: no outcome recorded');
  });

  it('counts every planned database failed with the Map\'s own error when the Map failed', async () => {
    const store = new MemoryStore();
    await store.putJson('work', runData.planKey, [{ db: 'a' }, { db: 'b' }]);
    const { outcomes, attempted } = await readDrillOutcomes(store, runData, { Error: 'States.ItemReaderFailed', Cause: 'denied' });
    expect(attempted).toEqual([]);
    expect(outcomes.map((o) => o.failures[0])).toEqual(['not drilled: the drill Map failed: States.ItemReaderFailed: denied', 'not drilled: the drill Map failed: States.ItemReaderFailed: denied']);
  });
});
