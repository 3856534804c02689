// Config for restore drills: the isolated network the throwaway instances and the verifier use,
// and per policy which databases to drill and what to check in them.
import { z } from 'zod';

const sqlIdentifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/, {
    error: 'must be a SQL identifier, optionally schema-qualified (e.g. public.orders)',
  });

export const tableCheckSchema = z.strictObject({
  name: sqlIdentifier,
  /** The restored table must hold at least this many rows. */
  minRows: z.number().int().min(0).default(1),
  /** Timestamp column whose newest value must be within the RPO of the snapshot time. */
  freshnessColumn: sqlIdentifier.optional(),
});

export const assertionSchema = z.strictObject({
  name: z.string().min(1).max(64),
  /** A read-only query returning one row with one column; run in a READ ONLY transaction with a statement timeout. */
  sql: z
    .string()
    .min(1)
    .refine((s) => /^\s*(select|with|values|table)\b/i.test(s), { error: 'must be a read-only query starting with SELECT, WITH, VALUES or TABLE' }),
  /** The value the query's single cell must equal (compared as text when not a number/boolean/null). */
  expect: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

export const integrityChecksSchema = z.strictObject({
  /** Per foreign-key constraint, count the rows whose key points at no parent row (expected: 0). */
  foreignKeys: z.boolean().default(true),
  /**
   * Index validity: PostgreSQL amcheck's bt_index_check (heapallindexed) on the B-tree indexes of the listed
   * tables, where the extension is available; MySQL/MariaDB CHECK TABLE on the listed tables.
   */
  indexes: z.boolean().default(true),
});

export const driftChecksSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Database size outside +-this % of the last good drill's: a warning. */
    sizeWarnPercent: z.number().min(1).max(1000).default(20),
    /** Database size outside +-this % of the last good drill's: the drill fails. */
    sizeCriticalPercent: z.number().min(1).max(1000).default(50),
    /** A table that lost more than this % of its rows since the last good drill fails the drill. */
    tableShrinkPercent: z.number().min(1).max(100).default(50),
    /**
     * A size change smaller than this (MiB) is never drift, whatever its %: small databases grow in whole
     * allocation units (InnoDB extents of 1 MiB, DATA_LENGTH an estimate). 0 judges every change by % alone.
     */
    sizeFloorMiB: z.number().min(0).max(1024).default(1),
    /** What a schema change (tables, columns, types, indexes, constraints) is: reported as a warning, a failure, or not at all. */
    schemaChange: z.enum(['warn', 'fail', 'ignore']).default('warn'),
  })
  .refine((d) => d.sizeCriticalPercent >= d.sizeWarnPercent, { error: 'sizeCriticalPercent must be at least sizeWarnPercent', path: ['sizeCriticalPercent'] });

export const databaseChecksSchema = z.strictObject({
  /**
   * The database (inside the instance) to connect to. Default: "postgres" on PostgreSQL engines; on
   * MySQL and MariaDB none, so table names must then be qualified with their database (shop.orders).
   */
  database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/, { error: 'must be a database name (letters, digits, _ $ -; 1-63 characters)' }).optional(),
  tables: z.array(tableCheckSchema).default([]),
  /** Freshness bound: a table's newest row may be at most this much older than the snapshot. */
  rpoMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  assertions: z.array(assertionSchema).default([]),
  /** Overrides the smallest class for the engine. */
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class like db.t4g.micro' }).optional(),
  statementTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  /** Built-in integrity checks, on by default: rows whose foreign keys point at nothing; index validity (amcheck / CHECK TABLE). */
  integrity: integrityChecksSchema.prefault({}),
  /** Drift against the last passing drill's fingerprint of this database (row counts, size, schema). */
  drift: driftChecksSchema.prefault({}),
});

export const DEFAULT_INSTANCE_CLASSES: Record<string, string> = {
  postgres: 'db.t4g.micro',
  mysql: 'db.t4g.micro',
  mariadb: 'db.t4g.micro',
  'aurora-postgresql': 'db.t4g.medium',
  'aurora-mysql': 'db.t4g.medium',
};

