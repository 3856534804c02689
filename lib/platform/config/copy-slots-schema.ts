// Config for the account-wide copy-slot semaphore (lambdas/core/copy-slots.ts): how many
// cross-region copies every policy and execution together may have in progress, and how long a
// slot's lease outlives its holder's last renewal.
import { z } from 'zod';
import { IDLE_WAIT_SECONDS } from '../../../lambdas/backup/advance-batch.js';

/**
 * Copies in progress RDS allows per destination region and account ("Quotas and constraints for
 * Amazon RDS"): "You can have up to 20 snapshot copy requests in progress to a single destination
 * Region per account" (Amazon RDS User Guide, "Copying a DB snapshot for Amazon RDS"; CopyDBSnapshot
 * in the RDS API Reference), and up to five DB cluster snapshot copies (Amazon Aurora User Guide,
 * "DB cluster snapshot copying"). One more is refused with SnapshotQuotaExceeded.
 */
export const RDS_COPIES_IN_PROGRESS = { instance: 20, cluster: 5 } as const;

/**
 * Time a poll turn needs beyond its Wait before it renews its leases: the Lambda itself (up to its
 * timeout) and the workflow's retries of a failed invocation.
 */
export const LEASE_RENEWAL_MARGIN_SECONDS = 300;
/**
 * A backup batch renews its leases (copy slots, work claims) at every poll turn, and its turns are at
 * most IDLE_WAIT_SECONDS apart (lambdas/backup/advance-batch.ts): a lease must outlive that wait and the turn.
 */
export const MIN_LEASE_SECONDS = IDLE_WAIT_SECONDS + LEASE_RENEWAL_MARGIN_SECONDS;

export const copySlotsSchema = z
  .strictObject({
    /**
     * DB snapshot copies in progress into the DR region, across all policies and executions. Above
     * RDS's 20 only if AWS has raised the limit for the account; RDS refuses the copies beyond it.
     */
    instance: z.number().int().min(1).max(100).default(RDS_COPIES_IN_PROGRESS.instance),
    /** DB cluster snapshot copies (Aurora, Multi-AZ DB clusters) in progress into the DR region. RDS allows 5. */
    cluster: z.number().int().min(1).max(100).default(RDS_COPIES_IN_PROGRESS.cluster),
    /**
     * How long a slot stays taken after its holder last renewed it (at each poll turn). A slot whose
     * execution died is free again after at most this long; it must outlive the longest wait between
     * two poll turns (MIN_LEASE_SECONDS), or a slot would lapse under a running copy.
     */
    leaseSeconds: z
      .number()
      .int()
      .min(MIN_LEASE_SECONDS, { error: `must be at least ${MIN_LEASE_SECONDS} s: backup batches renew their leases at poll turns up to ${IDLE_WAIT_SECONDS} s apart, plus ${LEASE_RENEWAL_MARGIN_SECONDS} s for the turn itself` })
      .max(7200)
      .default(1800),
  })
  .prefault({});

export type CopySlotsConfig = z.output<typeof copySlotsSchema>;
