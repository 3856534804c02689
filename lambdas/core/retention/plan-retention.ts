// GFS retention planning: for every snapshot, keep or delete and why. Pure and SDK-free.
//
// A snapshot represents a period (day, ISO week, month, year in the policy's time zone) when it is
// the FIRST (oldest) available rds-dr snapshot of its database in that period. First, not newest,
// so a period's representative is stable: a monthly keeper chosen on the 1st stays the keeper as
// the month's later snapshots arrive and expire, and re-planning what a plan keeps keeps all of it.
// The newest N periods *that have a snapshot* are kept (count-based, not "the last N calendar
// days"), so when backups stop, the old ones are not aged out underneath you.
import { periodsOf, type PeriodKind, type Periods } from './periods.js';

export interface RetentionSnapshot {
  id: string;
  arn: string;
  region: string;
  kind: 'instance' | 'cluster';
  /** The source database. */
  dbId: string;
  /** When the data was captured (ISO). */
  createdAt: string;
  /** Only 'available' snapshots represent periods or can be deleted. */
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
  /** The newest this-many available snapshots are kept whatever their age (the newest one always is). */
  minimum: number;
  /** IANA zone the days, weeks, months and years are computed in. */
  timeZone: string;
  /**
   * A database that no longer exists: 'all' keeps every snapshot; a number keeps only its newest N
   * (and `minimum`) and lets the older ones go, buckets or not — otherwise, as periods are counted
   * only where snapshots exist, a decommissioned database's GFS set would be kept forever.
   */
  keepDeletedDatabases: number | 'all';
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  daily: 30,
  weekly: 12,
  monthly: 12,
  yearly: 0,
  minimum: 3,
  timeZone: 'UTC',
  keepDeletedDatabases: 'all',
};

export interface RetentionContext {
  /** Identifiers of the databases that still exist. */
  existingDatabases: ReadonlySet<string>;
}

export interface RetentionDecision {
  snapshot: RetentionSnapshot;
  action: 'keep' | 'delete';
  /** Every reason it is kept (buckets, protections), or why it expired. Never empty. */
  reasons: string[];
}

const BUCKETS: readonly [PeriodKind, 'daily' | 'weekly' | 'monthly' | 'yearly'][] = [
  ['day', 'daily'],
  ['week', 'weekly'],
  ['month', 'monthly'],
  ['year', 'yearly'],
];

export const REASON = {
  newest: 'newest available: the last good copy is always kept',
  noPolicy: (region: string) => `no retention policy for ${region}: kept`,
  unmanaged: 'not made by rds-dr (no rds-dr:managed=true, or not named rdsdr-*): never deleted',
  notAvailable: (status: string) => `status "${status}": reported, not deleted`,
  legalHold: 'legal hold (rds-dr:legal-hold)',
  inUse: 'in use by a restore drill',
  unreadableTime: 'unreadable capture time: kept',
  future: 'dated in the future (clock skew?): kept',
} as const;

interface Candidate {
  decision: RetentionDecision;
  ms: number;
}

/** Newest first; equal times by id, so the plan does not depend on the input order. */
const newestFirst = (a: Candidate, b: Candidate) =>
  b.ms - a.ms || (a.decision.snapshot.id < b.decision.snapshot.id ? -1 : a.decision.snapshot.id > b.decision.snapshot.id ? 1 : 0);

/** The protections that hold whatever the policy; returns the snapshots that may represent periods. */
function protect(group: RetentionDecision[], nowMs: number): Candidate[] {
  const candidates: Candidate[] = [];
  for (const d of group) {
    const s = d.snapshot;
    const ms = Date.parse(s.createdAt);
    if (!s.managed) d.reasons.push(REASON.unmanaged);
    if (s.status !== 'available') d.reasons.push(REASON.notAvailable(s.status));
    if (s.legalHold) d.reasons.push(REASON.legalHold);
    if (s.inUseByVerification) d.reasons.push(REASON.inUse);
    if (Number.isNaN(ms)) d.reasons.push(REASON.unreadableTime);
    else if (ms > nowMs) d.reasons.push(REASON.future);
    // A future-dated snapshot is kept but proves nothing: it must not displace the real newest
    // snapshot as "the last good copy", nor represent a period (it would push a real one out).
    else if (s.managed && s.status === 'available') candidates.push({ decision: d, ms });
  }
  return candidates.sort(newestFirst);
}

