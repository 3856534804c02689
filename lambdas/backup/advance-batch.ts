// One poll turn of a backup batch: start what can start, look at what is in flight with one Describe
// per region and kind (not one per database), take free copy slots for snapshots that are ready, and
// give back the slots of copies that ended. Every database's failure is its own: it is recorded in its
// entry and never thrown, so one bad database cannot fail the batch.
import { TAG } from '../core/naming.js';
import { tagValueOf, type SnapshotInfo, type SnapshotKind, type Tag } from '../core/snapshots.js';
import type { CopyOutcome } from './copy.js';
import { FINAL_PHASES, outcomeOf, snapshotTags, type BatchDatabase, type BatchState, type DatabaseOutcome, type HeldSlot, type Phase } from './batch-state.js';

/** The batch's view of RDS (lambdas/aws/rds-snapshots.ts). */
export interface BatchRds {
  /** CreateDBSnapshot / CreateDBClusterSnapshot in the primary region; throws the SDK's error. */
  createSnapshot(kind: SnapshotKind, dbId: string, snapshotId: string, tags: Tag[]): Promise<void>;
  /** The snapshots with these identifiers in `region`, by identifier: one Describe (absent ones are missing). */
  describeMany(region: string, kind: SnapshotKind, ids: string[]): Promise<Map<string, SnapshotInfo>>;
  /** Starts (or confirms) the DR copy of an available source snapshot (copy.ts copyToDrRegion). */
  startCopy(db: BatchDatabase, tags: Tag[]): Promise<CopyOutcome>;
}

/** Account-wide copy slots per destination region and kind (lambdas/core/copy-slots.ts). */
export interface BatchCopySlots {
  acquire(req: { region: string; kind: SnapshotKind; holders: string[]; now: Date }): Promise<HeldSlot[]>;
  renew(region: string, kind: SnapshotKind, slots: HeldSlot[], now: Date): Promise<HeldSlot[]>;
  release(region: string, kind: SnapshotKind, slots: HeldSlot[]): Promise<void>;
  held(region: string, kind: SnapshotKind, now: Date): Promise<HeldSlot[]>;
  takeOver(from: HeldSlot, holder: string, now: Date): Promise<HeldSlot | undefined>;
}

/** Claims on databases' work, so an overlapping run does not work on the same database (lambdas/core/work-ledger.ts). */
export interface BatchClaims {
  claim(items: string[], holder: string, now: Date): Promise<{ claimed: string[]; heldElsewhere: { item: string; holder: string }[]; expiresAt: string }>;
  renew(items: string[], holder: string, now: Date): Promise<string>;
  release(items: string[], holder: string): Promise<void>;
}

export interface BatchDeps {
  rds: BatchRds;
  slots: BatchCopySlots;
  claims: BatchClaims;
  primaryRegion: string;
  drRegion: string;
  /**
   * Whether a copy's error says its destination region cannot be reached. When set and true, the
   * database succeeds on its snapshot alone with a warning that the copy was skipped (the DR region's
   * backup copying back to a primary region that is down: the snapshot is what protects it now).
   * Unset (the primary region's backup): every copy error fails the database.
   */
  copyDestinationUnreachable?(err: unknown): boolean;
  sleep(ms: number): Promise<void>;
  now(): Date;
}

/** Seconds the workflow waits after a turn with work in flight, and after an idle one (only slot waits). */
export const BUSY_WAIT_SECONDS = 60;
export const IDLE_WAIT_SECONDS = 120;
/** Writes a turn may make, so one invocation stays far inside its Lambda timeout whatever the pace. */
const TURN_WRITE_BUDGET_MS = 45_000;

