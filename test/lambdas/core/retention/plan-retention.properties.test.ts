// Properties of planRetention over thousands of random histories: random databases in two regions
// (and one without a policy), times over ~2 years (some in the future, some equal), random
// statuses and flags, random policies including zeros.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRetention, type RetentionDecision, type RetentionPolicy, type RetentionSnapshot } from '../../../../lambdas/core/retention/plan-retention.js';
import { expectedKept, naivePeriods, PERIOD_OF_BUCKET, usable } from './plan-retention.oracle.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const START = Date.parse('2024-11-01T00:00:00Z');
const DBS = ['orders', 'billing', 'archive', 'legacy'];
const EXISTING: ReadonlySet<string> = new Set(['orders', 'billing']); // archive and legacy were decommissioned
const REGIONS = ['us-east-1', 'us-west-2'] as const;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Auckland'];

const timeArb = fc.oneof(
  fc.integer({ min: START, max: NOW.getTime() + 2 * 86_400_000 }),
  // On a coarse grid, so that equal capture times (ties) happen.
  fc.integer({ min: 0, max: 24 * 60 }).map((h) => NOW.getTime() - h * 3_600_000 * 12),
);
const snapshotArb = fc.record({
  dbId: fc.constantFrom(...DBS),
  region: fc.constantFrom('us-east-1', 'us-east-1', 'us-west-2', 'us-west-2', 'eu-west-1'),
  at: timeArb,
  status: fc.constantFrom('available', 'available', 'available', 'available', 'creating', 'copying', 'failed'),
  managed: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  legalHold: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  inUse: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});
const policyArb: fc.Arbitrary<RetentionPolicy> = fc.record({
  // Tight policies over dense histories, so that most snapshots are deletion candidates.
  daily: fc.integer({ min: 0, max: 10 }),
  weekly: fc.integer({ min: 0, max: 5 }),
  monthly: fc.integer({ min: 0, max: 5 }),
  yearly: fc.integer({ min: 0, max: 3 }),
  minimum: fc.integer({ min: 0, max: 4 }),
  timeZone: fc.constantFrom(...ZONES),
  keepDeletedDatabases: fc.oneof(fc.constant('all' as const), fc.integer({ min: 1, max: 10 })),
});
const historyArb = fc.array(snapshotArb, { minLength: 1, maxLength: 200, size: 'max' }).map((rows) =>
  rows.map(
    (r, i): RetentionSnapshot => ({
      id: `s${String(i).padStart(3, '0')}`, arn: `arn:s${i}`, region: r.region, kind: 'instance', dbId: r.dbId, createdAt: new Date(r.at).toISOString(),
      status: r.status, managed: r.managed, legalHold: r.legalHold, inUseByVerification: r.inUse,
    }),
  ),
);
const policiesArb = fc.tuple(policyArb, policyArb).map(([primary, dr]): Record<string, RetentionPolicy> => ({ 'us-east-1': primary, 'us-west-2': dr }));
const plan = (history: RetentionSnapshot[], policies: Record<string, RetentionPolicy>) => planRetention(history, policies, NOW, { existingDatabases: EXISTING });
const byId = (decisions: RetentionDecision[]) => new Map(decisions.map((d) => [d.snapshot.id, d]));
const ms = (s: RetentionSnapshot) => Date.parse(s.createdAt);

