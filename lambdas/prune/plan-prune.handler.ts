import { logger, withLogKeys } from '../aws/logger.js';
import { reportsFromSettings } from '../aws/reports.js';
import { readSettings } from '../core/settings.js';
import { readInventory } from './inventory-reader.js';
import { buildPrunePlan, type PrunePlanOutput } from './prune-plan.js';
import { parsePruneRequest } from './prune-request.js';
import { planInventory } from './retention-inventory.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';

const settings = readSettings(['policies', 'pruning']);
const reports = reportsFromSettings(settings);

/** First state of the prune workflow: validate, inventory both regions, plan, guard, save the full plan. */
export async function handler(event: WorkflowStartEvent): Promise<PrunePlanOutput> {
  withLogKeys({ executionArn: event.executionArn });
  const request = parsePruneRequest(event.input);
  const inventory = await readInventory(settings.primaryRegion, settings.drRegion);
  const retention = Object.fromEntries(Object.entries(settings.policies).map(([name, p]) => [name, p.retention]));
  const now = new Date();
  const decisions = planInventory(inventory, retention, { primary: settings.primaryRegion, dr: settings.drRegion }, now);
  const { output, document } = buildPrunePlan({ decisions, request, settings, executionArn: event.executionArn, executionStartTime: event.executionStartTime, now });
  if (reports) await reports.put(output.planKey, document);
  logger.info('prune planned', { dryRun: request.dryRun, deletions: output.plannedDeletions, guardProblems: output.guardProblems, quota: output.quota, planKey: output.planKey });
  return output;
}
