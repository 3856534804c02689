// Concrete cases for each retention rule; the properties over random histories are in
// plan-retention.properties.test.ts, calendar periods in plan-retention.periods.test.ts.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION_POLICY,
  planRetention,
  REASON,
  type RetentionDecision,
  type RetentionPolicy,
  type RetentionSnapshot,
} from '../../../../lambdas/core/retention/plan-retention.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const DAY = 86_400_000;
const POLICY: RetentionPolicy = { ...DEFAULT_RETENTION_POLICY };
const ONLY_NEWEST: Partial<RetentionPolicy> = { daily: 0, weekly: 0, monthly: 0, yearly: 0, minimum: 1 };
let seq = 0;
const snap = (createdAt: string, over: Partial<RetentionSnapshot> = {}): RetentionSnapshot => {
  const id = `rdsdr-orders-${String(seq++).padStart(6, '0')}`;
  return {
    // Normalized like RDS's own times, so tests can compare with toISOString(); garbage stays garbage.
    id, arn: `arn:aws:rds:us-east-1:123456789012:snapshot:${id}`, region: 'us-east-1', kind: 'instance', dbId: 'orders',
    createdAt: Number.isNaN(Date.parse(createdAt)) ? createdAt : new Date(createdAt).toISOString(),
    status: 'available', managed: true, legalHold: false, inUseByVerification: false, ...over,
  };
};
/** One snapshot a day at 12:00 UTC for the `days` days before `until`. */
const daily = (days: number, until = NOW, over: Partial<RetentionSnapshot> = {}) =>
  Array.from({ length: days }, (_, i) => snap(new Date(until.getTime() - (i + 1) * DAY).toISOString(), over));
const hourly = (fromIso: string, hours: number) => Array.from({ length: hours }, (_, i) => snap(new Date(Date.parse(fromIso) + i * 3_600_000).toISOString()));
const plan = (snaps: RetentionSnapshot[], policy: Partial<RetentionPolicy> = {}, existing = ['orders', 'billing'], now = NOW) =>
  planRetention(snaps, { 'us-east-1': { ...POLICY, ...policy } }, now, { existingDatabases: new Set(existing) });
const of = (decisions: RetentionDecision[], s: RetentionSnapshot) => decisions.find((d) => d.snapshot === s)!;
const at = (decisions: RetentionDecision[], iso: string) => decisions.find((d) => d.snapshot.createdAt === new Date(iso).toISOString())!;
const keptIds = (decisions: RetentionDecision[]) => decisions.filter((d) => d.action === 'keep').map((d) => d.snapshot.createdAt);
/** Which snapshot (its time) carries each "<bucket> <period>" reason. */
const holders = (decisions: RetentionDecision[], bucket: string) => {
  const out: Record<string, string[]> = {};
  for (const d of decisions) for (const r of d.reasons) if (r.startsWith(`${bucket} `)) (out[r.slice(bucket.length + 1)] ??= []).push(d.snapshot.createdAt);
  return out;
};

