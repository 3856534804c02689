// Returning the active-region record (core/active-region.ts) to the primary region: the last change
// of a failback. Idempotent: a record that already names the primary region is left alone.
import type { AnyFailbackPlan } from './failback-plan.js';
import { formatActiveRegionRecord, parseActiveRegionRecord } from '../core/active-region.js';
import type { ReplicaGateway } from '../core/replicas.js';
import { timelineStep, type StepResult } from '../core/timeline.js';

export interface ActiveRegionResult extends StepResult {
  parameter: string;
  before?: string;
  value?: string;
}

/** The region a record names; unset, or garbled (then overwritten: the failback knows where the writer is). */
function regionIn(value: string | undefined, parameter: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return parseActiveRegionRecord(value, parameter).region;
  } catch {
    return undefined;
  }
}

export async function recordActiveRegion(plan: AnyFailbackPlan, gateway: ReplicaGateway, now: () => Date): Promise<ActiveRegionResult> {
  const startedAt = now();
  const parameter = plan.activeRegionParameter;
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string) => timelineStep('active-region', startedAt, now(), outcome, detail);
  const before = await gateway.readParameter(plan.drRegion, parameter);
  if (regionIn(before, parameter) === plan.primaryRegion) return { parameter, before, step: step('already-done', `${parameter} (${plan.drRegion}) already names ${plan.primaryRegion}`) };
  const value = formatActiveRegionRecord({ region: plan.primaryRegion, since: startedAt.toISOString(), by: plan.executionArn });
  const what = `${parameter} in ${plan.drRegion}: ${regionIn(before, parameter) ?? 'unset'} -> ${plan.primaryRegion}`;
  if (plan.dryRun) return { parameter, before, step: step('would-do', `dry run: would set ${what}`) };
  await gateway.putParameter(plan.drRegion, parameter, value, `region of ${plan.db}'s writer (rds-dr failover / failback)`);
  return { parameter, before, value, step: step('done', what) };
}
