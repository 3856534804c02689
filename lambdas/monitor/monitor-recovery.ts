// One run of the RPO monitor: read every protected database's recovery facts, publish the ages this
// deployment owns (series-owner.ts) in its own region, and judge them against the objectives for a
// summary a person can read at 1,000 databases.
import { putMetrics } from '../aws/metrics.js';
import type { SettingsWith } from '../core/settings.js';
import type { DrillVerdicts } from './drill-verdicts.js';
import { readDrRegionFacts } from './dr-recovery-facts.js';
import { recoveryMetrics, type DatabaseRecoveryFacts, type MetricPoint } from './recovery-ages.js';
import { readRegionalRecoveryFacts, type UnreadRegion } from './recovery-facts.js';
import { judgeRecovery, problemsOf, strictestObjectives, summarizeRecovery, worstFirst, type RecoverySummary } from './recovery-judgement.js';
import { ownedMetrics, seriesOf, type MonitorRole } from './series-owner.js';

/** The summary names at most this many databases (worst first); the metrics and `rds-dr status --all` have the rest. */
export const MAX_NAMED_BREACHES = 50;

export interface MonitorRun {
  role: MonitorRole;
  databases: number;
  /** The points this run published (in its own region's CloudWatch). */
  metrics: MetricPoint[];
  summary: RecoverySummary;
  /** The worst breaching databases, at most MAX_NAMED_BREACHES, each with what it misses. */
  worst: { db: string; problems: string[] }[];
  /** The other region, when this run could not read it: what it would have told is left out, never guessed. */
  unread?: Omit<UnreadRegion, 'cause'>;
  /** DR deployment: active-region records it could not parse (their databases count as active in the primary region). */
  garbledRecords?: { name: string; error: string }[];
}

type Regions = { primary: string; dr: string };

/**
 * The primary deployment: the whole picture as `rds-dr status` reads it (both regions), of which it
 * publishes its own series. It cannot run without its own region. When the DR region cannot be read,
 * it publishes only the live series: without the DR region's copies and drill reports it cannot tell
 * which copy series are its own, nor any drill verdict, and a guess would be a false value.
 */
async function primaryRun(settings: SettingsWith<'policies'>, drills: DrillVerdicts | undefined, now: Date, regions: Regions) {
  const read = await readRegionalRecoveryFacts(settings, { drills });
  const primaryUnread = read.unread.find((u) => u.region === regions.primary);
  if (primaryUnread) throw primaryUnread.cause;
  const unread = read.unread.find((u) => u.region === regions.dr);
  const all = recoveryMetrics(read.facts, regions, now);
  const owned = ownedMetrics('primary', read.facts, all, regions);
  const published = unread ? owned.filter((m) => seriesOf(m, regions) === 'live') : owned;
  // Judged on everything it saw (the same view as `rds-dr status`), or only on what it could see.
  return { facts: read.facts, published, judged: unread ? published : all, unread };
}

/** The DR deployment: only what the DR region holds (dr-recovery-facts.ts); all of it is its own. */
async function drRun(settings: SettingsWith<'policies'>, now: Date, regions: Regions) {
  const read = await readDrRegionFacts(settings);
  const published = ownedMetrics('dr', read.facts, recoveryMetrics(read.facts, regions, now), regions);
  // For the summary only: it cannot see the primary's snapshots, but a database with a copy was snapshotted.
  const facts = read.facts.map((f) => (f.failedOver ? f : { ...f, newestSnapshotAt: f.newestSnapshotAt ?? f.newestCopyAt }));
  return { facts, published, judged: published, unread: read.primaryUnread, garbledRecords: read.garbledRecords };
}

export async function monitorRecovery(
  settings: SettingsWith<'policies'>,
  drills: DrillVerdicts | undefined,
  now: Date,
  role: MonitorRole = settings.monitorRole ?? 'primary',
): Promise<MonitorRun> {
  const regions = { primary: settings.primaryRegion, dr: settings.drRegion };
  const run: { facts: DatabaseRecoveryFacts[]; published: MetricPoint[]; judged: MetricPoint[]; unread?: UnreadRegion; garbledRecords?: MonitorRun['garbledRecords'] } =
    role === 'dr' ? await drRun(settings, now, regions) : await primaryRun(settings, drills, now, regions);
  // Each deployment writes to its own region: the alarms on its series are there, and so they page
  // through that region's topics while the other region is down.
  await putMetrics(
    role === 'dr' ? settings.drRegion : settings.primaryRegion,
    run.published.map((m) => ({ name: m.name, dimensions: { ...(m.db ? { Database: m.db } : {}), Region: m.region }, value: m.value, unit: m.unit, timestamp: now })),
  );
  const objectives = strictestObjectives(Object.values(settings.policies).flatMap((p) => (p.objectives ? [p.objectives] : [])));
  const judgements = judgeRecovery(run.facts, run.judged, regions, objectives);
  const worst = worstFirst(judgements)
    .filter((j) => j.breached)
    .slice(0, MAX_NAMED_BREACHES)
    .map((j) => ({ db: j.db, problems: problemsOf(j, regions) }));
  const unread = run.unread && { region: run.unread.region, error: run.unread.error, ...(run.unread.attempts !== undefined && { attempts: run.unread.attempts }) };
  return { role, databases: run.facts.length, metrics: run.published, summary: summarizeRecovery(judgements), worst, ...(unread && { unread }), ...(run.garbledRecords?.length && { garbledRecords: run.garbledRecords }) };
}