/** Adds "<bucket> <period>" to the first snapshot of each of the newest N periods. */
function keepBuckets(candidates: Candidate[], policy: RetentionPolicy): void {
  let periods: Periods[] | undefined; // looked up once per snapshot, and only if a bucket is on
  for (const [kind, bucket] of BUCKETS) {
    const n = policy[bucket];
    if (!(n > 0)) continue;
    periods ??= candidates.map((c) => periodsOf(c.ms, policy.timeZone));
    // Newest first, so the Map's insertion order is newest period first and the last write for a
    // period is its oldest snapshot.
    const firstOf = new Map<string, RetentionDecision>();
    for (let i = 0; i < candidates.length; i++) firstOf.set(periods[i][kind], candidates[i].decision);
    let taken = 0;
    for (const [period, d] of firstOf) {
      if (taken++ >= n) break;
      d.reasons.push(`${bucket} ${period}`);
    }
  }
}

function planGroup(group: RetentionDecision[], policy: RetentionPolicy | undefined, nowMs: number, context: RetentionContext): void {
  const candidates = protect(group, nowMs);
  const { region, dbId } = group[0].snapshot;
  if (!policy) {
    for (const d of group) d.reasons.push(REASON.noPolicy(region));
    return;
  }
  if (candidates.length) candidates[0].decision.reasons.push(REASON.newest);
  const minimum = Math.max(1, Math.floor(policy.minimum) || 0);
  for (const c of candidates.slice(0, minimum)) c.decision.reasons.push(`minimum count (${policy.minimum})`);

  let expired = `not in any retention bucket (daily ${policy.daily}, weekly ${policy.weekly}, monthly ${policy.monthly}, yearly ${policy.yearly}, minimum ${policy.minimum}) and not protected`;
  const keepGone = policy.keepDeletedDatabases;
  if (context.existingDatabases.has(dbId)) keepBuckets(candidates, policy);
  else if (keepGone === 'all') {
    for (const c of candidates) c.decision.reasons.push(`database ${dbId} no longer exists: all its snapshots are kept`);
  } else {
    for (const c of candidates.slice(0, keepGone)) c.decision.reasons.push(`database ${dbId} no longer exists: one of its newest ${keepGone}`);
    expired = `database ${dbId} no longer exists and this is older than its newest ${keepGone} (keepDeletedDatabases)`;
  }
  for (const d of group) {
    if (d.reasons.length) continue;
    d.action = 'delete';
    d.reasons.push(expired);
  }
}

/**
 * Plans every snapshot, in input order. Groups are (region, database); each region has its own
 * policy, and a region without one keeps everything.
 */
export function planRetention(
  snapshots: readonly RetentionSnapshot[],
  policies: Readonly<Record<string, RetentionPolicy>>,
  now: Date,
  context: RetentionContext,
): RetentionDecision[] {
  const decisions: RetentionDecision[] = snapshots.map((snapshot) => ({ snapshot, action: 'keep', reasons: [] }));
  const groups = new Map<string, RetentionDecision[]>();
  for (const d of decisions) {
    const key = `${d.snapshot.region}\u0000${d.snapshot.dbId}`;
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
  }
  const nowMs = now.getTime();
  for (const group of groups.values()) {
    const region = group[0].snapshot.region;
    planGroup(group, Object.hasOwn(policies, region) ? policies[region] : undefined, nowMs, context);
  }
  return decisions;
}
