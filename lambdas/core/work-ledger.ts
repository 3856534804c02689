// Who is working on what, so that an overlapping run (a schedule firing while the previous run of the
// same policy is still copying, a manual start beside a scheduled one) never duplicates work in
// flight: each item (a database) of a scope (e.g. one policy's backups) is claimed by one holder (an
// execution) under a lease, renewed at each poll turn like the copy slots (copy-slots.ts), and free
// again once released or expired, so a dead execution blocks nothing for longer than one lease.
import { isExpired } from './leases.js';

export interface WorkClaimRequest {
  /** What the items belong to, e.g. `backup#<policy>` (backupScope). */
  scope: string;
  /** e.g. database identifiers. */
  items: string[];
  /** e.g. the execution ARN. */
  holder: string;
  now: Date;
  leaseSeconds: number;
}

export interface ClaimOutcome {
  /** Items now held by the requester: they were free, expired, or already its own (lease extended). */
  claimed: string[];
  /** Items someone else holds under a live lease. */
  heldElsewhere: { item: string; holder: string }[];
}

/** A live claim as listed. */
export interface WorkClaim {
  item: string;
  holder: string;
  expiresAt: string;
}

export interface WorkLedger {
  claim(req: WorkClaimRequest): Promise<ClaimOutcome>;
  /** Extends the leases `holder` still has on these items; returns those items (the others were lost: expired and taken). */
  renew(req: WorkClaimRequest): Promise<string[]>;
  /** Frees the items `holder` still has. Idempotent; an item someone else took over is left alone. */
  release(scope: string, items: string[], holder: string): Promise<void>;
  /** The live claims of a scope. */
  list(scope: string, now: Date): Promise<WorkClaim[]>;
}

/** The backups of one policy. */
export const backupScope = (policy: string): string => `backup#${policy}`;

/** A claim as the store keeps it. */
export interface ClaimRecord {
  holder: string;
  expiresAtEpoch: number;
}

/** `holder` may take an item that nobody holds, whose lease ran out, or that it holds already. */
export function claimable(current: ClaimRecord | undefined, holder: string, now: Date): boolean {
  return current === undefined || isExpired(current.expiresAtEpoch, now) || current.holder === holder;
}
