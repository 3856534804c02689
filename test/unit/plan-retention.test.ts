import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDeletionGuard } from '../../lambdas/prune-snapshots/deletion-guard.js';
import { periodsOf } from '../../lambdas/prune-snapshots/periods.js';
import { planRetention, type RetentionPolicy, type RetentionSnapshot } from '../../lambdas/prune-snapshots/plan-retention.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const POLICY: RetentionPolicy = { daily: 30, weekly: 12, monthly: 12, yearly: 0, minimum: 3, timeZone: 'UTC', keepDeletedDatabases: 'all' };
const EXISTING = { existingDatabases: new Set(['orders', 'billing']) };
let seq = 0;
const snap = (createdAt: string, over: Partial<RetentionSnapshot> = {}): RetentionSnapshot => ({
  id: `rdsdr-orders-${seq++}`, arn: `arn:${seq}`, region: 'us-east-1', kind: 'instance', dbId: 'orders', createdAt, status: 'available',
  managed: true, legalHold: false, inUseByVerification: false, ...over,
});
const daily = (days: number, from = NOW) => Array.from({ length: days }, (_, i) => snap(new Date(from.getTime() - (i + 1) * 86_400_000).toISOString()));
const plan = (snaps: RetentionSnapshot[], policy: Partial<RetentionPolicy> = {}, ctx = EXISTING) => planRetention(snaps, { 'us-east-1': { ...POLICY, ...policy } }, NOW, ctx);

describe('periodsOf', () => {
  it('buckets in the policy time zone', () => {
    const ms = Date.parse('2026-03-01T04:30:00Z');
    expect(periodsOf(ms, 'UTC').month).toBe('2026-03');
    expect(periodsOf(ms, 'America/Los_Angeles')).toMatchObject({ day: '2026-02-28', month: '2026-02' });
  });
  it('uses ISO weeks across the year boundary', () => {
    expect(periodsOf(Date.parse('2026-12-31T12:00:00Z'), 'UTC').week).toBe('2026-W53');
    expect(periodsOf(Date.parse('2027-01-04T12:00:00Z'), 'UTC').week).toBe('2027-W01');
    expect(periodsOf(Date.parse('2024-12-30T12:00:00Z'), 'UTC').week).toBe('2025-W01');
  });
  it('handles DST days and non-hour offsets', () => {
    // Europe/Berlin springs forward on 2026-03-29: 22:30Z on the 28th is still the 28th locally (UTC+1).
    expect(periodsOf(Date.parse('2026-03-28T22:30:00Z'), 'Europe/Berlin').day).toBe('2026-03-28');
    expect(periodsOf(Date.parse('2026-03-28T23:30:00Z'), 'Europe/Berlin').day).toBe('2026-03-29');
    expect(periodsOf(Date.parse('2026-10-24T22:30:00Z'), 'Europe/Berlin').day).toBe('2026-10-25'); // UTC+2 before fall back
    expect(periodsOf(Date.parse('2026-01-01T18:14:00Z'), 'Asia/Kathmandu').day).toBe('2026-01-01'); // UTC+5:45
    expect(periodsOf(Date.parse('2026-01-01T18:15:00Z'), 'Asia/Kathmandu').day).toBe('2026-01-02');
  });
});

