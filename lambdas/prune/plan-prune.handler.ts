import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { reportsFromSettings } from '../aws/reports.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import { readSettings } from '../core/settings.js';
import { readInventory } from './inventory-reader.js';
import { buildPrunePlan, type PrunePlanOutput } from './prune-plan.js';
import { parsePruneRequest } from './prune-request.js';
import { planInventory } from './retention-inventory.js';
import { pruneRoute } from './prune-route.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';

const settings = readSettings(['policies', 'pruning']);
const reports = reportsFromSettings(settings);
const route = pruneRoute(settings);

/** First state of the prune workflow: validate, inventory (both regions, or the DR deployment's own), plan, guard, save the plan and the deletions. */
export async function handler(event: WorkflowStartEvent): Promise<PrunePlanOutput> {
  withLogKeys({ executionArn: event.executionArn });
  const request = parsePruneRequest(event.input);
  if (!settings.workBucket) throw new Error('settings.workBucket is not set: the prune keeps its deletions in the work bucket (lib/prune)');
  const inventory = await readInventory(route.role, settings.primaryRegion, settings.drRegion);
  const retention = Object.fromEntries(Object.entries(settings.policies).map(([name, p]) => [name, p.retention]));
  const now = new Date();
  const decisions = planInventory(inventory, retention, { primary: settings.primaryRegion, dr: settings.drRegion }, now, route.role);
  const { output, document, deletions } = buildPrunePlan({
    decisions,
    request,
    settings,
    regions: route.regions,
    workBucket: settings.workBucket,
    executionArn: event.executionArn,
    executionStartTime: event.executionStartTime,
    now,
  });
  // The Map's item source: written even when empty, so the run data always says what was to be deleted.
  await new S3RunDataStore(awsClients.s3(route.homeRegion)).putJson(output.runData.bucket, output.runData.planKey, deletions);
  if (reports) await reports.put(output.planReportKey, document);
  logger.info('prune planned', {
    role: route.role,
    regions: route.regions,
    dryRun: request.dryRun,
    deletions: output.plannedDeletions,
    guardProblems: output.guardProblems,
    quota: output.quota,
    limits: output.limits,
    planReportKey: output.planReportKey,
    runData: output.runData.prefix,
  });
  return output;
}