export const verificationNetworkSchema = z.strictObject({
  /** VPC in the DR region for throwaway instances and the verifier Lambda. */
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'must be a VPC id (vpc-...)' }),
  /** Isolated (no internet route) subnets in at least two AZs, as an RDS subnet group requires. */
  subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'must be a subnet id (subnet-...)' })).min(2, {
    error: 'need at least two subnets in different AZs (an RDS subnet group requires two AZs)',
  }),
  availabilityZones: z.array(z.string()).min(2).optional(),
  /** Existing DB subnet group to restore into; omit to have the DR stack create one from subnetIds. */
  dbSubnetGroupName: z.string().min(1).max(255).optional(),
  /** Create a Secrets Manager interface endpoint so the verifier can read the managed password from isolated subnets. */
  createSecretsManagerEndpoint: z.boolean().default(true),
  instanceClasses: z.record(z.string(), z.string()).default(DEFAULT_INSTANCE_CLASSES),
  /** A throwaway instance older than this is deleted by the hourly sweeper. */
  expiryHours: z.number().int().min(1).max(48).default(6),
  /** Verification reports are kept this long in S3. */
  reportRetentionDays: z.number().int().min(30).max(3650).default(400),
});

/**
 * A quarter of RDS's default per-region quota of 40 DB instances ("Quotas in Amazon RDS", Amazon RDS
 * User Guide): the throwaways of one policy's drill never crowd out standbys, replicas or restores.
 */
export const MAX_CONCURRENT_RESTORES_PER_POLICY = 10;
/**
 * Databases one drill run restores at most. It bounds the run (and its plan's `missing` list in the
 * state, 256 KiB per Step Functions payload); a policy larger than this is covered over several runs.
 */
export const MAX_DRILLS_PER_RUN = 250;

export const verifyPolicySchema = z.strictObject({
  schedule: z
    .strictObject({
      cron: z.string().default('cron(0 3 ? * SUN *)'),
      timeZone: z.string().default('UTC'),
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * Throwaway restores of one drill run in flight at once (the Distributed Map's MaxConcurrency). Each
   * is a DB instance (an Aurora drill: a cluster plus one instance) counted against the DR region's
   * "DB instances" quota, 40 by default and shared with every other database there ("Quotas in Amazon
   * RDS", Amazon RDS User Guide), so one policy may take at most a quarter of it.
   */
  maxConcurrency: z.number().int().min(1).max(MAX_CONCURRENT_RESTORES_PER_POLICY).default(2),
  /**
   * Drills at scale: each run restores at most `perRun` databases, those drilled longest ago (never
   * drilled first), so every database is drilled at least every `maxAgeDays` when perRun x runs in
   * maxAgeDays covers the policy; the run's summary warns when overdue databases did not fit.
   * `maxAgeDays` defaults to the policy's objectives.verificationMaxAgeDays (the age the monitor flags).
   */
  sample: z
    .strictObject({
      perRun: z.number().int().min(1).max(MAX_DRILLS_PER_RUN).default(20),
      maxAgeDays: z.number().int().min(1).max(90).optional(),
    })
    .prefault({}),
  restoreTimeoutMinutes: z.number().int().min(10).max(720).default(120),
  /** Restore the DR copy (default: what a regional disaster leaves you) or the primary snapshot. */
  source: z.enum(['dr']).default('dr'),
  /** Databases of this policy to drill, keyed by DB instance / cluster identifier, with their checks. */
  databases: z
    .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, { error: 'must be an RDS identifier' }), databaseChecksSchema)
    .refine((d) => Object.keys(d).length > 0, { error: 'name at least one database to drill' }),
});

export type VerificationNetwork = z.output<typeof verificationNetworkSchema>;
export type VerifyPolicy = z.output<typeof verifyPolicySchema>;
export type DatabaseChecks = z.output<typeof databaseChecksSchema>;