describe('planRetention', () => {
  it('keeps the GFS set and says which buckets keep each snapshot', () => {
    const decisions = plan(daily(400));
    const kept = decisions.filter((d) => d.action === 'keep');
    expect(kept.filter((d) => d.reasons.some((r) => r.startsWith('daily '))).length).toBe(30);
    expect(kept.filter((d) => d.reasons.some((r) => r.startsWith('weekly '))).length).toBe(12);
    expect(kept.filter((d) => d.reasons.some((r) => r.startsWith('monthly '))).length).toBe(12);
    const newest = decisions.find((d) => d.snapshot.createdAt === '2026-11-21T12:00:00.000Z')!;
    expect(newest.reasons).toEqual(expect.arrayContaining(['newest available: the last good copy is always kept', 'minimum count (3)', 'daily 2026-11-21']));
    const firstOfNovember = decisions.find((d) => d.snapshot.createdAt.startsWith('2026-11-01'))!;
    expect(firstOfNovember.reasons).toContain('monthly 2026-11');
    const expired = decisions.filter((d) => d.action === 'delete');
    expect(expired[0].reasons[0]).toMatch(/^not in any retention bucket/);
  });

  it('keeps the first snapshot of a period, so the representative is stable', () => {
    const a = snap('2026-11-20T01:00:00Z');
    const b = snap('2026-11-20T13:00:00Z');
    const decisions = plan([a, b], { daily: 1, weekly: 0, monthly: 0, minimum: 1 });
    // b is the newest (always kept); a represents the day.
    expect(decisions.find((d) => d.snapshot === a)?.reasons).toEqual(['daily 2026-11-20']);
  });

  it('never deletes what it did not make, what is not available, held or in use', () => {
    const old = '2020-01-01T00:00:00Z';
    const protectedOnes = [
      snap(old, { managed: false }), snap(old, { status: 'copying' }), snap(old, { status: 'failed' }),
      snap(old, { legalHold: true }), snap(old, { inUseByVerification: true }), snap('2030-01-01T00:00:00Z'),
    ];
    const decisions = plan([...daily(5), ...protectedOnes], { daily: 1, weekly: 0, monthly: 0, minimum: 1 });
    for (const p of protectedOnes) expect(decisions.find((d) => d.snapshot === p)?.action, JSON.stringify(p)).toBe('keep');
    expect(decisions.find((d) => d.snapshot === protectedOnes[5])?.reasons.join()).toMatch(/future/);
  });

  it('keeps every snapshot of a deleted database unless told otherwise', () => {
    const gone = daily(50).map((s) => ({ ...s, dbId: 'archive' }));
    expect(plan(gone).every((d) => d.action === 'keep')).toBe(true);
    const limited = plan(gone, { keepDeletedDatabases: 40, daily: 1, weekly: 0, monthly: 0, minimum: 1 });
    expect(limited.filter((d) => d.action === 'keep')).toHaveLength(40);
  });

  it('keeps counting periods back when backups stopped, instead of aging everything out', () => {
    const stale = daily(60, new Date('2026-01-01T00:00:00Z'));
    expect(plan(stale, { daily: 30, weekly: 0, monthly: 0 }).filter((d) => d.action === 'keep')).toHaveLength(30);
  });

  it('applies each region its own policy, and keeps everything in a region without one', () => {
    const snaps = [...daily(40), ...daily(40).map((s) => ({ ...s, region: 'us-west-2' })), ...daily(40).map((s) => ({ ...s, region: 'eu-west-1' }))];
    const decisions = planRetention(snaps, { 'us-east-1': { ...POLICY, weekly: 0, monthly: 0 }, 'us-west-2': { ...POLICY, daily: 7, weekly: 0, monthly: 0 } }, NOW, EXISTING);
    const keptIn = (r: string) => decisions.filter((d) => d.snapshot.region === r && d.action === 'keep').length;
    expect([keptIn('us-east-1'), keptIn('us-west-2'), keptIn('eu-west-1')]).toEqual([30, 7, 40]);
  });
});

describe('checkDeletionGuard', () => {
  it('names a database whose share of deletions is too high, and a total that is too high', () => {
    const decisions = plan(daily(20), { daily: 0, weekly: 0, monthly: 0, minimum: 1 });
    expect(checkDeletionGuard(decisions, { maxShareOfDatabase: 0.5, maxTotal: 500 })).toEqual(['orders in us-east-1: plan deletes 19 of 20 snapshots (95% > 50%)']);
    expect(checkDeletionGuard(decisions, { maxShareOfDatabase: 1, maxTotal: 10 })).toEqual(['plan deletes 19 snapshots in total (> 10)']);
    expect(checkDeletionGuard(decisions, { maxShareOfDatabase: 0.96, maxTotal: 19 })).toEqual([]);
  });
});

