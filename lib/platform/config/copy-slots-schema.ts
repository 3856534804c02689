// Config for the account-wide copy-slot semaphore (lambdas/core/copy-slots.ts): how many
// cross-region copies every policy and execution together may have in progress, and how long a
// slot's lease outlives its holder's last renewal.
import { z } from 'zod';
import { longestWaitSeconds } from '../../../lambdas/core/wait-budget.js';

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
     * two poll turns of a copy (validated per policy), or a slot would lapse under a running copy.
     */
    leaseSeconds: z.number().int().min(120).max(7200).default(1800),
  })
  .prefault({});

export type CopySlotsConfig = z.output<typeof copySlotsSchema>;

/**
 * What is wrong with the lease, if anything: a copy's poll loop waits up to longestWaitSeconds(copy
 * timeout) between turns (lambdas/core/wait-budget.ts), and its slot must survive that wait. Names
 * the policy whose copies wait longest.
 */
export function copySlotLeaseProblem(copySlots: CopySlotsConfig, policies: Record<string, { copyTimeoutMinutes: number }>): string | undefined {
  const [longest] = Object.entries(policies)
    .map(([name, p]) => ({ name, minutes: p.copyTimeoutMinutes, wait: longestWaitSeconds(p.copyTimeoutMinutes * 60) }))
    .sort((a, b) => b.wait - a.wait);
  if (!longest) return undefined;
  const needed = longest.wait + LEASE_RENEWAL_MARGIN_SECONDS;
  if (copySlots.leaseSeconds >= needed) return undefined;
  return `must be at least ${needed} s: policy "${longest.name}" (copyTimeoutMinutes ${longest.minutes}) waits up to ${longest.wait} s between two polls of a copy, which renew its slot, plus ${LEASE_RENEWAL_MARGIN_SECONDS} s for the poll itself`;
}