describe('planRetention properties', () => {
  it('keeps every promise for any history and policy', () => {
    let deleted = 0;
    fc.assert(
      fc.property(historyArb, policiesArb, (history, policies) => {
        const decisions = plan(history, policies);
        // Exactly one decision per snapshot, each with a reason.
        expect(decisions.map((d) => d.snapshot)).toEqual(history);
        for (const d of decisions) {
          expect(d.reasons.length).toBeGreaterThan(0);
          const s = d.snapshot;
          if (d.action === 'keep') continue;
          deleted++;
          // Never deleted: unmanaged, not available, held, in use, future-dated, in a region without a policy.
          expect(s.managed && s.status === 'available' && !s.legalHold && !s.inUseByVerification).toBe(true);
          expect(ms(s)).toBeLessThanOrEqual(NOW.getTime());
          expect(Object.hasOwn(policies, s.region)).toBe(true);
          // A deleted database with 'all' loses nothing.
          if (!EXISTING.has(s.dbId)) expect(policies[s.region].keepDeletedDatabases).not.toBe('all');
        }
        for (const region of REGIONS) {
          const policy = policies[region];
          for (const db of DBS) {
            const mine = decisions.filter((d) => d.snapshot.region === region && d.snapshot.dbId === db && usable(d.snapshot, NOW));
            if (!mine.length) continue;
            const newest = Math.max(...mine.map((d) => ms(d.snapshot)));
            // The newest available copy, and at least `minimum` (or what there is), are kept.
            expect(mine.filter((d) => ms(d.snapshot) === newest).some((d) => d.action === 'keep')).toBe(true);
            expect(mine.filter((d) => d.action === 'keep').length).toBeGreaterThanOrEqual(Math.min(policy.minimum, mine.length));
            if (!EXISTING.has(db)) continue; // a decommissioned database's buckets do not apply
            // GFS: each of the newest N periods that have a snapshot keeps at least one of them.
            for (const [bucket, period] of PERIOD_OF_BUCKET) {
              const periodOf = (d: RetentionDecision) => naivePeriods(ms(d.snapshot), policy.timeZone)[period];
              const newestPeriods = [...new Set([...mine].sort((a, b) => ms(b.snapshot) - ms(a.snapshot)).map(periodOf))].slice(0, policy[bucket]);
              for (const key of newestPeriods) {
                expect(mine.some((d) => periodOf(d) === key && d.action === 'keep'), `${bucket} ${key} in ${region}/${db}`).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: 2000 },
    );
    expect(deleted).toBeGreaterThan(10_000); // the generator really exercises deletion
  });

  it('keeps exactly what an independent oracle says: no less, and no more', () => {
    fc.assert(
      fc.property(historyArb, policiesArb, (history, policies) => {
        const kept = plan(history, policies).filter((d) => d.action === 'keep').map((d) => d.snapshot.id);
        expect(kept.sort()).toEqual([...expectedKept(history, policies, NOW, EXISTING)].sort());
      }),
      { numRuns: 2000 },
    );
  });

  it('does not depend on the input order', () => {
    const shuffled = historyArb.chain((h) => fc.tuple(fc.constant(h), fc.shuffledSubarray(h, { minLength: h.length, maxLength: h.length })));
    fc.assert(
      fc.property(shuffled, policiesArb, ([history, reordered], policies) => {
        const a = byId(plan(history, policies));
        const b = byId(plan(reordered, policies));
        for (const [id, d] of a) expect(b.get(id)).toEqual(d);
      }),
      { numRuns: 1000 },
    );
  });

  // Holds because representatives are the FIRST of their period and periods are counted, not dated:
  // the kept set still contains every kept period's first snapshot, and no newer period appears.
  it('is idempotent: planning what it keeps keeps all of it, for the same reasons', () => {
    fc.assert(
      fc.property(historyArb, policiesArb, (history, policies) => {
        const first = plan(history, policies);
        const kept = first.filter((d) => d.action === 'keep');
        expect(plan(kept.map((d) => d.snapshot), policies)).toEqual(kept);
      }),
      { numRuns: 1000 },
    );
  });

  it('is stable: a newer snapshot never moves an existing period’s representative', () => {
    const withNewer = fc.tuple(historyArb, policiesArb, fc.constantFrom(...REGIONS), fc.constantFrom(...DBS), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(withNewer, ([history, policies, region, db, where]) => {
        const times = history.filter((s) => s.region === region && s.dbId === db && usable(s, NOW)).map(ms);
        const latest = times.length ? Math.max(...times) : START;
        fc.pre(latest < NOW.getTime());
        const at = latest + 1 + Math.floor(where * (NOW.getTime() - latest - 1));
        const newer: RetentionSnapshot = { ...history[0], id: 'new', arn: 'arn:new', region, dbId: db, createdAt: new Date(at).toISOString(), status: 'available', managed: true };
        const holderOf = (decisions: RetentionDecision[]) => {
          const out = new Map<string, string>();
          for (const d of decisions) for (const r of d.reasons) if (/^(daily|weekly|monthly|yearly) /.test(r)) out.set(`${d.snapshot.region} ${d.snapshot.dbId} ${r}`, d.snapshot.id);
          return out;
        };
        const before = holderOf(plan(history, policies));
        const after = holderOf(plan([...history, newer], policies));
        for (const [bucket, id] of after) if (before.has(bucket)) expect(id, bucket).toBe(before.get(bucket));
      }),
      { numRuns: 1000 },
    );
  });
});
