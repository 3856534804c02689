import { awsClients } from '../aws/clients.js';
import { logger, withLogKeys } from '../aws/logger.js';
import type { PollState } from '../core/wait-budget.js';
import { RdsRestoreGateway } from '../aws/rds-restore-gateway.js';
import { pollTarget, startRestore } from './restore-target.js';
import { type RestorePlan } from '../core/restore-plan.js';

export type RestoreDatabaseEvent =
  | { action: 'start'; plan: RestorePlan }
  | { action: 'status'; plan: RestorePlan; phase: 'restore' | 'credentials'; poll?: PollState };

const now = () => new Date();

/** Starts the incident restore (idempotent), or polls the restored target. */
export async function handler(event: RestoreDatabaseEvent) {
  const { plan } = event;
  withLogKeys({ executionArn: plan.executionArn, db: plan.db, restoreId: plan.targetId, snapshotId: plan.snapshotId });
  const gateway = new RdsRestoreGateway(awsClients.rds(plan.region));
  if (event.action === 'start') {
    const result = await startRestore(plan, gateway, now);
    logger.info('restore started', { started: result.started, detail: result.step.detail, reason: plan.reason });
    return result;
  }
  const result = await pollTarget(plan, event.phase, event.poll ?? {}, gateway, now);
  logger.info('restored target polled', { phase: event.phase, status: result.status, available: result.available });
  return result;
}
