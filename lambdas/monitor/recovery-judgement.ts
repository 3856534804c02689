// Which protected databases meet their objectives, and how far the others miss them. The monitor's
// summary and `rds-dr status` judge alike, from the same facts and ages. Pure.
import { formatAge } from '../core/format-age.js';
import type { DatabaseRecoveryFacts, MetricPoint } from './recovery-ages.js';

export interface RecoveryObjectives {
  rpoPrimaryMinutes: number;
  rpoDrMinutes: number;
  rtoMinutes: number;
  verificationMaxAgeDays: number;
}

/**
 * The strictest of each objective: metrics carry no policy, so a database is held to the tightest
 * promise the deployment makes (alarms, dashboard, monitor summary and `rds-dr status` alike).
 */
export function strictestObjectives(all: RecoveryObjectives[]): RecoveryObjectives {
  const min = (pick: (o: RecoveryObjectives) => number) => Math.min(...all.map(pick));
  return {
    rpoPrimaryMinutes: min((o) => o.rpoPrimaryMinutes),
    rpoDrMinutes: min((o) => o.rpoDrMinutes),
    rtoMinutes: min((o) => o.rtoMinutes),
    verificationMaxAgeDays: min((o) => o.verificationMaxAgeDays),
  };
}

export interface AgeCheck {
  ageSeconds?: number;
  objectiveSeconds: number;
  breached: boolean;
}

export interface DrillStanding {
  verdict: 'passed' | 'failed' | 'never';
  ageSeconds: number;
  maxAgeSeconds: number;
  stale: boolean;
  restoreSeconds?: number;
  rtoSeconds: number;
  rtoExceeded: boolean;
  /** Failed, never drilled, or stale: the drill objective is a recent passing drill. */
  breached: boolean;
}

export interface RecoveryJudgement {
  db: string;
  rpoPrimary: AgeCheck;
  rpoDr: AgeCheck;
  lastSnapshotAgeSeconds?: number;
  lastCopyAgeSeconds?: number;
  /** No rds-dr snapshot in the primary region (automated backups may still give a recovery point). */
  neverSnapshotted: boolean;
  /** Snapshotted, but no rds-dr copy in the DR region. */
  drCopyMissing: boolean;
  /** Undefined when the database is not drilled. */
  drill?: DrillStanding;
  breached: boolean;
}

type Regions = { primary: string; dr: string };

/** Each database's ages (from recoveryMetrics) against the objectives. */
export function judgeRecovery(facts: DatabaseRecoveryFacts[], metrics: MetricPoint[], regions: Regions, objectives: RecoveryObjectives): RecoveryJudgement[] {
  // Indexed once: 1,000 databases have ~9,000 points, too many to search per cell.
  const values = new Map<string, number>();
  for (const m of metrics) values.set(`${m.db}|${m.name}|${m.region}`, m.value);
  return facts.map((f) => {
    const value = (name: string, region: string) => values.get(`${f.db}|${name}|${region}`);
    const check = (region: string, objectiveSeconds: number): AgeCheck => {
      const ageSeconds = value('RecoveryPointAgeSeconds', region);
      return { ageSeconds, objectiveSeconds, breached: ageSeconds !== undefined && ageSeconds > objectiveSeconds };
    };
    const rpoPrimary = check(regions.primary, objectives.rpoPrimaryMinutes * 60);
    const rpoDr = check(regions.dr, objectives.rpoDrMinutes * 60);
    let drill: DrillStanding | undefined;
    if (f.drilled) {
      const ageSeconds = value('LastVerificationAgeSeconds', regions.dr) ?? Number.POSITIVE_INFINITY;
      const verdict = !f.lastVerification ? 'never' : f.lastVerification.passed ? 'passed' : 'failed';
      const maxAgeSeconds = objectives.verificationMaxAgeDays * 86_400;
      const stale = ageSeconds > maxAgeSeconds;
      const restoreSeconds = f.lastVerification?.restoreSeconds;
      const rtoSeconds = objectives.rtoMinutes * 60;
      const rtoExceeded = restoreSeconds !== undefined && restoreSeconds > rtoSeconds;
      drill = { verdict, ageSeconds, maxAgeSeconds, stale, restoreSeconds, rtoSeconds, rtoExceeded, breached: verdict !== 'passed' || stale };
    }
    return {
      db: f.db,
      rpoPrimary,
      rpoDr,
      lastSnapshotAgeSeconds: value('LastSnapshotAgeSeconds', regions.primary),
      lastCopyAgeSeconds: value('LastCopyAgeSeconds', regions.dr),
      neverSnapshotted: f.newestSnapshotAt === undefined,
      drCopyMissing: f.newestSnapshotAt !== undefined && f.newestCopyAt === undefined,
      drill,
      breached: rpoPrimary.breached || rpoDr.breached || (drill?.breached ?? false) || (drill?.rtoExceeded ?? false),
    };
  });
}

