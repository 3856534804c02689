// Config for pruning: a GFS policy per region per backup policy, and account-wide safety limits.
import { z } from 'zod';

const counts = z.strictObject({
  daily: z.number().int().min(0).max(3660).default(30),
  weekly: z.number().int().min(0).max(520).default(12),
  monthly: z.number().int().min(0).max(240).default(12),
  yearly: z.number().int().min(0).max(100).default(0),
  /** Kept regardless of age, newest first. Never 0: the last good copy is always kept. */
  minimum: z.number().int().min(1).max(1000).default(3),
});

export const retentionSchema = z
  .strictObject({
    /** Retention in the primary region. */
    primary: counts.prefault({}),
    /** Retention in the DR region (may keep more or fewer). */
    dr: counts.prefault({}),
    /** Periods (days, weeks, months, years) are computed in this IANA time zone. */
    timeZone: z.string().default('UTC'),
    /** Snapshots of a database that no longer exists: keep this many newest ("all" = never delete them). */
    keepDeletedDatabases: z.union([z.literal('all'), z.number().int().min(1)]).default('all'),
  })
  .prefault({});

export const pruningSchema = z
  .strictObject({
    schedule: z
      .strictObject({
        cron: z.string().default('cron(0 5 * * ? *)'),
        timeZone: z.string().default('UTC'),
        enabled: z.boolean().default(true),
      })
      .prefault({}),
    /** Stop without deleting when one run would delete more than this share of a database's snapshots. */
    maxDeleteShare: z.number().gt(0).max(1).default(0.5),
    /**
     * Stop without deleting when one run would delete more than this many snapshots in total: a clock or
     * config error until proven otherwise. The deletions travel in the work bucket, not in the state
     * (a Distributed Map reads them), so this is a safety limit, not a payload one; at most 20,000, about
     * 3 hours of deleting at the default RDS request budget (rdsRequestsPerSecond).
     */
    maxDeletesPerRun: z.number().int().min(1).max(20_000).default(500),
    /** The RDS manual snapshot quota per region (Service Quotas value; RDS default 100). */
    snapshotQuota: z.number().int().min(1).default(100),
    /** Warn when managed + other manual snapshots reach this share of the quota. */
    quotaWarnPercent: z.number().min(1).max(100).default(90),
    /** Deletion batches (child executions of the deletions' Distributed Map) at once. */
    maxConcurrency: z.number().int().min(1).max(10).default(5),
    /**
     * RDS API requests per second the deletions may spend, over all batches at once. RDS allows each
     * account a sustained 12 requests per second per region (bursts of 300), shared by every tool
     * ("Request throttling for the Amazon RDS API", Amazon RDS User Guide): the default leaves two
     * thirds of it to backups, drills and everyone else.
     */
    rdsRequestsPerSecond: z.number().min(0.5).max(10).default(4),
  })
  .prefault({});

export type RetentionConfig = z.output<typeof retentionSchema>;
export type PruningConfig = z.output<typeof pruningSchema>;