// ---- Properties over thousands of random histories ----
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Auckland'];
const START = Date.parse('2024-11-01T00:00:00Z');
const snapshotArb = fc.record({
  dbId: fc.constantFrom('orders', 'billing', 'archive'),
  region: fc.constantFrom('us-east-1', 'us-west-2'),
  at: fc.integer({ min: START, max: NOW.getTime() + 3600_000 }),
  status: fc.constantFrom('available', 'available', 'available', 'creating', 'failed'),
  managed: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  legalHold: fc.boolean(),
  inUse: fc.boolean(),
});
const policyArb = fc.record({
  // Tight policies over dense histories, so that most snapshots are deletion candidates.
  daily: fc.integer({ min: 0, max: 10 }), weekly: fc.integer({ min: 0, max: 5 }), monthly: fc.integer({ min: 0, max: 5 }),
  yearly: fc.integer({ min: 0, max: 2 }), minimum: fc.integer({ min: 1, max: 4 }), timeZone: fc.constantFrom(...ZONES),
  keepDeletedDatabases: fc.oneof(fc.constant('all' as const), fc.integer({ min: 1, max: 10 })),
});
const historyArb = fc.array(snapshotArb, { minLength: 1, maxLength: 250, size: 'max' }).map((rows) =>
  rows.map((r, i) => ({
    id: `s${i}`, arn: `arn:s${i}`, region: r.region, kind: 'instance' as const, dbId: r.dbId, createdAt: new Date(r.at).toISOString(), status: r.status,
    managed: r.managed, legalHold: r.legalHold && i % 5 === 0, inUseByVerification: r.inUse && i % 7 === 0,
  })),
);
const usable = (s: RetentionSnapshot) => s.managed && s.status === 'available' && Date.parse(s.createdAt) <= NOW.getTime() + 300_000;

describe('planRetention properties', () => {
  it('holds its guarantees for any history and policy', () => {
    let deletedSomething = false;
    fc.assert(
      fc.property(historyArb, policyArb, policyArb, (history, primary, dr) => {
        const policies = { 'us-east-1': primary, 'us-west-2': dr };
        const decisions = planRetention(history, policies, NOW, { existingDatabases: new Set(['orders', 'billing']) });
        expect(decisions).toHaveLength(history.length);
        deletedSomething ||= decisions.some((d) => d.action === 'delete');
        expect(new Set(decisions.map((d) => d.snapshot.id)).size).toBe(history.length);
        for (const d of decisions) {
          expect(d.reasons.length).toBeGreaterThan(0);
          const s = d.snapshot;
          if (!s.managed || s.status !== 'available' || s.legalHold || s.inUseByVerification) expect(d.action).toBe('keep');
          if (s.dbId === 'archive' && policies[s.region as keyof typeof policies].keepDeletedDatabases === 'all') expect(d.action).toBe('keep');
        }
        for (const region of ['us-east-1', 'us-west-2'] as const) {
          const policy = policies[region];
          for (const db of ['orders', 'billing', 'archive']) {
            const mine = decisions.filter((d) => d.snapshot.region === region && d.snapshot.dbId === db && usable(d.snapshot));
            if (!mine.length) continue;
            const newestFirst = [...mine].sort((a, b) => Date.parse(b.snapshot.createdAt) - Date.parse(a.snapshot.createdAt));
            // The newest available copy, and at least `minimum`, are always kept.
            expect(newestFirst[0].action).toBe('keep');
            expect(mine.filter((d) => d.action === 'keep').length).toBeGreaterThanOrEqual(Math.min(policy.minimum, mine.length));
            // GFS: each of the newest N periods that have a snapshot keeps at least one of its snapshots.
            for (const [period, n] of [['day', policy.daily], ['week', policy.weekly], ['month', policy.monthly], ['year', policy.yearly]] as const) {
              const periods: string[] = [];
              for (const d of newestFirst) {
                const key = periodsOf(Date.parse(d.snapshot.createdAt), policy.timeZone)[period];
                if (!periods.includes(key)) periods.push(key);
              }
              for (const key of periods.slice(0, n)) {
                const inPeriod = mine.filter((d) => periodsOf(Date.parse(d.snapshot.createdAt), policy.timeZone)[period] === key);
                expect(inPeriod.some((d) => d.action === 'keep'), `${period} ${key} in ${region}/${db}`).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: 400 },
    );
    expect(deletedSomething).toBe(true); // the generator really exercises deletion
  });

  it('is deterministic, and re-planning what it keeps deletes nothing more', () => {
    fc.assert(
      fc.property(historyArb, policyArb, (history, policy) => {
        const policies = { 'us-east-1': policy, 'us-west-2': policy };
        const ctx = { existingDatabases: new Set(['orders', 'billing']) };
        const first = planRetention(history, policies, NOW, ctx);
        expect(planRetention(history, policies, NOW, ctx)).toEqual(first);
        const kept = first.filter((d) => d.action === 'keep').map((d) => d.snapshot);
        expect(planRetention(kept, policies, NOW, ctx).filter((d) => d.action === 'delete')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