describe('planRetention: GFS buckets', () => {
  it('keeps the default GFS set of 400 daily snapshots and names every bucket a snapshot fills', () => {
    const decisions = plan(daily(400));
    expect(Object.keys(holders(decisions, 'daily'))).toHaveLength(30);
    expect(Object.keys(holders(decisions, 'weekly'))).toEqual([
      '2026-W47', '2026-W46', '2026-W45', '2026-W44', '2026-W43', '2026-W42', '2026-W41', '2026-W40', '2026-W39', '2026-W38', '2026-W37', '2026-W36',
    ]);
    expect(holders(decisions, 'monthly')['2025-12']).toEqual(['2025-12-01T12:00:00.000Z']);
    expect(Object.keys(holders(decisions, 'monthly'))).toHaveLength(12);
    // 30 days + 8 Mondays before the daily window + 11 firsts of the month before it.
    expect(keptIds(decisions)).toHaveLength(49);
    expect(at(decisions, '2026-11-21T12:00Z').reasons).toEqual([REASON.newest, 'minimum count (3)', 'daily 2026-11-21']);
    expect(at(decisions, '2026-11-16T12:00Z').reasons).toEqual(['daily 2026-11-16', 'weekly 2026-W47']);
    expect(at(decisions, '2026-11-01T12:00Z').reasons).toEqual(['daily 2026-11-01', 'monthly 2026-11']);
    const expired = at(decisions, '2025-11-30T12:00Z');
    expect(expired.action).toBe('delete');
    expect(expired.reasons).toEqual([expect.stringMatching(/^not in any retention bucket \(daily 30, weekly 12, monthly 12, yearly 0, minimum 3\)/)]);
  });

  it('keeps the first snapshot of each of the newest N years', () => {
    const decisions = plan(daily(800), { daily: 0, weekly: 0, monthly: 0, yearly: 2, minimum: 1 });
    expect(holders(decisions, 'yearly')).toEqual({ '2026': ['2026-01-01T12:00:00.000Z'], '2025': ['2025-01-01T12:00:00.000Z'] });
    expect(keptIds(decisions)).toEqual(['2026-11-21T12:00:00.000Z', '2026-01-01T12:00:00.000Z', '2025-01-01T12:00:00.000Z']);
    // The oldest year has no January snapshot: its first one represents it.
    expect(holders(plan(daily(800), { yearly: 3 }), 'yearly')['2024']).toEqual(['2024-09-13T12:00:00.000Z']);
  });

  it('keeps the FIRST snapshot of a period, so its representative stays put as newer ones arrive', () => {
    const first = snap('2026-11-02T01:00:00Z');
    const month = [first, snap('2026-11-02T13:00:00Z')];
    const before = plan(month, { daily: 1, weekly: 1, monthly: 1, minimum: 1 });
    expect(of(before, first).reasons).toEqual(['daily 2026-11-02', 'weekly 2026-W45', 'monthly 2026-11']);
    const later = [...month, snap('2026-11-05T01:00:00Z'), snap('2026-11-20T01:00:00Z')];
    const after = plan(later, { daily: 1, weekly: 1, monthly: 1, minimum: 1 });
    expect(of(after, first).reasons).toEqual(['monthly 2026-11']); // still the month's keeper
    expect(holders(after, 'daily')).toEqual({ '2026-11-20': ['2026-11-20T01:00:00.000Z'] });
    expect(of(after, month[1]).action).toBe('delete');
  });

  it('counts periods that have a snapshot: when backups stop, the old ones are not aged out', () => {
    const stale = daily(60, new Date('2026-01-01T00:00:00Z'));
    const decisions = plan(stale, { daily: 30, weekly: 0, monthly: 0, minimum: 1 });
    expect(keptIds(decisions)).toHaveLength(30);
    expect(Object.keys(holders(decisions, 'daily'))).toHaveLength(30);
    expect(at(decisions, '2025-12-31T00:00Z').reasons).toContain(REASON.newest);
  });

  it('skips empty periods instead of counting them', () => {
    // Snapshots on 5 scattered days; daily 3 keeps the newest three days that HAVE a snapshot.
    const days = ['2026-11-01', '2026-11-05', '2026-11-10', '2026-11-15', '2026-11-20'].map((d) => snap(`${d}T03:00:00Z`));
    expect(Object.keys(holders(plan(days, { daily: 3, weekly: 0, monthly: 0, minimum: 1 }), 'daily')).sort()).toEqual(['2026-11-10', '2026-11-15', '2026-11-20']);
  });

  it('lets only available rds-dr snapshots represent a period', () => {
    const day = [snap('2026-11-20T00:10:00Z', { managed: false }), snap('2026-11-20T00:20:00Z', { status: 'failed' }), snap('2026-11-20T00:30:00Z')];
    const decisions = plan([...day, snap('2026-11-21T00:00:00Z')], { daily: 2, weekly: 0, monthly: 0, minimum: 1 });
    expect(holders(decisions, 'daily')['2026-11-20']).toEqual(['2026-11-20T00:30:00.000Z']);
  });
});

