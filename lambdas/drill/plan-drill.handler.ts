import { InvalidInputError } from '../core/errors.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { readSettings } from '../core/settings.js';
import { newestUsableSnapshot, parseVerifyRequest, verificationItem, type VerificationItem, undrillable } from './drill-plan.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';

const settings = readSettings(['verification']);

export type PlanDrillEvent = WorkflowStartEvent;

export interface VerificationPlan {
  policy: string;
  limits: { mapConcurrency: number };
  items: VerificationItem[];
  missing: { id: string; kind: string; reason: string }[];
}

/** First state of the drill: validate the request, then pick what to restore. */
export async function handler(event: PlanDrillEvent): Promise<VerificationPlan> {
  withLogKeys({ executionArn: event.executionArn });
  const verification = settings.verification;
  if (!verification) throw new InvalidInputError('this deployment has no restore drills configured (no policy has verify)');
  const accountId = event.executionArn.split(':')[4];
  const request = parseVerifyRequest(event.input, verification, accountId, event.executionStartTime);
  const dbs = request.mode === 'db' ? [request.db] : Object.keys(verification.policies[request.policy].databases);
  const catalog = await new RdsSnapshotCatalog(awsClients.rds(verification.region)).list();
  const now = new Date();
  const items: VerificationItem[] = [];
  const missing: VerificationPlan['missing'] = [];
  for (const db of dbs) {
    const chosen =
      request.mode === 'db' && request.snapshotArn ? catalog.find((s) => s.arn === request.snapshotArn) : newestUsableSnapshot(catalog, db);
    if (request.mode === 'db' && request.snapshotArn) {
      if (!chosen) throw new InvalidInputError(`input.snapshot: no rds-dr snapshot ${request.snapshotArn} in ${verification.region}`);
      if (chosen.status !== 'available') throw new InvalidInputError(`input.snapshot: is "${chosen.status}", not available`);
      if (!newestUsableSnapshot([chosen], db)) throw new InvalidInputError(`input.snapshot: is not an rds-dr snapshot of ${db}`);
    }
    if (!chosen) {
      missing.push({ id: db, kind: 'instance', reason: `no available rds-dr snapshot of ${db} in ${verification.region} to restore` });
      continue;
    }
    const refusal = undrillable(chosen);
    if (refusal) {
      missing.push({ id: db, kind: chosen.kind, reason: `${db} is ${refusal}` });
      continue;
    }
    items.push(verificationItem(db, chosen, request, verification, event.executionArn, now));
  }
  const plan = { policy: request.policy, limits: { mapConcurrency: verification.policies[request.policy].maxConcurrency }, items, missing };
  logger.info('verification planned', {
    policy: plan.policy,
    items: items.map((i) => ({ db: i.db, snapshotId: i.snapshotId, restoreId: i.restoreId, instanceClass: i.instanceClass })),
    missing,
  });
  return plan;
}
