// Config for the incident workflows (failover, point-in-time and snapshot restore) and for the
// PITR-readiness check: per protected database, its standby, how applications find the writer
// (Route 53 record and/or SSM parameter) and how a restored database replaces the original.
import { z } from 'zod';

const dbIdentifier = z
  .string()
  .regex(/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/, {
    error: 'must be an RDS identifier: 1-63 letters, digits or hyphens, starting with a letter, no "--"',
  })
  .refine((s) => !s.endsWith('-'), { error: 'must not end with a hyphen' });

/** Where the standby lives: a cross-region read replica of an instance, or an Aurora global database secondary. */
export const standbySchema = z.union([
  z.strictObject({
    /** Identifier of the cross-region read replica (in drRegion) of this RDS instance. */
    replicaInstance: dbIdentifier,
  }),
  z.strictObject({
    /** Aurora global database that contains this cluster. */
    globalCluster: dbIdentifier,
    /** Identifier of the secondary cluster in drRegion that becomes the writer. */
    secondaryCluster: dbIdentifier,
  }),
]);

/** How applications find the writer; the cutover step updates every target listed. */
export const endpointTargetsSchema = z
  .strictObject({
    route53: z
      .strictObject({
        hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, { error: 'must be a Route 53 hosted zone id (Z...)' }),
        /** The CNAME applications connect to, e.g. orders-db.internal.example.com */
        recordName: z
          .string()
          .regex(/^([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}\.?$/, { error: 'must be a DNS name like orders-db.internal.example.com' }),
        ttl: z.number().int().min(0).max(86400).default(60),
        /**
         * The hosted zone's kind. Route 53 changes records through its control plane in us-east-1; a
         * private zone's records cannot be changed while us-east-1 is impaired.
         */
        zone: z.enum(['private', 'public']).default('private'),
        /**
         * Accelerated recovery is turned on for this public zone (UpdateHostedZoneFeatures): ~60 minutes
         * into a us-east-1 impairment Route 53 takes changes again through us-west-2. Public zones only
         * ("Enabling accelerated recovery for managing public DNS records", Route 53 Developer Guide).
         */
        acceleratedRecovery: z.boolean().default(false),
      })
      .refine((r) => !r.acceleratedRecovery || r.zone === 'public', {
        error: 'acceleratedRecovery is available only for public hosted zones: set zone "public", or turn it off',
        path: ['acceleratedRecovery'],
      })
      .optional(),
    /** SSM String parameter holding the writer endpoint (host name), written in both regions. */
    ssmParameter: z
      .string()
      .regex(/^\/[a-zA-Z0-9_.\-/]{1,1010}$/, { error: 'must be an SSM parameter name starting with "/" (letters, digits, _ . - /)' })
      .optional(),
  })
  .refine((e) => e.route53 !== undefined || e.ssmParameter !== undefined, { error: 'set route53 and/or ssmParameter' });

/**
 * Where the failback puts the database back in primaryRegion (a cross-region read replica of the
 * promoted DR instance, then promoted) and the new DR standby. Any placement field left out is taken
 * from the original primary instance (`<db>` in primaryRegion) while it still exists.
 */
export const failbackSchema = z.strictObject({
  /** Identifier of the replica created in primaryRegion (it becomes the primary). Default: the database identifier. */
  replicaInstance: dbIdentifier.optional(),
  /** Identifier of the new standby replica created in drRegion from the new primary. Default: `<db>-standby`. */
  standbyInstance: dbIdentifier.optional(),
  /** primaryRegion KMS key (id, ARN or alias) for the replica of an encrypted database. */
  kmsKeyId: z.string().min(1).optional(),
  subnetGroupName: z.string().min(1).optional(),
  securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: 'must be a security group id (sg-...)' })).min(1).optional(),
  parameterGroupName: z.string().min(1).optional(),
});

export const incidentDatabaseSchema = z.strictObject({
  standby: standbySchema.optional(),
  /** Failover refuses (without force) when the standby lags more than this. */
  maxReplicaLagSeconds: z.number().int().min(0).max(86400).default(300),
  /** Failback of a promoted DR instance to primaryRegion (failback workflow). */
  failback: failbackSchema.optional(),
  /** Updated on failover and on a restore with cutover "endpoint". */
  endpoint: endpointTargetsSchema.optional(),
  /** How a restore with cutover replaces the database: rename identifiers, or repoint `endpoint`. */
  cutover: z.enum(['rename', 'endpoint']).default('rename'),
  /** PITR readiness, checked by every scheduled backup run. */
  pitr: z
    .strictObject({
      /** Automated backups must be on with at least this retention. */
      minRetentionDays: z.number().int().min(1).max(35).default(7),
      /** Automated backups must also be replicated to drRegion (RDS instances only). */
      replicateToDr: z.boolean().default(false),
      /** Start the replication (StartDBInstanceAutomatedBackupsReplication) when it is missing. */
      enforce: z.boolean().default(false),
    })
    .prefault({}),
});

export const incidentSchema = z
  .strictObject({
    /** Keyed by the database identifier in primaryRegion (instance or cluster). */
    databases: z.record(dbIdentifier, incidentDatabaseSchema).default({}),
    /** Bound on waiting for a promotion / restore to finish. */
    waitTimeoutMinutes: z.number().int().min(10).max(24 * 60).default(180),
    /** PITR readiness defaults for protected databases not listed in `databases`. */
    pitrMinRetentionDays: z.number().int().min(1).max(35).default(7),
    /**
     * Key in primaryRegion for the copies the DR region's backup makes of a failed-over database
     * (back to the primary region, ready for failback). Omitted: the primary region's AWS managed RDS
     * key (alias/aws/rds), which every account has; name a customer-managed key to control its policy
     * (e.g. to share the copies with another account). Checked: a key ARN in primaryRegion.
     */
    failbackKmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/, { error: 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)' })
      .optional(),
  })
  .prefault({});

export type IncidentConfig = z.output<typeof incidentSchema>;
export type IncidentDatabaseConfig = z.output<typeof incidentDatabaseSchema>;