/**
 * How bad a database's standing is, for sorting worst first: a missed RPO (data that would be lost)
 * before a drill problem, each by how many times its objective the age is; then by name.
 */
function badness(j: RecoveryJudgement): [tier: number, overrun: number] {
  const ratio = (c: AgeCheck) => (c.breached ? (c.ageSeconds ?? 0) / c.objectiveSeconds : 0);
  if (j.rpoPrimary.breached || j.rpoDr.breached) return [0, Math.max(ratio(j.rpoPrimary), ratio(j.rpoDr))];
  if (j.drill && j.drill.verdict !== 'passed') return [1, Number.POSITIVE_INFINITY];
  if (j.drill?.breached || j.drill?.rtoExceeded) return [2, 0];
  return [3, 0];
}

/** Breaching databases first, worst first; then the others by name. */
export function worstFirst(judgements: RecoveryJudgement[]): RecoveryJudgement[] {
  const keyed = judgements.map((j) => ({ j, bad: badness(j) }));
  keyed.sort((a, b) => a.bad[0] - b.bad[0] || (b.bad[1] === a.bad[1] ? 0 : b.bad[1] > a.bad[1] ? 1 : -1) || a.j.db.localeCompare(b.j.db));
  return keyed.map((k) => k.j);
}

/** What a database misses, in words: "RPO us-west-2 2d > 25h", "last drill FAILED 3d ago", "RTO 6h > 4h". */
export function problemsOf(j: RecoveryJudgement, regions: Regions): string[] {
  const out: string[] = [];
  const rpo = (region: string, c: AgeCheck) => c.breached && out.push(`RPO ${region} ${formatAge(c.ageSeconds ?? 0)} > ${formatAge(c.objectiveSeconds)}`);
  rpo(regions.primary, j.rpoPrimary);
  rpo(regions.dr, j.rpoDr);
  const d = j.drill;
  if (d?.verdict === 'never') out.push('never drilled');
  else if (d?.verdict === 'failed') out.push(`last drill FAILED ${formatAge(d.ageSeconds)} ago`);
  else if (d?.stale) out.push(`last drill ${formatAge(d.ageSeconds)} ago > ${formatAge(d.maxAgeSeconds)}`);
  if (d?.rtoExceeded) out.push(`RTO ${formatAge(Math.round(d.restoreSeconds ?? 0))} > ${formatAge(d.rtoSeconds)}`);
  return out;
}

export interface RecoverySummary {
  databases: number;
  withinObjectives: number;
  breaching: number;
  rpoPrimaryBreached: number;
  rpoDrBreached: number;
  neverSnapshotted: number;
  drCopyMissing: number;
  /** Only when some database is drilled. */
  drills?: { drilled: number; passed: number; failed: number; never: number; stale: number; rtoExceeded: number };
}

export function summarizeRecovery(judgements: RecoveryJudgement[]): RecoverySummary {
  const count = (test: (j: RecoveryJudgement) => boolean) => judgements.filter(test).length;
  const drilled = judgements.flatMap((j) => (j.drill ? [j.drill] : []));
  const drillCount = (test: (d: DrillStanding) => boolean) => drilled.filter(test).length;
  return {
    databases: judgements.length,
    withinObjectives: count((j) => !j.breached),
    breaching: count((j) => j.breached),
    rpoPrimaryBreached: count((j) => j.rpoPrimary.breached),
    rpoDrBreached: count((j) => j.rpoDr.breached),
    neverSnapshotted: count((j) => j.neverSnapshotted),
    drCopyMissing: count((j) => j.drCopyMissing),
    drills: drilled.length
      ? {
          drilled: drilled.length,
          passed: drillCount((d) => d.verdict === 'passed'),
          failed: drillCount((d) => d.verdict === 'failed'),
          never: drillCount((d) => d.verdict === 'never'),
          stale: drillCount((d) => d.verdict !== 'never' && d.stale),
          rtoExceeded: drillCount((d) => d.rtoExceeded),
        }
      : undefined,
  };
}