describe('planRetention: protections', () => {
  const old = '2020-01-01T00:00:00Z';
  const withHistory = (extra: RetentionSnapshot) => {
    const decisions = plan([...daily(5), extra], ONLY_NEWEST);
    expect(decisions.filter((d) => d.action === 'delete').length).toBeGreaterThanOrEqual(4); // the policy does delete
    return of(decisions, extra);
  };

  it('never deletes a snapshot rds-dr did not make', () => {
    expect(withHistory(snap(old, { managed: false }))).toMatchObject({ action: 'keep', reasons: [REASON.unmanaged] });
  });

  it('keeps and reports snapshots that are not available', () => {
    for (const status of ['creating', 'copying', 'failed', 'incompatible-restore']) {
      expect(withHistory(snap(old, { status }))).toMatchObject({ action: 'keep', reasons: [`status "${status}": reported, not deleted`] });
    }
  });

  it('never deletes a snapshot under legal hold or in use by a restore drill', () => {
    expect(withHistory(snap(old, { legalHold: true }))).toMatchObject({ action: 'keep', reasons: [REASON.legalHold] });
    expect(withHistory(snap(old, { inUseByVerification: true }))).toMatchObject({ action: 'keep', reasons: [REASON.inUse] });
  });

  it('keeps the newest AVAILABLE snapshot, even when a newer one is still being created', () => {
    const creating = snap('2026-11-22T11:00:00Z', { status: 'creating' });
    const decisions = plan([creating, ...daily(5)], { ...ONLY_NEWEST, minimum: 0 });
    expect(at(decisions, '2026-11-21T12:00Z')).toMatchObject({ action: 'keep', reasons: [REASON.newest, 'minimum count (0)'] });
    expect(keptIds(decisions)).toEqual([creating.createdAt, '2026-11-21T12:00:00.000Z']);
  });

  it('keeps the newest `minimum` whatever their age', () => {
    const decisions = plan(daily(5, new Date('2020-06-01T00:00:00Z')), { ...ONLY_NEWEST, minimum: 3 });
    expect(keptIds(decisions)).toEqual(['2020-05-31T00:00:00.000Z', '2020-05-30T00:00:00.000Z', '2020-05-29T00:00:00.000Z']);
    expect(at(decisions, '2020-05-29T00:00Z').reasons).toEqual(['minimum count (3)']);
  });

  it('keeps a snapshot dated in the future, and does not let it stand in for the last good copy', () => {
    const future = snap('2026-11-23T00:00:00Z');
    const decisions = plan([future, ...daily(3)], { ...ONLY_NEWEST, daily: 1 });
    expect(of(decisions, future)).toMatchObject({ action: 'keep', reasons: [REASON.future] });
    expect(at(decisions, '2026-11-21T12:00Z').reasons).toEqual([REASON.newest, 'minimum count (1)', 'daily 2026-11-21']);
    expect(keptIds(decisions)).toHaveLength(2);
  });

  it('keeps a snapshot whose capture time cannot be read', () => {
    expect(withHistory(snap('not a date'))).toMatchObject({ action: 'keep', reasons: [REASON.unreadableTime] });
  });

  it('lists every protection that applies', () => {
    expect(withHistory(snap(old, { managed: false, status: 'failed', legalHold: true })).reasons).toEqual([REASON.unmanaged, 'status "failed": reported, not deleted', REASON.legalHold]);
  });
});

