import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { checkDeletionGuard } from './plan-guard.js';
import { readInventory } from './inventory-reader.js';
import { parsePruneRequest } from './prune-request.js';
import { planInventory } from './retention-inventory.js';

const settings = readSettings();
const s3 = new S3Client({ region: settings.drRegion, maxAttempts: 5 });

export interface PlannedDeletion {
  region: string;
  kind: 'instance' | 'cluster';
  snapshotId: string;
}

export interface PrunePlanOutput {
  dryRun: boolean;
  guardTripped: boolean;
  guardProblems: string[];
  planKey: string;
  /** What the Map deletes: empty in a dry run or when the guard tripped (the full plan is in S3). */
  deletions: PlannedDeletion[];
  plannedDeletions: number;
  outcomes: never[];
  quota: Record<string, { manual: number; managed: number; plannedDeletions: number; quota: number; daysUntilFull?: number }>;
  limits: { maxConcurrency: number };
}

/** First state of the prune workflow: validate, inventory both regions, plan, guard, save the full plan. */
export async function handler(event: { input: unknown; executionArn: string; executionStartTime: string }): Promise<PrunePlanOutput> {
  withLogKeys({ executionArn: event.executionArn });
  const request = parsePruneRequest(event.input);
  const inventory = await readInventory(settings.primaryRegion, settings.drRegion);
  const retention = Object.fromEntries(Object.entries(settings.policies).map(([name, p]) => [name, p.retention]));
  const decisions = planInventory(inventory, retention, { primary: settings.primaryRegion, dr: settings.drRegion }, new Date());
  const day = event.executionStartTime.slice(0, 10).replace(/-/g, '/');
  const planKey = `reports/prune/${day}/${event.executionArn.split(':').pop()}-plan.json`;
  const guardProblems = checkDeletionGuard(decisions, { maxShareOfDatabase: settings.pruning.maxDeleteShare, maxTotal: settings.pruning.maxDeletesPerRun });
  const deletions: PlannedDeletion[] = decisions
    .filter((d) => d.action === 'delete')
    // Compact items (at most ~150 bytes, so 1,500 fit in a 256 KB payload); every decision's reasons are in the plan in S3.
    .map((d) => ({ region: d.snapshot.region, kind: d.snapshot.kind, snapshotId: d.snapshot.id }));

  const quota: PrunePlanOutput['quota'] = {};
  const now = Date.now();
  for (const region of [settings.primaryRegion, settings.drRegion]) {
    const here = decisions.filter((d) => d.snapshot.region === region);
    const plannedDeletions = here.filter((d) => d.action === 'delete').length;
    // Growth at a daily cadence: what the last week created per day, less what a run like this one removes.
    const createdPerDay = here.filter((d) => now - Date.parse(d.snapshot.createdAt) <= 7 * 86_400_000).length / 7;
    const growthPerDay = createdPerDay - (request.dryRun ? 0 : plannedDeletions);
    const left = settings.pruning.snapshotQuota - (here.length - (request.dryRun ? 0 : plannedDeletions));
    quota[region] = {
      manual: here.length,
      managed: here.filter((d) => d.snapshot.managed).length,
      plannedDeletions,
      quota: settings.pruning.snapshotQuota,
      daysUntilFull: growthPerDay > 0 ? Math.max(0, Math.floor(left / growthPerDay)) : undefined,
    };
  }
  if (settings.reportsBucket) {
    await s3.send(
      new PutObjectCommand({
        Bucket: settings.reportsBucket,
        Key: planKey,
        ContentType: 'application/json',
        Body: JSON.stringify({ executionArn: event.executionArn, dryRun: request.dryRun, guardProblems, decisions: decisions.map((d) => ({ ...d.snapshot, action: d.action, reasons: d.reasons })) }),
      }),
    );
  }
  logger.info('prune planned', { dryRun: request.dryRun, deletions: deletions.length, guardProblems, quota, planKey });
  return {
    dryRun: request.dryRun,
    guardTripped: guardProblems.length > 0,
    guardProblems,
    planKey,
    // Only what the Map must delete crosses the state machine; the full plan (every snapshot, decision
    // and reason) is in S3. A dry run or a tripped guard deletes nothing, so it carries nothing.
    deletions: request.dryRun || guardProblems.length > 0 ? [] : deletions,
    plannedDeletions: deletions.length,
    outcomes: [],
    quota,
    limits: { maxConcurrency: settings.pruning.maxConcurrency },
  };
}
