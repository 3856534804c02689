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
     * Stop without deleting when one run would delete more than this many snapshots in total. At most
     * 1,500: the run's deletion list (~120 bytes an item) must fit a Step Functions payload (256 KB).
     */
    maxDeletesPerRun: z.number().int().min(1).max(1500).default(500),
    /** The RDS manual snapshot quota per region (Service Quotas value; RDS default 100). */
    snapshotQuota: z.number().int().min(1).default(100),
    /** Warn when managed + other manual snapshots reach this share of the quota. */
    quotaWarnPercent: z.number().min(1).max(100).default(90),
    maxConcurrency: z.number().int().min(1).max(10).default(5),
  })
  .prefault({});

export type RetentionConfig = z.output<typeof retentionSchema>;
export type PruningConfig = z.output<typeof pruningSchema>;
