// Deterministic names: the same database and schedule slot always map to the same snapshot id,
// which is what makes a retried or duplicated schedule idempotent.
import { createHash } from 'node:crypto';
import { InvalidInputError } from './errors.js';

export const SNAPSHOT_PREFIX = 'rdsdr-';
const MAX_SNAPSHOT_ID_LENGTH = 255;

/** Every tag rds-dr reads or writes, in one place. */
export const TAG = {
  // on snapshots and copies
  managed: 'rds-dr:managed',
  policy: 'rds-dr:policy',
  sourceArn: 'rds-dr:source-arn',
  slot: 'rds-dr:slot',
  copyOf: 'rds-dr:copy-of',
  /** Any value: the snapshot is never deleted by the prune. */
  legalHold: 'rds-dr:legal-hold',
  // on snapshots and on the databases rds-dr creates
  execution: 'rds-dr:execution',
  // on throwaway drill instances and incident restores
  purpose: 'rds-dr:purpose',
  expiresAt: 'rds-dr:expires-at',
  /** On a throwaway instance: the snapshot it was restored from (pruning must not delete it meanwhile). */
  sourceSnapshot: 'rds-dr:source-snapshot',
  restoredFrom: 'rds-dr:restored-from',
  sourceDb: 'rds-dr:source-db',
  reason: 'rds-dr:reason',
  /** On the original a rename cutover set aside (`<db>-replaced-…`): the execution that replaced it. No longer protected. */
  replacedBy: 'rds-dr:replaced-by',
  /** On a standby a failover promoted: the protected database (its primary-region identifier) it now is. */
  failoverOf: 'rds-dr:failover-of',
} as const;

/** Tags that describe one database's own history (who made it, from what): never copied onto another one. */
export const PER_DATABASE_TAGS: readonly string[] = [TAG.execution, TAG.purpose, TAG.expiresAt, TAG.sourceSnapshot, TAG.restoredFrom, TAG.sourceDb, TAG.reason, TAG.replacedBy];

/** Values of TAG.purpose. */
export const PURPOSE = { drill: 'verification', incidentRestore: 'incident-restore' } as const;

/** Identifier prefix of throwaway drill instances and clusters. */
export const THROWAWAY_PREFIX = 'rdsdr-verify-';

/** The schedule slot: the scheduled time truncated to the minute, in UTC. */
export function scheduleSlot(time: Date): Date {
  const slot = new Date(time.getTime());
  slot.setUTCSeconds(0, 0);
  return slot;
}

/**
 * How far ahead of the execution's start a scheduledTime may be: EventBridge Scheduler delivers at
 * or after the scheduled time, so anything later is a mistake (or a clock skew) whose snapshots would
 * be named, and dated, in the future.
 */
export const MAX_SCHEDULE_AHEAD_MS = 5 * 60_000;

/** The schedule slot of a run: its scheduledTime (refused when in the future) or its start. */
export function runSlot(scheduledTime: string | undefined, executionStartTime: string): Date {
  if (scheduledTime !== undefined && Date.parse(scheduledTime) - Date.parse(executionStartTime) > MAX_SCHEDULE_AHEAD_MS) {
    throw new InvalidInputError(
      `input.scheduledTime: ${scheduledTime} is after this execution's start (${executionStartTime}); a run covers a slot that has come, at most ${MAX_SCHEDULE_AHEAD_MS / 60_000} minutes ahead`,
    );
  }
  return scheduleSlot(new Date(scheduledTime ?? executionStartTime));
}

/** yyyymmddhhmm of a slot, UTC. */
export function slotStamp(slot: Date): string {
  return slot.toISOString().replace(/[-:T]/g, '').slice(0, 12);
}

/**
 * `rdsdr-<db>-<yyyymmddhhmm>`, valid under RDS snapshot identifier rules (letters, digits, single
 * hyphens, starts with a letter, no trailing hyphen, at most 255 chars). A name that would be too
 * long keeps a readable prefix and gets a hash of the full database id, so it stays unique.
 */
export function snapshotIdentifier(dbId: string, slot: Date): string {
  const cleanDb = dbId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const suffix = `-${slotStamp(slot)}`;
  const full = `${SNAPSHOT_PREFIX}${cleanDb}${suffix}`;
  if (full.length <= MAX_SNAPSHOT_ID_LENGTH) return full;
  const hash = createHash('sha256').update(dbId).digest('hex').slice(0, 10);
  const room = MAX_SNAPSHOT_ID_LENGTH - SNAPSHOT_PREFIX.length - suffix.length - hash.length - 1;
  const head = cleanDb.slice(0, room).replace(/-+$/, '');
  return `${SNAPSHOT_PREFIX}${head}-${hash}${suffix}`;
}

/** RDS tag values are at most 256 characters. */
export function tagValue(value: string): string {
  return value.length <= 256 ? value : value.slice(0, 256);
}

/**
 * Free text (an operator's reason) as an RDS tag value: RDS allows only letters, digits, white space
 * and _ . : / = + - @ (Amazon RDS User Guide, "Tagging Amazon RDS resources") and refuses the whole
 * request otherwise, so anything else becomes a space. The full text belongs in the report, not the tag.
 */
export function tagText(text: string): string {
  return tagValue(text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, ' ').replace(/\s+/g, ' ').trim());
}
