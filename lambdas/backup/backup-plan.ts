// Turns a validated run request and the selected databases into the backup workflow's work list.
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { formatInputIssues } from '../core/input-issues.js';
import { runSlot, slotStamp, snapshotIdentifier, TAG, tagValue } from '../core/naming.js';
import type { PolicySettings, SettingsWith } from '../core/settings.js';
import type { SelectedDatabase, UnprotectableDatabase } from '../core/selection.js';
import { type Tag } from '../core/snapshots.js';

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

export interface PlannedDatabase extends SelectedDatabase {
  snapshotId: string;
  tags: Tag[];
}

export interface BackupPlan {
  policy: string;
  slot: string;
  slotStamp: string;
  executionArn: string;
  limits: { mapConcurrency: number; snapshotTimeoutSeconds: number; copyTimeoutSeconds: number };
  databases: PlannedDatabase[];
  missing: UnprotectableDatabase[];
}

export function planBackup(
  request: RunRequest,
  selection: { selected: SelectedDatabase[]; missing: UnprotectableDatabase[] },
  executionArn: string,
): BackupPlan {
  const slotIso = request.slot.toISOString();
  return {
    policy: request.policyName,
    slot: slotIso,
    slotStamp: slotStamp(request.slot),
    executionArn,
    limits: {
      // Every branch holds at most one copy in flight, so bounding branches bounds copies.
      mapConcurrency: Math.min(request.policy.maxConcurrency, request.policy.maxCopiesInFlight),
      snapshotTimeoutSeconds: request.policy.snapshotTimeoutSeconds,
      copyTimeoutSeconds: request.policy.copyTimeoutSeconds,
    },
    databases: selection.selected.map((db) => ({
      ...db,
      snapshotId: snapshotIdentifier(db.id, request.slot),
      tags: [
        { Key: TAG.managed, Value: 'true' },
        { Key: TAG.policy, Value: request.policyName },
        { Key: TAG.sourceArn, Value: tagValue(db.arn) },
        { Key: TAG.slot, Value: slotIso },
        { Key: TAG.execution, Value: tagValue(executionArn) },
      ],
    })),
    missing: selection.missing,
  };
}
