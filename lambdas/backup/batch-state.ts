// The state one backup batch (a Distributed Map child execution) carries from poll turn to poll turn:
// a bounded number of databases, each in one phase. Its size depends on the batch size, never on the fleet.
import type { SlotLease } from '../core/copy-slots.js';
import type { SnapshotKind, Tag } from '../core/snapshots.js';
import { TAG, tagValue } from '../core/naming.js';

/** What every batch of a run shares (the Distributed Map's BatchInput). */
export interface BatchContext {
  policy: string;
  slot: string;
  executionArn: string;
  snapshotTimeoutSeconds: number;
  copyTimeoutSeconds: number;
  /** Milliseconds between this batch's RDS writes (CreateDB*Snapshot, CopyDB*Snapshot): its share of the API budget. */
  paceMs: number;
}

/** One database of the plan (an item of the Distributed Map's item source). */
export interface PlannedDatabase {
  id: string;
  arn: string;
  kind: SnapshotKind;
  engine: string;
  snapshotId: string;
}

/**
 * new: snapshot not started yet (or refused for now: the database is busy, the API throttled);
 * snapshotting: snapshot in progress in the primary region; awaiting-slot: snapshot available, its copy
 * waits for an account-wide copy slot; copying: copy in progress in the DR region. The rest are final.
 */
export type Phase = 'new' | 'snapshotting' | 'awaiting-slot' | 'copying' | 'succeeded' | 'failed' | 'skipped';
export const FINAL_PHASES: ReadonlySet<Phase> = new Set(['succeeded', 'failed', 'skipped']);

/** A copy slot this database holds while its copy is in flight (lambdas/core/copy-slots.ts). */
export type HeldSlot = SlotLease;

export interface BatchDatabase extends PlannedDatabase {
  phase: Phase;
  /** When the current phase began, and the waits scheduled since (the local runner shortens waits). */
  phaseSince: string;
  waitedSeconds: number;
  snapshotArn?: string;
  snapshotCreatedAt?: string;
  sourceEncrypted?: boolean;
  sourceOptionGroup?: string;
  copyArn?: string;
  copyAvailableAt?: string;
  slot?: HeldSlot;
  /** The claim on this database's work (no other run works on it meanwhile). */
  claimed?: boolean;
  warnings?: string[];
  error?: string;
  cause?: string;
}

export interface BatchState {
  context: BatchContext;
  databases: BatchDatabase[];
  turn: number;
  /** When the claims on the databases' work expire unless renewed. */
  claimsExpireAt?: string;
  done: boolean;
  /** Nothing in flight: every unfinished database only waits for a copy slot (the workflow waits longer). */
  idle: boolean;
}

/** The first input of a batch's child execution: the Distributed Map's ItemBatcher output. */
export interface BatchStart {
  BatchInput: BatchContext;
  Items: PlannedDatabase[];
}

export function startState(start: BatchStart, now: Date): BatchState {
  return {
    context: start.BatchInput,
    databases: start.Items.map((db) => ({ ...db, phase: 'new', phaseSince: now.toISOString(), waitedSeconds: 0 })),
    turn: 0,
    done: start.Items.length === 0,
    idle: false,
  };
}

/** The tags every rds-dr snapshot carries: what it is, which policy and slot made it, from which database. */
export function snapshotTags(db: Pick<PlannedDatabase, 'arn'>, ctx: Pick<BatchContext, 'policy' | 'slot' | 'executionArn'>): Tag[] {
  return [
    { Key: TAG.managed, Value: 'true' },
    { Key: TAG.policy, Value: ctx.policy },
    { Key: TAG.sourceArn, Value: tagValue(db.arn) },
    { Key: TAG.slot, Value: ctx.slot },
    { Key: TAG.execution, Value: tagValue(ctx.executionArn) },
  ];
}

/** One database's outcome, as the ResultWriter stores it and the report reads it. */
export interface DatabaseOutcome {
  db: string;
  kind: SnapshotKind;
  status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  snapshotId: string;
  snapshotArn?: string;
  snapshotCreatedAt?: string;
  copyArn?: string;
  copyAvailableAt?: string;
  copyWarnings?: string[];
  error?: string;
  cause?: string;
}

export function outcomeOf(db: BatchDatabase): DatabaseOutcome {
  const status = db.phase === 'succeeded' ? 'SUCCEEDED' : db.phase === 'skipped' ? 'SKIPPED' : 'FAILED';
  return {
    db: db.id,
    kind: db.kind,
    status,
    snapshotId: db.snapshotId,
    ...(db.snapshotArn && { snapshotArn: db.snapshotArn }),
    ...(db.snapshotCreatedAt && { snapshotCreatedAt: db.snapshotCreatedAt }),
    ...(db.copyArn && { copyArn: db.copyArn }),
    ...(db.copyAvailableAt && { copyAvailableAt: db.copyAvailableAt }),
    ...(db.warnings?.length && { copyWarnings: db.warnings }),
    ...(db.error && { error: db.error }),
    ...(db.cause && { cause: db.cause }),
  };
}