const BUSY_ERRORS = new Set(['InvalidDBInstanceStateFault', 'InvalidDBClusterStateFault', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const EXISTS_ERRORS = new Set(['DBSnapshotAlreadyExistsFault', 'DBClusterSnapshotAlreadyExistsFault']);
const GONE_ERRORS = new Set(['DBInstanceNotFoundFault', 'DBClusterNotFoundFault']);
/** A copy refused for lack of room: "the maximum number of snapshot copies in progress" (it waits for a slot). */
const NO_ROOM_ERRORS = new Set(['SnapshotQuotaExceededFault', ...['Throttling', 'ThrottlingException', 'RequestLimitExceeded']]);
const PENDING = new Set(['creating', 'copying', 'pending', 'modifying', 'upgrading', 'backing-up']);

const errorText = (err: unknown) => `${(err as Error).name}: ${(err as Error).message}`;

function moveTo(db: BatchDatabase, phase: Phase, now: Date): void {
  db.phase = phase;
  db.phaseSince = now.toISOString();
  db.waitedSeconds = 0;
}

function fail(db: BatchDatabase, error: string, cause: string, now: Date): void {
  moveTo(db, 'failed', now);
  db.error = error;
  db.cause = cause;
}

/** Seconds spent in the phase: the clock, or the waits scheduled (locally shortened), whichever is more. */
const phaseSeconds = (db: BatchDatabase, now: Date) => Math.max((now.getTime() - Date.parse(db.phaseSince)) / 1000, db.waitedSeconds);

/** `holder` of a copy slot: the run and the copy (one run holds several slots). */
export const slotHolder = (executionArn: string, snapshotId: string) => `${executionArn}|${snapshotId}`;

export async function advanceBatch(state: BatchState, deps: BatchDeps): Promise<BatchState & { waitSeconds: number; results?: DatabaseOutcome[] }> {
  const ctx = state.context;
  const dbs = state.databases;
  if (state.turn === 0) await claimWork(state, deps);
  // Renewed while at least two idle waits remain, so a live run's claims never lapse between turns.
  else if (state.claimsExpireAt && Date.parse(state.claimsExpireAt) - deps.now().getTime() < 2 * IDLE_WAIT_SECONDS * 1000) {
    state.claimsExpireAt = await deps.claims.renew(dbs.filter((d) => d.claimed && !FINAL_PHASES.has(d.phase)).map((d) => d.id), ctx.executionArn, deps.now());
  }
  let writeBudgetMs = TURN_WRITE_BUDGET_MS;
  const paced = async (write: () => Promise<void>) => {
    await write();
    writeBudgetMs -= ctx.paceMs;
    if (ctx.paceMs > 0) await deps.sleep(ctx.paceMs);
  };

  await pollSnapshots(state, deps);
  await pollCopies(state, deps);
  for (const db of dbs.filter((d) => d.phase === 'new')) {
    if (writeBudgetMs <= 0) break;
    await paced(() => startSnapshot(db, state, deps));
  }
  await startCopies(state, deps, () => writeBudgetMs > 0, paced);

  state.turn += 1;
  state.done = dbs.every((d) => FINAL_PHASES.has(d.phase));
  state.idle = !state.done && dbs.every((d) => FINAL_PHASES.has(d.phase) || d.phase === 'awaiting-slot');
  const waitSeconds = state.done ? 0 : state.idle ? IDLE_WAIT_SECONDS : BUSY_WAIT_SECONDS;
  for (const db of dbs) if (!FINAL_PHASES.has(db.phase)) db.waitedSeconds += waitSeconds;
  if (!state.done) return { ...state, waitSeconds };
  await deps.claims.release(dbs.filter((d) => d.claimed).map((d) => d.id), ctx.executionArn);
  return { ...state, waitSeconds, results: dbs.map(outcomeOf) };
}

async function claimWork(state: BatchState, deps: BatchDeps): Promise<void> {
  const now = deps.now();
  const { claimed, heldElsewhere, expiresAt } = await deps.claims.claim(state.databases.map((d) => d.id), state.context.executionArn, now);
  state.claimsExpireAt = expiresAt;
  const mine = new Set(claimed);
  const others = new Map(heldElsewhere.map((h) => [h.item, h.holder]));
  for (const db of state.databases) {
    if (mine.has(db.id)) db.claimed = true;
    else {
      moveTo(db, 'skipped', now);
      db.error = 'rds-dr.RunOverlap';
      db.cause = `still being backed up by ${others.get(db.id) ?? 'another run'}; this run leaves it to that run (no duplicate snapshot or copy)`;
    }
  }
}

async function startSnapshot(db: BatchDatabase, state: BatchState, deps: BatchDeps): Promise<void> {
  const now = deps.now();
  try {
    await deps.rds.createSnapshot(db.kind, db.id, db.snapshotId, snapshotTags(db, state.context));
    moveTo(db, 'snapshotting', now);
  } catch (err) {
    const name = (err as Error).name;
    // A retried or overlapping run of the same slot: the snapshot exists; its owner is checked when polled.
    if (EXISTS_ERRORS.has(name)) return moveTo(db, 'snapshotting', now);
    if (GONE_ERRORS.has(name)) return fail(db, name, `${db.id} no longer exists (deleted since the run listed it): ${(err as Error).message}`, now);
    if (!BUSY_ERRORS.has(name)) return fail(db, name, (err as Error).message, now);
    // Busy (backup window, a modification) or throttled: another turn, within the snapshot's time budget.
    if (phaseSeconds(db, now) > state.context.snapshotTimeoutSeconds) {
      fail(db, 'rds-dr.SnapshotTimeout', `snapshot of ${db.id} could not start within ${state.context.snapshotTimeoutSeconds} s: ${errorText(err)}`, now);
    }
  }
}

async function pollSnapshots(state: BatchState, deps: BatchDeps): Promise<void> {
  for (const kind of ['instance', 'cluster'] as const) {
    const waiting = state.databases.filter((d) => d.phase === 'snapshotting' && d.kind === kind);
    if (!waiting.length) continue;
    const seen = await deps.rds.describeMany(deps.primaryRegion, kind, waiting.map((d) => d.snapshotId));
    const now = deps.now();
    for (const db of waiting) {
      const s = seen.get(db.snapshotId);
      if (!s) {
        fail(db, 'rds-dr.SnapshotNotFound', `snapshot ${db.snapshotId} of ${db.id} does not exist (deleted while in progress?)`, now);
        continue;
      }
      if (s.sourceDbId !== db.id && s.sourceDbId !== db.arn.split(':').pop()) {
        fail(db, 'rds-dr.SnapshotConflict', `snapshot ${db.snapshotId} exists but was taken from ${s.sourceDbId}, not ${db.id}`, now);
        continue;
      }
      db.snapshotArn = s.arn;
      db.snapshotCreatedAt = s.createdAt;
      if (s.status === 'available') {
        db.sourceEncrypted = s.encrypted;
        if (s.optionGroupName) db.sourceOptionGroup = s.optionGroupName;
        moveTo(db, 'awaiting-slot', now);
      } else if (!PENDING.has(s.status)) {
        fail(db, 'rds-dr.SnapshotFailed', `snapshot ${db.snapshotId} of ${db.id} is "${s.status}", not available`, now);
      } else if (phaseSeconds(db, now) > state.context.snapshotTimeoutSeconds) {
        fail(db, 'rds-dr.SnapshotTimeout', `snapshot ${db.snapshotId} of ${db.id} still "${s.status}" after ${Math.round(phaseSeconds(db, now))} s (limit ${state.context.snapshotTimeoutSeconds} s)`, now);
      }
    }
  }
}

async function pollCopies(state: BatchState, deps: BatchDeps): Promise<void> {
  for (const kind of ['instance', 'cluster'] as const) {
    const copying = state.databases.filter((d) => d.phase === 'copying' && d.kind === kind);
    if (!copying.length) continue;
    const seen = await deps.rds.describeMany(deps.drRegion, kind, copying.map((d) => d.snapshotId));
    const now = deps.now();
    const ended: HeldSlot[] = [];
    const running: BatchDatabase[] = [];
    for (const db of copying) {
      const s = seen.get(db.snapshotId);
      const copyOf = s && tagValueOf(s.tags, TAG.copyOf);
      if (!s) fail(db, 'rds-dr.SnapshotNotFound', `DR copy ${db.snapshotId} of ${db.id} does not exist (deleted while in progress?)`, now);
      else if (copyOf !== db.snapshotArn) fail(db, 'rds-dr.SnapshotConflict', `DR snapshot ${db.snapshotId} exists but is ${copyOf ? `a copy of ${copyOf}` : 'not an rds-dr copy'}, not of ${db.snapshotArn}`, now);
      else if (s.status === 'available') {
        db.copyArn = s.arn;
        db.copyAvailableAt = now.toISOString();
        moveTo(db, 'succeeded', now);
      } else if (!PENDING.has(s.status)) fail(db, 'rds-dr.SnapshotFailed', `DR copy ${db.snapshotId} of ${db.id} is "${s.status}", not available`, now);
      else if (phaseSeconds(db, now) > state.context.copyTimeoutSeconds) {
        fail(db, 'rds-dr.SnapshotTimeout', `DR copy ${db.snapshotId} of ${db.id} still "${s.status}" after ${Math.round(phaseSeconds(db, now))} s (limit ${state.context.copyTimeoutSeconds} s)`, now);
      }
      if (db.phase === 'copying') running.push(db);
      else if (db.slot) {
        ended.push(db.slot);
        delete db.slot;
      }
    }
    if (ended.length) await deps.slots.release(deps.drRegion, kind, ended);
    // Heartbeat: the slots of copies still running stay ours; a run that dies stops renewing and its slots expire.
    const held = running.filter((d) => d.slot);
    if (held.length) {
      const renewed = new Map((await deps.slots.renew(deps.drRegion, kind, held.map((d) => d.slot!), now)).map((s) => [s.holder, s]));
      for (const db of held) {
        const slot = renewed.get(db.slot!.holder);
        // A slot lost (expired and taken over) leaves the copy running; it no longer counts as ours.
        if (slot) db.slot = slot;
        else delete db.slot;
      }
    }
  }
}

async function startCopies(state: BatchState, deps: BatchDeps, canWrite: () => boolean, paced: (write: () => Promise<void>) => Promise<void>): Promise<void> {
  const ctx = state.context;
  for (const kind of ['instance', 'cluster'] as const) {
    const ready = state.databases.filter((d) => d.phase === 'awaiting-slot' && d.kind === kind);
    if (!ready.length || !canWrite()) continue;
    const holders = ready.map((d) => slotHolder(ctx.executionArn, d.snapshotId));
    const slots = await deps.slots.acquire({ region: deps.drRegion, kind, holders, now: deps.now() });
    if (slots.length < ready.length) slots.push(...(await takeOverEndedCopies(kind, holders.filter((h) => !slots.some((s) => s.holder === h)), deps)));
    const unused: HeldSlot[] = [];
    for (const slot of slots) {
      const db = ready.find((d) => slotHolder(ctx.executionArn, d.snapshotId) === slot.holder)!;
      if (!canWrite()) {
        unused.push(slot);
        continue;
      }
      await paced(async () => {
        const now = deps.now();
        try {
          const copy = await deps.rds.startCopy(db, snapshotTags(db, ctx));
          db.slot = slot;
          if (copy.warnings.length) db.warnings = copy.warnings;
          moveTo(db, 'copying', now);
        } catch (err) {
          unused.push(slot);
          if (deps.copyDestinationUnreachable?.(err)) {
            db.warnings = [...(db.warnings ?? []), `copy of ${db.snapshotId} to ${deps.drRegion} skipped: the region is unreachable (${errorText(err)}); the snapshot in ${deps.primaryRegion} is this run's backup`];
            moveTo(db, 'succeeded', now);
          // No room in RDS after all (copies started outside rds-dr, a slot recovered early): wait, it is not a failure.
          } else if (!NO_ROOM_ERRORS.has((err as Error).name)) fail(db, (err as Error).name, (err as Error).message, now);
        }
      });
    }
    if (unused.length) await deps.slots.release(deps.drRegion, kind, unused);
  }
}

/**
 * Slots whose copy has already ended (available, failed) but whose holder has not looked since: one
 * Describe of the held copies (their identifiers are in the holders), and each ended one's slot is
 * taken over, conditional on its holder, for the next waiting copy. RDS no longer counts an ended copy
 * in progress, so this keeps the slots busy instead of idle until every holder's next turn. A copy
 * not found (not started yet: its holder takes the slot before it calls RDS) is never taken over.
 */
async function takeOverEndedCopies(kind: SnapshotKind, wanting: string[], deps: BatchDeps): Promise<HeldSlot[]> {
  if (!wanting.length) return [];
  const held = await deps.slots.held(deps.drRegion, kind, deps.now());
  if (!held.length) return [];
  const copyIdOf = (holder: string) => holder.slice(holder.lastIndexOf('|') + 1);
  const seen = await deps.rds.describeMany(deps.drRegion, kind, held.map((h) => copyIdOf(h.holder)));
  const taken: HeldSlot[] = [];
  for (const lease of held) {
    const copy = seen.get(copyIdOf(lease.holder));
    if (!copy || PENDING.has(copy.status) || !wanting.length) continue;
    const slot = await deps.slots.takeOver(lease, wanting[0], deps.now());
    if (slot) taken.push({ ...slot, holder: wanting.shift()! });
  }
  return taken;
}

/** Gives back everything a batch holds (its slots and claims) when it stops early; unfinished databases fail with `error`. */
export async function abandonBatch(state: BatchState, deps: Pick<BatchDeps, 'slots' | 'claims' | 'drRegion' | 'now'>, error: { Error?: string; Cause?: string }): Promise<DatabaseOutcome[]> {
  const now = deps.now();
  for (const kind of ['instance', 'cluster'] as const) {
    const held = state.databases.filter((d) => d.kind === kind && d.slot).map((d) => d.slot!);
    if (held.length) await deps.slots.release(deps.drRegion, kind, held);
  }
  await deps.claims.release(state.databases.filter((d) => d.claimed).map((d) => d.id), state.context.executionArn);
  for (const db of state.databases) {
    if (!FINAL_PHASES.has(db.phase)) fail(db, error.Error ?? 'rds-dr.BatchFailed', `its batch stopped in phase ${db.phase}: ${error.Cause ?? 'unknown cause'}`, now);
  }
  return state.databases.map(outcomeOf);
}
