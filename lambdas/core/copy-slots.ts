// An account-wide semaphore on cross-region snapshot copies, so that every policy and execution
// together stay within what RDS allows in progress per destination region: 20 DB snapshot copies
// ("Copying a DB snapshot for Amazon RDS") and 5 DB cluster snapshot copies ("DB cluster snapshot
// copying", Amazon Aurora User Guide); one more is refused with SnapshotQuotaExceeded.
//
// The pattern is the DynamoDB conditional-write semaphore of "Controlling concurrency in distributed
// systems using AWS Step Functions" (AWS Compute Blog; aws-samples/aws-stepfunctions-examples,
// sam/app-control-concurrency-with-dynamodb), with one item per slot instead of one counter, and
// with leases: a holder renews its slot at every poll turn, and a slot whose lease has run out
// (its execution died) is free again, so a lost release costs at most one lease, never a slot.
// A copy that finds no free slot waits for its next poll turn; that is not an error.
import { isExpired } from './leases.js';
import type { SnapshotKind } from './snapshots.js';

/** DB snapshot copies and DB cluster snapshot copies have separate RDS limits. */
export type CopyKind = SnapshotKind;

/** How many copies of each kind may be in progress per destination region, and how long a lease lasts. */
export interface CopySlotLimits {
  instance: number;
  cluster: number;
  leaseSeconds: number;
}

/** One held slot. */
export interface SlotLease {
  kind: CopyKind;
  /** The destination region the copy goes to. */
  region: string;
  slot: number;
  /** Who holds it: one copy, e.g. `<executionArn>|<snapshotId>`, so one execution can hold, renew and release several. */
  holder: string;
  expiresAt: string;
}

export interface AcquireRequest {
  region: string;
  kind: CopyKind;
  /** One holder per copy wanting a slot, in order of preference. */
  holders: string[];
  now: Date;
}

export interface CopySlots {
  /**
   * Slots for as many of `holders` as there are free ones, in their order; the leases obtained (none
   * when all are taken). A holder that already has a live slot gets that one back, so a retried call
   * takes no second slot.
   */
  acquire(req: AcquireRequest): Promise<SlotLease[]>;
  /** Extends each lease its holder still has by the lease time from `now`; returns those (a lease taken over after it expired is not among them). */
  renew(leases: SlotLease[], now: Date): Promise<SlotLease[]>;
  /** Frees each slot its holder still has. Idempotent; a slot taken over by someone else is left alone. */
  release(leases: SlotLease[]): Promise<void>;
  /** Live slots of this kind into `region`. */
  inUse(region: string, kind: CopyKind, now: Date): Promise<number>;
  /** The live leases of this kind into `region`, whoever holds them. */
  held(region: string, kind: CopyKind, now: Date): Promise<SlotLease[]>;
  /**
   * `from`'s slot for `holder`, if `from` still holds it: for a copy that has ended while its holder
   * has not yet looked (RDS no longer counts it in progress), so the slot does not idle until then.
   */
  takeOver(from: SlotLease, holder: string, now: Date): Promise<SlotLease | undefined>;
}

/** A slot as the store lists it (the absent ones are free). */
export interface SlotRecord {
  slot: number;
  holder: string;
  expiresAtEpoch: number;
}

export interface AcquisitionPlan {
  /** Live slots the requesting holders already have: returned as they are, not taken again. */
  alreadyHeld: SlotRecord[];
  /** Holders still without a slot, in request order. */
  wanting: string[];
  /**
   * Slots to try, in order, until every wanting holder has one: free ones (absent or expired) below the
   * limit, no more of them than the limit leaves room for. Slots at or above the limit (held since the
   * limit was lowered) count as live, so the limit holds again once they are released.
   */
  candidates: number[];
}

export const slotLimit = (limits: CopySlotLimits, kind: CopyKind): number => limits[kind];

/** What to try, given one listing of the slots of a region and kind. */
export function planAcquisition(listing: SlotRecord[], holders: string[], limit: number, now: Date): AcquisitionPlan {
  const live = listing.filter((s) => !isExpired(s.expiresAtEpoch, now));
  const alreadyHeld = live.filter((s) => holders.includes(s.holder));
  const wanting = [...new Set(holders)].filter((h) => !alreadyHeld.some((s) => s.holder === h));
  const taken = new Set(live.map((s) => s.slot));
  const room = Math.max(0, limit - live.length);
  const free = Array.from({ length: limit }, (_, slot) => slot).filter((slot) => !taken.has(slot));
  return { alreadyHeld, wanting, candidates: wanting.length === 0 ? [] : free.slice(0, room) };
}
