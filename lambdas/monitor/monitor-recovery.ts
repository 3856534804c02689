// One run of the RPO monitor: read every protected database's recovery facts, publish their ages,
// and judge them against the objectives for a summary a person can read at 1,000 databases.
import { putMetrics } from '../aws/metrics.js';
import type { SettingsWith } from '../core/settings.js';
import type { DrillVerdicts } from './drill-verdicts.js';
import { recoveryMetrics, type MetricPoint } from './recovery-ages.js';
import { readRecoveryFacts } from './recovery-facts.js';
import { judgeRecovery, problemsOf, strictestObjectives, summarizeRecovery, worstFirst, type RecoverySummary } from './recovery-judgement.js';

/** The summary names at most this many databases (worst first); the metrics and `rds-dr status --all` have the rest. */
export const MAX_NAMED_BREACHES = 50;

export interface MonitorRun {
  databases: number;
  metrics: MetricPoint[];
  summary: RecoverySummary;
  /** The worst breaching databases, at most MAX_NAMED_BREACHES, each with what it misses. */
  worst: { db: string; problems: string[] }[];
}

export async function monitorRecovery(settings: SettingsWith<'policies'>, drills: DrillVerdicts | undefined, now: Date): Promise<MonitorRun> {
  const regions = { primary: settings.primaryRegion, dr: settings.drRegion };
  const facts = await readRecoveryFacts(settings, drills);
  const metrics = recoveryMetrics(facts, regions, now);
  await putMetrics(
    settings.primaryRegion,
    metrics.map((m) => ({ name: m.name, dimensions: { ...(m.db ? { Database: m.db } : {}), Region: m.region }, value: m.value, unit: m.unit, timestamp: now })),
  );
  const objectives = strictestObjectives(Object.values(settings.policies).flatMap((p) => (p.objectives ? [p.objectives] : [])));
  const judgements = judgeRecovery(facts, metrics, regions, objectives);
  const worst = worstFirst(judgements)
    .filter((j) => j.breached)
    .slice(0, MAX_NAMED_BREACHES)
    .map((j) => ({ db: j.db, problems: problemsOf(j, regions) }));
  return { databases: facts.length, metrics, summary: summarizeRecovery(judgements), worst };
}
