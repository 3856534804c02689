import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { describeDatabase, renameDatabase, statusOf } from '../aws/rds-databases.js';
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
      return d && { status: statusOf(d), tags: tagMap(d.TagList) };
    },
    rename: (kind, from, to) => renameDatabase(rds, kind, from, to),
  };
  // Destructive for applications (connections drop), so who / what / why is logged before the call.
  const result = await renameCutoverTurn(plan, event.poll ?? {}, gateway, { destructive: (entry) => logger.warn('DESTRUCTIVE: rename for cutover', entry) }, new Date());
  logger.info('rename cutover', { complete: result.complete, detail: result.detail });
  return result;
}
