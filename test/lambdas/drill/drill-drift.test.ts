import { describe, expect, it } from 'vitest';
import { schemaHash, tableSchema, type Fingerprint } from '../../../lambdas/core/fingerprint.js';
import { recordIfPassed, withDrift } from '../../../lambdas/drill/drill-drift.js';
import { buildReport, failureLines, warningLines, type DrillBranch } from '../../../lambdas/drill/drill-report.js';
import { summarizeVerification } from '../../../lambdas/drill/drill-summary.js';
import { InMemoryFingerprintStore } from '../core/in-memory-fingerprint-store.js';
import { CHECK_DEFAULTS } from './check-defaults.js';

function fingerprint(capturedAt: string, rows: number, sizeBytes: number, columns = ['id integer NOT NULL']): Fingerprint {
  const tables = { 'public.orders': tableSchema(columns, [], []) };
  return { capturedAt, sizeBytes, rows: { 'public.orders': rows }, schema: { tables, hash: schemaHash(tables) } };
}

const branch = (fp: Fingerprint | undefined, drift = CHECK_DEFAULTS.drift, verdictPassed = true): DrillBranch => ({
  item: {
    db: 'orders', kind: 'instance', engine: 'postgres', snapshotId: 's', snapshotArn: 'arn:s', snapshotTime: 't', restoreId: 'rdsdr-verify-orders-1', clusterInstanceId: 'x',
    instanceClass: 'db.t4g.micro', subnetGroupName: 'g', securityGroupIds: [], restoreTimeoutSeconds: 1, tags: [],
    checks: { tables: [], assertions: [], rpoMinutes: 60, statementTimeoutSeconds: 60, ...CHECK_DEFAULTS, drift },
  },
  executionArn: 'arn:e',
  restorePoll: { available: true, startedAt: '2026-11-22T03:00:00Z', checkedAt: '2026-11-22T03:12:00Z' },
  verdict: { passed: verdictPassed, checks: [{ name: 'connect', passed: true }, ...(verdictPassed ? [] : [{ name: 'x', passed: false, error: 'bad' }])], startedAt: 'a', finishedAt: '2026-11-22T03:20:00Z', ...(fp && { fingerprint: fp }) },
  failure: null,
  cleanup: { status: 'DELETING' },
});

/** What the drill-report handler does with a branch: report with drift, then the baseline if it passed. */
async function report(store: InMemoryFingerprintStore, b: DrillBranch) {
  const r = await withDrift(buildReport(b, 'us-west-2', '2026-11-22T03:21:00Z'), b, store);
  return { report: r, recorded: await recordIfPassed(r, b, store) };
}

describe('drift in the drill report', () => {
  it('the first drill sets the baseline and records it (latest + history)', async () => {
    const store = new InMemoryFingerprintStore();
    const { report: r, recorded } = await report(store, branch(fingerprint('2026-11-22T03:19:00.000Z', 250, 1000)));
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual(['connect', 'drift baseline set']);
    expect(r.fingerprint).toEqual({ capturedAt: '2026-11-22T03:19:00.000Z', tables: 1, rows: 250, sizeBytes: 1000 });
    expect(recorded).toBe(true);
    expect([...store.objects.keys()]).toEqual(['fingerprints/orders/history/2026-11-22T03-19-00-000Z.json', 'fingerprints/orders/latest.json']);
  });

  it('an emptied table fails the drill, names the table with before/after in the alert lines, and keeps the old baseline', async () => {
    const store = new InMemoryFingerprintStore();
    await store.record('orders', fingerprint('2026-11-15T03:00:00.000Z', 250, 1000));
    const { report: r, recorded } = await report(store, branch(fingerprint('2026-11-22T03:19:00.000Z', 0, 1000)));
    expect(r.passed).toBe(false);
    expect(r.fingerprint?.previousCapturedAt).toBe('2026-11-15T03:00:00.000Z');
    expect(failureLines(r)).toEqual([
      'drift table public.orders rows: observed "0 rows, -100.0 % from 250 rows at the last good drill (2026-11-15T03:00:00.000Z)", expected "at most 50 % fewer rows than at the last good drill"',
    ]);
    expect(recorded).toBe(false);
    expect((await store.latest('orders'))?.capturedAt).toBe('2026-11-15T03:00:00.000Z');
  });

  it('a drill that failed other checks is never the baseline, even without drift', async () => {
    const store = new InMemoryFingerprintStore();
    const { report: r, recorded } = await report(store, branch(fingerprint('2026-11-22T03:19:00.000Z', 250, 1000), CHECK_DEFAULTS.drift, false));
    expect(r.passed).toBe(false);
    expect(recorded).toBe(false);
    expect(await store.latest('orders')).toBeUndefined();
  });

  it('warnings (a 30 % size change, an added column) pass, are listed in the report and in the run summary, and move the baseline', async () => {
    const store = new InMemoryFingerprintStore();
    await store.record('orders', fingerprint('2026-11-15T03:00:00.000Z', 250, 10_000_000));
    const { report: r, recorded } = await report(store, branch(fingerprint('2026-11-22T03:19:00.000Z', 250, 13_000_000, ['id integer NOT NULL', 'note text'])));
    expect(r.passed).toBe(true);
    expect(warningLines(r)).toEqual([
      'drift database size: database size +30.0 % (10000000 -> 13000000 bytes), beyond ±20 %',
      'drift schema: schema changed: table public.orders: column added: note text',
    ]);
    expect(recorded).toBe(true);
    const summary = summarizeVerification({ policy: 'gold', missing: [], results: [{ db: 'orders', passed: true, failures: [], reportKey: 'k', cleanup: 'deleted', restoreSeconds: 1, warnings: warningLines(r) }] });
    expect(summary.message).toContain('- orders: passed, restore 1 s\n    warning: drift database size: database size +30.0 % (10000000 -> 13000000 bytes), beyond ±20 %\n    warning: drift schema');
  });

  it('drift disabled or no fingerprint (no connection): the report is unchanged and nothing is recorded', async () => {
    const store = new InMemoryFingerprintStore();
    for (const b of [branch(fingerprint('2026-11-22T03:19:00.000Z', 1, 1), { ...CHECK_DEFAULTS.drift, enabled: false }), branch(undefined)]) {
      const { report: r, recorded } = await report(store, b);
      expect(r.checks.map((c) => c.name)).toEqual(['connect']);
      expect(r.fingerprint).toBeUndefined();
      expect(recorded).toBe(false);
    }
    expect(store.objects.size).toBe(0);
  });
});