describe('planRetention: deleted databases', () => {
  const gone = () => daily(50, NOW, { dbId: 'archive' });

  it('keeps every snapshot of a database that no longer exists by default', () => {
    const decisions = plan(gone(), ONLY_NEWEST);
    expect(decisions.every((d) => d.action === 'keep')).toBe(true);
    expect(decisions[49].reasons).toEqual(['database archive no longer exists: all its snapshots are kept']);
  });

  it('with a number, keeps only the newest N and lets older ones go even when a bucket would keep them', () => {
    const decisions = plan(gone(), { keepDeletedDatabases: 5, minimum: 3 });
    expect(keptIds(decisions)).toHaveLength(5);
    expect(decisions[4].reasons).toEqual(['database archive no longer exists: one of its newest 5']);
    expect(decisions[5]).toMatchObject({ action: 'delete', reasons: ['database archive no longer exists and this is older than its newest 5 (keepDeletedDatabases)'] });
  });

  it('still keeps `minimum`, the newest and protected snapshots of a deleted database', () => {
    const held = snap('2026-01-01T00:00:00Z', { dbId: 'archive', legalHold: true });
    const decisions = plan([...gone(), held], { keepDeletedDatabases: 2, minimum: 4 });
    expect(keptIds(decisions)).toHaveLength(5);
    expect(of(decisions, held).action).toBe('keep');
  });

  it('uses the buckets as usual for a database that exists', () => {
    // 30 days, and the first of weeks 2026-W43..W40 (2026-10-03 also being the first of October).
    expect(keptIds(plan(gone().map((s) => ({ ...s, dbId: 'orders' })), { keepDeletedDatabases: 5 }))).toHaveLength(34);
  });
});

describe('planRetention: groups and regions', () => {
  it('plans each (region, database) on its own, with its region’s policy; a region without a policy keeps everything', () => {
    const snaps = [
      ...daily(40),
      ...daily(40, NOW, { dbId: 'billing' }),
      ...daily(40, NOW, { region: 'us-west-2' }),
      ...daily(40, NOW, { region: 'eu-west-1' }),
    ];
    const decisions = planRetention(
      snaps,
      { 'us-east-1': { ...POLICY, weekly: 0, monthly: 0 }, 'us-west-2': { ...POLICY, daily: 7, weekly: 0, monthly: 0 } },
      NOW,
      { existingDatabases: new Set(['orders', 'billing']) },
    );
    const kept = (region: string, db = 'orders') => decisions.filter((d) => d.snapshot.region === region && d.snapshot.dbId === db && d.action === 'keep').length;
    expect([kept('us-east-1'), kept('us-east-1', 'billing'), kept('us-west-2'), kept('eu-west-1')]).toEqual([30, 30, 7, 40]);
    expect(decisions.find((d) => d.snapshot.region === 'eu-west-1')?.reasons).toEqual(['no retention policy for eu-west-1: kept']);
  });

  it('returns one decision per snapshot, in input order', () => {
    const snaps = [...daily(10), ...daily(10, NOW, { dbId: 'billing' })].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    expect(plan(snaps).map((d) => d.snapshot)).toEqual(snaps);
    expect(plan([])).toEqual([]);
  });

  it('does not take a policy from Object.prototype for a region named like one of its keys', () => {
    const decisions = planRetention(daily(5, NOW, { region: 'constructor' }), {}, NOW, { existingDatabases: new Set(['orders']) });
    expect(decisions.every((d) => d.action === 'keep' && d.reasons[0] === 'no retention policy for constructor: kept')).toBe(true);
  });
});

