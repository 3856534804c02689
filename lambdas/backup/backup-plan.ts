// Turns a validated run request and the selected databases into the backup workflow's work list.
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { formatInputIssues } from '../core/input-issues.js';
import { runSlot, slotStamp, snapshotIdentifier } from '../core/naming.js';
import type { PolicySettings, SettingsWith } from '../core/settings.js';
import type { SelectedDatabase, UnprotectableDatabase } from '../core/selection.js';
import type { BatchContext, PlannedDatabase } from './batch-state.js';

const runInputSchema = z.strictObject({
  policy: z.string().min(1),
  /** Set by EventBridge Scheduler (<aws.scheduler.scheduled-time>); a manual run uses its start time. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

export interface RunRequest {
  policyName: string;
  policy: PolicySettings;
  slot: Date;
}

/** Validates the execution input; the error names the field and what is allowed. */
export function parseRunRequest(input: unknown, settings: SettingsWith<'policies'>, executionStartTime: string): RunRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError(`input must be a JSON object like {"policy": "<name>"}, got ${JSON.stringify(input)}`);
  }
  const parsed = runInputSchema.safeParse(input);
  const configured = Object.keys(settings.policies);
  if (!parsed.success) {
    throw new InvalidInputError(`${formatInputIssues(parsed.error, 'policy, scheduledTime')} (configured policies: ${configured.join(', ')})`);
  }
  const policy = settings.policies[parsed.data.policy];
  if (!policy) {
    throw new InvalidInputError(`input.policy: unknown policy "${parsed.data.policy}"; configured: ${configured.join(', ')}`);
  }
  return { policyName: parsed.data.policy, policy, slot: runSlot(parsed.data.scheduledTime, executionStartTime) };
}

/**
 * Databases per child execution of the backup's Distributed Map. A batch's state (~400 bytes per
 * database) and its Describe filters stay small; the fleet is covered by more batches, not bigger ones.
 */
export const BATCH_SIZE = 25;
/** RDS writes per second of a run when the settings name none (config `backupRdsWritesPerSecond`'s default). */
export const DEFAULT_BACKUP_WRITES_PER_SECOND = 4;

export interface BackupPlan {
  policy: string;
  slot: string;
  slotStamp: string;
  executionArn: string;
  limits: {
    /** Batches in flight at once (the Distributed Map's MaxConcurrency). */
    maxConcurrentBatches: number;
    batchSize: number;
  };
  /** What every batch shares (the Distributed Map's BatchInput). */
  batch: BatchContext;
  /** The item source: one entry per database, written to the work bucket by the handler. */
  databases: PlannedDatabase[];
  missing: UnprotectableDatabase[];
}

export function planBackup(
  request: RunRequest,
  selection: { selected: SelectedDatabase[]; missing: UnprotectableDatabase[] },
  executionArn: string,
  writesPerSecond = DEFAULT_BACKUP_WRITES_PER_SECOND,
): BackupPlan {
  const slotIso = request.slot.toISOString();
  const batches = Math.max(1, Math.min(request.policy.maxConcurrency, Math.ceil(selection.selected.length / BATCH_SIZE)));
  return {
    policy: request.policyName,
    slot: slotIso,
    slotStamp: slotStamp(request.slot),
    executionArn,
    limits: { maxConcurrentBatches: batches, batchSize: BATCH_SIZE },
    batch: {
      policy: request.policyName,
      slot: slotIso,
      executionArn,
      snapshotTimeoutSeconds: request.policy.snapshotTimeoutSeconds,
      copyTimeoutSeconds: request.policy.copyTimeoutSeconds,
      // Each batch's share of the run's write budget.
      paceMs: Math.ceil((1000 * batches) / writesPerSecond),
    },
    databases: selection.selected.map((db) => ({ id: db.id, arn: db.arn, kind: db.kind, engine: db.engine, snapshotId: snapshotIdentifier(db.id, request.slot) })),
    missing: selection.missing,
  };
}
