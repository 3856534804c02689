// What the backup workflow's states pass along: the plan's pointer and counts, never its databases
// (those are the Distributed Map's item source in S3), so the state stays the same size at any fleet.
import type { RunDataRef, RunDataStore } from '../core/run-data.js';
import type { UnprotectableDatabase } from '../core/selection.js';
import type { BackupPlan } from './backup-plan.js';

/** Names of unprotectable databases a state carries at most; the rest are in `${prefix}missing.json`. */
export const MISSING_IN_STATE = 50;

export interface BackupRun extends Omit<BackupPlan, 'databases' | 'missing'> {
  runData: RunDataRef;
  counts: { databases: number; instances: number; clusters: number; missing: number };
  /** The first MISSING_IN_STATE unprotectable databases. */
  missing: UnprotectableDatabase[];
}

export async function startBackupRun(plan: BackupPlan, runData: RunDataRef, store: RunDataStore): Promise<BackupRun> {
  if (!runData.bucket) throw new Error('settings.workBucket is not set: the backup workflow keeps its plan in the work bucket (lib/platform/work-bucket.ts)');
  const { databases, missing, ...rest } = plan;
  await Promise.all([store.putJson(runData.bucket, runData.planKey, databases), store.putJson(runData.bucket, missingKey(runData), missing)]);
  return {
    ...rest,
    runData,
    counts: {
      databases: databases.length,
      instances: databases.filter((d) => d.kind === 'instance').length,
      clusters: databases.filter((d) => d.kind === 'cluster').length,
      missing: missing.length,
    },
    missing: missing.slice(0, MISSING_IN_STATE),
  };
}

export const missingKey = (runData: RunDataRef) => `${runData.prefix}missing.json`;