describe('planRetention: time zones', () => {
  it('buckets in the policy time zone: 2026-03-01T04:30Z is February in Los Angeles, March in UTC', () => {
    const s = snap('2026-03-01T04:30:00Z');
    const bucketsOf = (timeZone: string) => of(plan([s, snap('2026-03-02T12:00:00Z')], { daily: 2, weekly: 0, monthly: 2, minimum: 1, timeZone }), s).reasons;
    expect(bucketsOf('UTC')).toEqual(['daily 2026-03-01', 'monthly 2026-03']);
    expect(bucketsOf('America/Los_Angeles')).toEqual(['daily 2026-02-28', 'monthly 2026-02']);
  });

  // Hourly snapshots around each DST change: exactly one daily representative per local date, the
  // first hour of that local date, and the short / long days have 23 / 25 snapshots.
  const dstCases: [string, string, string, Record<string, string>, Record<string, number>][] = [
    ['Europe/Berlin spring forward', 'Europe/Berlin', '2026-03-27T23:00:00Z',
      { '2026-03-28': '2026-03-27T23:00:00.000Z', '2026-03-29': '2026-03-28T23:00:00.000Z', '2026-03-30': '2026-03-29T22:00:00.000Z' }, { '2026-03-29': 23 }],
    ['Europe/Berlin fall back', 'Europe/Berlin', '2026-10-23T22:00:00Z',
      { '2026-10-24': '2026-10-23T22:00:00.000Z', '2026-10-25': '2026-10-24T22:00:00.000Z', '2026-10-26': '2026-10-25T23:00:00.000Z' }, { '2026-10-25': 25 }],
    ['America/New_York spring forward', 'America/New_York', '2026-03-07T05:00:00Z',
      { '2026-03-07': '2026-03-07T05:00:00.000Z', '2026-03-08': '2026-03-08T05:00:00.000Z', '2026-03-09': '2026-03-09T04:00:00.000Z' }, { '2026-03-08': 23 }],
    ['America/New_York fall back', 'America/New_York', '2026-10-31T04:00:00Z',
      { '2026-10-31': '2026-10-31T04:00:00.000Z', '2026-11-01': '2026-11-01T04:00:00.000Z', '2026-11-02': '2026-11-02T05:00:00.000Z' }, { '2026-11-01': 25 }],
  ];
  it.each(dstCases)('%s: one daily representative per local date', (_name, timeZone, from, firstOfDay, hoursInDay) => {
    const snaps = hourly(from, 72).filter((s) => Date.parse(s.createdAt) < Date.parse(Object.values(firstOfDay)[2]) + 3_600_000);
    const decisions = plan(snaps, { daily: 10, weekly: 0, monthly: 0, minimum: 1, timeZone }, ['orders'], new Date('2026-12-01T00:00:00Z'));
    const byDay = holders(decisions, 'daily');
    expect(Object.values(byDay).every((list) => list.length === 1)).toBe(true);
    expect(Object.fromEntries(Object.entries(byDay).map(([day, [first]]) => [day, first]))).toEqual(firstOfDay);
    const [[day, hours]] = Object.entries(hoursInDay);
    const next = Object.values(firstOfDay)[Object.keys(firstOfDay).indexOf(day) + 1];
    expect(snaps.filter((s) => s.createdAt >= byDay[day][0] && s.createdAt < next)).toHaveLength(hours);
  });

  it('uses ISO weeks (Monday first) across a year boundary', () => {
    const times = ['2026-12-27T12:00:00Z', '2026-12-28T12:00:00Z', '2026-12-31T12:00:00Z', '2027-01-03T12:00:00Z', '2027-01-04T12:00:00Z'];
    const decisions = plan(times.map((t) => snap(t)), { daily: 0, weekly: 3, monthly: 0, minimum: 1 }, ['orders'], new Date('2027-01-10T00:00:00Z'));
    expect(holders(decisions, 'weekly')).toEqual({
      '2027-W01': ['2027-01-04T12:00:00.000Z'],
      '2026-W53': ['2026-12-28T12:00:00.000Z'], // 2026-12-31 and 2027-01-03 are the same ISO week
      '2026-W52': ['2026-12-27T12:00:00.000Z'], // a Sunday: the end of the week before
    });
  });

  it('puts New Year’s Eve 23:30 UTC into the next month and year in Berlin', () => {
    const eve = snap('2026-12-31T23:30:00Z');
    const buckets = (timeZone: string) =>
      of(plan([snap('2026-12-15T12:00:00Z'), eve, snap('2027-01-02T12:00:00Z')], { daily: 0, weekly: 0, monthly: 2, yearly: 2, minimum: 1, timeZone }, ['orders'], new Date('2027-01-10T00:00:00Z')), eve).reasons;
    expect(buckets('Europe/Berlin')).toEqual(['monthly 2027-01', 'yearly 2027']);
    expect(buckets('UTC')).toEqual([expect.stringMatching(/^not in any retention bucket/)]); // December, 2026: not the first
  });
});
