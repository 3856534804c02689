// Every planned database's outcome, from the drill's Distributed Map results in the work bucket: a
// child that succeeded returned its BranchOutcome (ReportVerification's output); a child that failed
// (its report step kept failing, or it timed out) is that database failed with the child's error;
// a planned database with neither (the Map itself failed) failed without an outcome.
import { z } from 'zod';
import { readMapResults, type RunDataStore } from '../core/run-data.js';
import type { BranchOutcome } from './drill-report.js';

const outcomeSchema = z.object({
  db: z.string(),
  passed: z.boolean(),
  failures: z.array(z.string()),
  reportKey: z.string(),
  restoreSeconds: z.number().optional(),
  cleanup: z.string(),
  warnings: z.array(z.string()).optional(),
});
const childInputSchema = z.object({ item: z.object({ db: z.string() }) });
const planSchema = z.array(z.object({ db: z.string() }));

/** Longest error text kept per database (the summary quotes the first failures only). */
const MAX_ERROR_CHARS = 1_000;

/** The Map's state result: its ResultWriter details, or the error it failed with (Catch), or null when it did not run. */
export type DrillRun = { manifestKey: string } | { Error?: string; Cause?: string } | null;

export async function readDrillOutcomes(store: RunDataStore, runData: { bucket: string; planKey: string }, drillRun: DrillRun): Promise<{ outcomes: BranchOutcome[]; attempted: string[] }> {
  const planned = planSchema.parse(await store.getJson(runData.bucket, runData.planKey)).map((i) => i.db);
  const outcomes = new Map<string, BranchOutcome>();
  if (drillRun && 'manifestKey' in drillRun) {
    const { outputs, failedChildren } = await readMapResults(store, runData.bucket, drillRun.manifestKey);
    for (const output of outputs) {
      const outcome = outcomeSchema.parse(output);
      outcomes.set(outcome.db, outcome);
    }
    for (const child of failedChildren) {
      const input = childInputSchema.safeParse(child.input);
      if (!input.success) continue;
      const reason = `the drill's execution ${child.status}: ${child.error ?? 'unknown error'}: ${child.cause ?? ''}`.slice(0, MAX_ERROR_CHARS);
      outcomes.set(input.data.item.db, { db: input.data.item.db, passed: false, failures: [reason], reportKey: '', cleanup: 'unknown (see the execution)' });
    }
  }
  const attempted = [...outcomes.keys()];
  const mapError = drillRun && !('manifestKey' in drillRun) ? `${drillRun.Error ?? 'unknown error'}: ${drillRun.Cause ?? ''}`.slice(0, MAX_ERROR_CHARS) : 'no outcome recorded';
  for (const db of planned) {
    if (!outcomes.has(db)) outcomes.set(db, { db, passed: false, failures: [`not drilled: the drill Map failed: ${mapError}`], reportKey: '', cleanup: 'unknown' });
  }
  return { outcomes: [...outcomes.values()], attempted };
}
