// Test oracles for retention, written from the policy's words, not from the planner's code.
import type { RetentionPolicy, RetentionSnapshot } from '../../../../lambdas/core/retention/plan-retention.js';

const naiveFormatters = new Map<string, Intl.DateTimeFormat>();

/** Independent of periods.ts: no memo, no slots (the exact instant), formatToParts, and the ordinal-date ISO week formula. */
export function naivePeriods(ms: number, timeZone: string) {
  let f = naiveFormatters.get(timeZone);
  if (!f) naiveFormatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' })));
  const parts = f.formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const [y, m, d] = [Number(get('year')), Number(get('month')), Number(get('day'))];
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  const isLeap = (yr: number) => (yr % 4 === 0 && yr % 100 !== 0) || yr % 400 === 0;
  const ordinal = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31].slice(0, m - 1).reduce((a, b) => a + b, 0) + d;
  // A year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year.
  const weeksIn = (yr: number) => {
    const jan1 = new Date(Date.UTC(yr, 0, 1)).getUTCDay();
    return jan1 === 4 || (jan1 === 3 && isLeap(yr)) ? 53 : 52;
  };
  let isoYear = y;
  let week = Math.floor((ordinal - weekday + 10) / 7);
  if (week < 1) week = weeksIn(--isoYear);
  else if (week > weeksIn(y)) [isoYear, week] = [y + 1, 1];
  const pad = (n: number) => String(n).padStart(2, '0');
  return { day: `${y}-${pad(m)}-${pad(d)}`, week: `${isoYear}-W${pad(week)}`, month: `${y}-${pad(m)}`, year: String(y) };
}

export type Period = 'day' | 'week' | 'month' | 'year';
export const PERIOD_OF_BUCKET = [['daily', 'day'], ['weekly', 'week'], ['monthly', 'month'], ['yearly', 'year']] as const;

/** An available rds-dr snapshot with a readable capture time that is not in the future. */
export const usable = (s: RetentionSnapshot, now: Date) =>
  s.managed && s.status === 'available' && !Number.isNaN(Date.parse(s.createdAt)) && Date.parse(s.createdAt) <= now.getTime();

const newestFirst = (a: RetentionSnapshot, b: RetentionSnapshot) =>
  Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The ids the policy says to keep, computed the slow, obvious way. */
export function expectedKept(
  history: readonly RetentionSnapshot[],
  policies: Record<string, RetentionPolicy>,
  now: Date,
  existing: ReadonlySet<string>,
): Set<string> {
  const kept = new Set<string>();
  const groups = new Map<string, RetentionSnapshot[]>();
  for (const s of history) {
    const policy = Object.hasOwn(policies, s.region) ? policies[s.region] : undefined;
    if (s.legalHold || s.inUseByVerification) kept.add(s.id); // protected, yet still a period's snapshot
    if (!policy || !usable(s, now)) {
      kept.add(s.id);
      continue;
    }
    const key = JSON.stringify([s.region, s.dbId]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const group of groups.values()) {
    const policy = policies[group[0].region];
    const sorted = [...group].sort(newestFirst);
    const keepNewest = (n: number) => sorted.slice(0, n).forEach((s) => kept.add(s.id));
    keepNewest(Math.max(1, policy.minimum));
    if (!existing.has(group[0].dbId)) {
      keepNewest(policy.keepDeletedDatabases === 'all' ? sorted.length : policy.keepDeletedDatabases);
      continue;
    }
    for (const [bucket, period] of PERIOD_OF_BUCKET) {
      const keys = [...new Set(sorted.map((s) => naivePeriods(Date.parse(s.createdAt), policy.timeZone)[period]))].slice(0, policy[bucket]);
      for (const key of keys) {
        const inPeriod = sorted.filter((s) => naivePeriods(Date.parse(s.createdAt), policy.timeZone)[period] === key);
        kept.add(inPeriod[inPeriod.length - 1].id); // the oldest
      }
    }
  }
  return kept;
}
