import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { addTags, applyProtectionSettings, arnOf, describeDatabase, protectionSettingsOf, renameDatabase, statusOf } from '../aws/rds-databases.js';
import { tagMap } from '../aws/rds-tags.js';
import type { RestorePlan } from '../core/restore-plan.js';
import type { PollState } from '../core/wait-budget.js';
import { renameCutoverTurn, type RenameCutoverResult, type RenameGateway } from './rename-cutover.js';

export interface RenameCutoverEvent {
  plan: RestorePlan;
  poll?: PollState;
}

/** One move of the rename swap (see rename-plan.ts); the workflow loops until `complete`. */
export async function handler(event: RenameCutoverEvent): Promise<RenameCutoverResult> {
  const { plan } = event;
  withLogKeys({ executionArn: plan.executionArn, db: plan.db, restoreId: plan.targetId });
  const rds = awsClients.rds(plan.region);
  const gateway: RenameGateway = {
    observe: async (kind, id) => {
      const d = await describeDatabase(rds, kind, id);
      return d && { status: statusOf(d), tags: tagMap(d.TagList), arn: arnOf(d), settings: protectionSettingsOf(d) };
    },
    rename: (kind, from, to) => renameDatabase(rds, kind, from, to),
    protect: async (kind, id, arn, changes) => {
      if (Object.keys(changes.settings).length) await applyProtectionSettings(rds, kind, id, changes.settings);
      if (Object.keys(changes.tags).length) await addTags(rds, arn, changes.tags);
    },
    addTags: (arn, tags) => addTags(rds, arn, tags),
  };
  // Destructive for applications (connections drop), so who / what / why is logged before the call.
  const result = await renameCutoverTurn(plan, event.poll ?? {}, gateway, { destructive: (entry) => logger.warn('DESTRUCTIVE: rename for cutover', entry), change: (entry) => logger.warn('cutover: protection moves to the restored database', entry) }, new Date());
  logger.info('rename cutover', { complete: result.complete, detail: result.detail });
  return result;
}
