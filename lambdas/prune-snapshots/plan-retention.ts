// GFS retention planning: for every snapshot, keep or delete and why. Pure and SDK-free.
//
// A snapshot represents a period (day, ISO week, month, year in the policy's time zone) when it is
// the FIRST (oldest) available rds-dr snapshot of its database in that period. First, not newest,
// so a period's representative is stable: a monthly keeper chosen on the 1st stays the keeper as
// the month's later snapshots arrive and expire. The newest N periods *that have a snapshot* are
// kept (count-based), so when backups stop, the old ones are not aged out underneath you.
import { periodsOf, type Periods } from './periods.js';

export interface RetentionSnapshot {
  id: string;
  arn: string;
  region: string;
  kind: 'instance' | 'cluster';
  /** The source database. */
  dbId: string;
  /** When the data was captured (ISO). */
  createdAt: string;
  status: string;
  /** Carries rds-dr:managed=true. */
  managed: boolean;
  /** Carries rds-dr:legal-hold (any value). */
  legalHold: boolean;
  inUseByVerification: boolean;
}

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
  yearly: number;
  /** The newest this-many available snapshots are kept whatever their age (at least 1). */
  minimum: number;
  timeZone: string;
  /** For a database that no longer exists: keep its newest N snapshots on top of the policy, or all. */
  keepDeletedDatabases: number | 'all';
}

export interface RetentionContext {
  existingDatabases: ReadonlySet<string>;
}

export interface RetentionDecision {
  snapshot: RetentionSnapshot;
  action: 'keep' | 'delete';
  reasons: string[];
}

const BUCKETS: [keyof Periods, 'daily' | 'weekly' | 'monthly' | 'yearly'][] = [
  ['day', 'daily'],
  ['week', 'weekly'],
  ['month', 'monthly'],
  ['year', 'yearly'],
];
// Tolerated clock difference before a snapshot counts as "from the future".
const CLOCK_SKEW_MS = 5 * 60_000;

function planGroup(group: RetentionSnapshot[], policy: RetentionPolicy | undefined, now: Date, context: RetentionContext): RetentionDecision[] {
  const reasons = new Map<RetentionSnapshot, string[]>(group.map((s) => [s, []]));
  const add = (s: RetentionSnapshot, why: string) => reasons.get(s)!.push(why);
  const eligible: { s: RetentionSnapshot; ms: number }[] = [];
  for (const s of group) {
    const ms = Date.parse(s.createdAt);
    if (!policy) add(s, `no retention policy for ${s.region}: kept`);
    if (!s.managed) add(s, 'not made by rds-dr (no rds-dr:managed=true): never deleted');
    if (s.status !== 'available') add(s, `status "${s.status}": reported, not deleted`);
    if (s.legalHold) add(s, 'legal hold (rds-dr:legal-hold)');
    if (s.inUseByVerification) add(s, 'in use by a restore drill');
    const future = ms > now.getTime() + CLOCK_SKEW_MS;
    if (Number.isNaN(ms)) add(s, 'unreadable capture time: kept');
    else if (future) add(s, 'dated in the future (clock skew?): kept');
    // A future-dated snapshot is kept but is no proof of a good copy: it must not displace the real
    // newest snapshot as "the last good copy", nor represent a period.
    if (s.managed && s.status === 'available' && !Number.isNaN(ms) && !future) eligible.push({ s, ms });
  }
  if (policy) {
    eligible.sort((a, b) => b.ms - a.ms || (a.s.id < b.s.id ? -1 : 1));
    if (eligible.length) add(eligible[0].s, 'newest available: the last good copy is always kept');
    eligible.slice(0, Math.max(1, policy.minimum)).forEach(({ s }) => add(s, `minimum count (${policy.minimum})`));
    const dbGone = !context.existingDatabases.has(group[0].dbId);
    if (dbGone) {
      const keep = policy.keepDeletedDatabases === 'all' ? eligible.length : policy.keepDeletedDatabases;
      eligible.slice(0, keep).forEach(({ s }) => add(s, `database ${group[0].dbId} no longer exists: newest ${policy.keepDeletedDatabases} kept`));
    }
    for (const [period, bucket] of BUCKETS) {
      const n = policy[bucket];
      if (n <= 0) continue;
      const firstOf = new Map<string, RetentionSnapshot>(); // insertion order: newest period first
      for (const { s, ms } of eligible) firstOf.set(periodsOf(ms, policy.timeZone)[period], s);
      let taken = 0;
      for (const [key, s] of firstOf) {
        if (taken++ >= n) break;
        add(s, `${bucket} ${key}`);
      }
    }
  }
  const expired = policy
    ? `not in any retention bucket (daily ${policy.daily}, weekly ${policy.weekly}, monthly ${policy.monthly}, yearly ${policy.yearly}, minimum ${policy.minimum}) and not protected`
    : '';
  return group.map((s) => {
    const why = reasons.get(s)!;
    return why.length ? { snapshot: s, action: 'keep', reasons: why } : { snapshot: s, action: 'delete', reasons: [expired] };
  });
}

/** Plans every snapshot; groups are (region, database), each region with its own policy. */
export function planRetention(
  snapshots: RetentionSnapshot[],
  policies: Record<string, RetentionPolicy>,
  now: Date,
  context: RetentionContext,
): RetentionDecision[] {
  const groups = new Map<string, RetentionSnapshot[]>();
  for (const s of snapshots) {
    const key = `${s.region}\u0000${s.dbId}`;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  const out: RetentionDecision[] = [];
  for (const group of groups.values()) out.push(...planGroup(group, policies[group[0].region], now, context));
  return out;
}
