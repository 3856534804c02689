import { InvalidInputError } from '../core/errors.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { readSettings } from '../core/settings.js';
import { drillSnapshot, parseVerifyRequest, verificationItem, type VerificationItem, undrillable } from './drill-plan.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { SsmActiveRegionStore } from '../aws/ssm-active-region.js';
import { readPromotedSources } from './promoted-sources.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';
import { runDataRef, type RunDataRef } from '../core/run-data.js';
import { S3RunDataStore } from '../aws/s3-run-data.js';
import { S3Reports } from '../aws/reports.js';
import { DrillRotationStore } from '../aws/drill-rotation-store.js';
import { chooseDrillDatabases, rotationWarning, type RotationChoice } from '../core/drill-rotation.js';

const settings = readSettings(['verification']);

export type PlanDrillEvent = WorkflowStartEvent;

/** What a scheduled run's rotation chose (null for a manual drill of one database). */
export type RotationSummary = Omit<RotationChoice, 'picked'> & { picked: number; perRun: number; maxAgeDays: number; warning?: string };

/**
 * The plan travels as a summary: the items (one per database, with its checks) are in the work
 * bucket at `runData.planKey`, the Distributed Map's item source, so the state stays small at any
 * number of databases. `missing` is bounded by sample.perRun.
 */
export interface VerificationPlan {
  policy: string;
  limits: { mapConcurrency: number };
  runData: RunDataRef;
  planned: number;
  missing: { id: string; kind: string; reason: string }[];
  rotation: RotationSummary | null;
}

/** First state of the drill: validate the request, then pick what to restore. */
export async function handler(event: PlanDrillEvent): Promise<VerificationPlan> {
  withLogKeys({ executionArn: event.executionArn });
  const verification = settings.verification;
  if (!verification) throw new InvalidInputError('this deployment has no restore drills configured (no policy has verify)');
  const accountId = event.executionArn.split(':')[4];
  const request = parseVerifyRequest(event.input, verification, accountId, event.executionStartTime);
  if (!settings.workBucket) throw new Error('settings.workBucket is not set: the drill keeps its plan in the DR work bucket (lib/drill)');
  const policy = verification.policies[request.policy];
  const now = new Date();
  let dbs = request.mode === 'db' ? [request.db] : [];
  let rotation: RotationSummary | null = null;
  if (request.mode === 'policy') {
    const state = await new DrillRotationStore(new S3Reports(verification.region, verification.reportsBucket)).read(request.policy);
    const { perRun, maxAgeDays } = policy.sample;
    const choice = chooseDrillDatabases(Object.keys(policy.databases), state, perRun, maxAgeDays, now);
    dbs = choice.picked;
    rotation = { ...choice, picked: choice.picked.length, perRun, maxAgeDays, warning: rotationWarning(choice, perRun, maxAgeDays) };
  }
  const rds = awsClients.rds(verification.region);
  const [catalog, promoted] = await Promise.all([
    new RdsSnapshotCatalog(rds).list(),
    // A database a failover made active here is drilled from its promoted database's own snapshots.
    readPromotedSources(new SsmActiveRegionStore(settings.appName, verification.region), new RdsFleetReader(rds), verification.region, { warn: (message, extra) => logger.warn(message, { ...extra }) }),
  ]);
  const items: VerificationItem[] = [];
  const missing: VerificationPlan['missing'] = [];
  for (const db of dbs) {
    const chosen =
      request.mode === 'db' && request.snapshotArn ? catalog.find((s) => s.arn === request.snapshotArn) : drillSnapshot(catalog, db, promoted.get(db));
    if (request.mode === 'db' && request.snapshotArn) {
      if (!chosen) throw new InvalidInputError(`input.snapshot: no rds-dr snapshot ${request.snapshotArn} in ${verification.region}`);
      if (chosen.status !== 'available') throw new InvalidInputError(`input.snapshot: is "${chosen.status}", not available`);
      if (!drillSnapshot([chosen], db, promoted.get(db))) throw new InvalidInputError(`input.snapshot: is not an rds-dr snapshot of ${db}`);
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
    const item = verificationItem(db, chosen, request, verification, event.executionArn, now);
    if (item.restoreOnly) logger.warn('restore-only drill', { db, snapshotId: item.snapshotId, engine: item.engine, notice: item.restoreOnly });
    items.push(item);
  }
  const runData = runDataRef(settings.workBucket, 'drill', event.executionArn, new Date(event.executionStartTime));
  await new S3RunDataStore(awsClients.s3(verification.region)).putJson(runData.bucket, runData.planKey, items);
  const plan: VerificationPlan = { policy: request.policy, limits: { mapConcurrency: policy.maxConcurrency }, runData, planned: items.length, missing, rotation };
  logger.info('verification planned', {
    policy: plan.policy,
    rotation,
    items: items.map((i) => ({ db: i.db, snapshotId: i.snapshotId, restoreId: i.restoreId, instanceClass: i.instanceClass })),
    activeHere: Object.fromEntries([...promoted].filter(([db]) => dbs.includes(db))),
    missing,
  });
  if (rotation?.warning) logger.warn('drill rotation falls behind', { policy: plan.policy, warning: rotation.warning });
  return plan;
}
