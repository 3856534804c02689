// The slice of the deployment config each Lambda needs at run time, parsed once per cold start. CDK
// builds it with `toRuntimeSettings` and gives each function only the sections the registry names:
// values filled in at deploy time travel in the RDSDR_SETTINGS variable, the rest in a file bundled
// with the function's code (the only configuration channel to the Lambdas).
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const retentionCountsSchema = z.strictObject({
  daily: z.number().int().min(0),
  weekly: z.number().int().min(0),
  monthly: z.number().int().min(0),
  yearly: z.number().int().min(0),
  minimum: z.number().int().min(1),
});

export const retentionSettingsSchema = z.strictObject({
  primary: retentionCountsSchema,
  dr: retentionCountsSchema,
  timeZone: z.string(),
  keepDeletedDatabases: z.union([z.literal('all'), z.number().int().min(1)]),
});

export const pruningSettingsSchema = z.strictObject({
  maxDeleteShare: z.number(),
  maxDeletesPerRun: z.number().int(),
  snapshotQuota: z.number().int(),
  quotaWarnPercent: z.number(),
  maxConcurrency: z.number().int(),
  /** RDS requests per second the deletions may spend in all (the prune plan paces its batches by it). */
  rdsRequestsPerSecond: z.number().positive(),
});

export const policySettingsSchema = z.strictObject({
  selection: z.strictObject({
    tags: z.record(z.string(), z.string()),
    instances: z.array(z.string()),
    clusters: z.array(z.string()),
  }),
  maxConcurrency: z.number().int().positive(),
  /** No longer read: copies are held account-wide by `copySlots`. */
  maxCopiesInFlight: z.number().int().positive().optional(),
  snapshotTimeoutSeconds: z.number().int().positive(),
  copyTimeoutSeconds: z.number().int().positive(),
  retention: retentionSettingsSchema,
  objectives: z
    .strictObject({ rpoPrimaryMinutes: z.number(), rpoDrMinutes: z.number(), rtoMinutes: z.number(), verificationMaxAgeDays: z.number() })
    .optional(),
});

/** Account-wide copies in progress per destination region, by kind, and the slots' lease (config `copySlots`; core/copy-slots.ts). */
export const copySlotSettingsSchema = z.strictObject({
  instance: z.number().int().positive(),
  cluster: z.number().int().positive(),
  leaseSeconds: z.number().int().positive(),
});

export const databaseChecksSettingsSchema = z.strictObject({
  /** Absent: "postgres" on PostgreSQL engines, none (tables qualified with their database) on MySQL/MariaDB. */
  database: z.string().optional(),
  tables: z.array(z.strictObject({ name: z.string(), minRows: z.number().int(), freshnessColumn: z.string().optional() })),
  rpoMinutes: z.number().int(),
  assertions: z.array(z.strictObject({ name: z.string(), sql: z.string(), expect: z.union([z.string(), z.number(), z.boolean(), z.null()]) })),
  instanceClass: z.string().optional(),
  statementTimeoutSeconds: z.number().int(),
  integrity: z.strictObject({ foreignKeys: z.boolean(), indexes: z.boolean() }),
  drift: z.strictObject({
    enabled: z.boolean(),
    sizeWarnPercent: z.number(),
    sizeCriticalPercent: z.number(),
    tableShrinkPercent: z.number(),
    sizeFloorMiB: z.number(),
    schemaChange: z.enum(['warn', 'fail', 'ignore']),
  }),
});

export const verificationSettingsSchema = z.strictObject({
  /** Region where drills restore (the DR region, where the verification network is). */
  region: z.string(),
  subnetGroupName: z.string(),
  /** Security group(s) attached to throwaway instances; they admit only the verifier. */
  securityGroupIds: z.array(z.string()),
  expiryHours: z.number().int().positive(),
  instanceClasses: z.record(z.string(), z.string()),
  reportsBucket: z.string(),
  policies: z.record(
    z.string(),
    z.strictObject({
      maxConcurrency: z.number().int().positive(),
      /** Databases one scheduled run drills at most, and the age past which a database is overdue. */
      sample: z.strictObject({ perRun: z.number().int().positive(), maxAgeDays: z.number().int().positive() }),
      restoreTimeoutSeconds: z.number().int().positive(),
      databases: z.record(z.string(), databaseChecksSettingsSchema),
    }),
  ),
});

export const incidentDatabaseSettingsSchema = z.strictObject({
  standby: z
    .union([z.strictObject({ replicaInstance: z.string() }), z.strictObject({ globalCluster: z.string(), secondaryCluster: z.string() })])
    .optional(),
  maxReplicaLagSeconds: z.number().int(),
  failback: z
    .strictObject({
      replicaInstance: z.string().optional(),
      standbyInstance: z.string().optional(),
      kmsKeyId: z.string().optional(),
      subnetGroupName: z.string().optional(),
      securityGroupIds: z.array(z.string()).optional(),
      parameterGroupName: z.string().optional(),
    })
    .optional(),
  endpoint: z
    .strictObject({
      route53: z
        .strictObject({ hostedZoneId: z.string(), recordName: z.string(), ttl: z.number().int(), zone: z.enum(['private', 'public']), acceleratedRecovery: z.boolean() })
        .optional(),
      ssmParameter: z.string().optional(),
    })
    .optional(),
  cutover: z.enum(['rename', 'endpoint']),
  pitr: z.strictObject({ minRetentionDays: z.number().int(), replicateToDr: z.boolean(), enforce: z.boolean() }),
});

export const incidentSettingsSchema = z.strictObject({
  databases: z.record(z.string(), incidentDatabaseSettingsSchema),
  waitTimeoutSeconds: z.number().int().positive(),
  pitrMinRetentionDays: z.number().int().positive(),
});

export const runtimeSettingsSchema = z.strictObject({
  appName: z.string(),
  primaryRegion: z.string(),
  drRegion: z.string(),
  /** Key ARN, alias ARN or alias name of the customer-managed key that encrypts DR copies. */
  drKmsKeyId: z.string(),
  /** Key (ARN, alias ARN) in the primary region for the DR region's backup copies of failed-over databases (config incident.failbackKmsKeyArn, else alias/aws/rds). */
  failbackKmsKeyId: z.string().optional(),
  /**
   * Which deployment of the backup workflow this function belongs to: the primary region's (snapshots
   * there, copies to the DR region) or the DR region's (snapshots the databases failed over there,
   * copies back to the primary region). Absent: primary.
   */
  backupRole: z.enum(['primary', 'dr']).optional(),
  /**
   * Which deployment of the RPO monitor this function is (lambdas/monitor/series-owner.ts): the primary
   * region's (live ages of the databases active there) or the DR region's (copy ages of every database,
   * both ages of the databases a failover made active there). Absent: primary.
   */
  monitorRole: z.enum(['primary', 'dr']).optional(),
  /**
   * Which deployment of the prune workflow this function belongs to: the primary region's (the
   * primary region's snapshots and the DR copies) or the DR region's (the snapshots the DR region's
   * backup took there of failed-over databases). Absent: primary. lambdas/core/retention/ownership.ts.
   */
  pruneRole: z.enum(['primary', 'dr']).optional(),
  /** Which of the sections below this function was given (lib/platform/registry.ts lists them per Lambda). */
  sections: z.array(z.enum(['policies', 'pruning', 'verification', 'incident'])),
  policies: z.record(z.string(), policySettingsSchema).optional(),
  pruning: pruningSettingsSchema.optional(),
  /** DR option group by source option group name, for cross-region copies of snapshots with TDE (Oracle / SQL Server). */
  drOptionGroups: z.record(z.string(), z.string()).optional(),
  /** Cross-region copies every policy and execution together may have in progress (taken as slots in the coordination table). */
  copySlots: copySlotSettingsSchema,
  /** RDS writes per second one backup run makes, shared by its batches (config `backupRdsWritesPerSecond`). */
  backupRdsWritesPerSecond: z.number().positive().optional(),
  /**
   * The coordination table (copy slots, work ledger; primary region), for the functions deployed beside
   * it; a name CloudFormation fills in, so it travels in the environment.
   */
  coordinationTable: z.string().optional(),
  /** S3 bucket (in the DR region) for verification and prune reports, when the function is deployed beside it (DR stack). */
  reportsBucket: z.string().optional(),
  /**
   * Elsewhere (the primary region): the SSM String parameter, in the DR region, holding that bucket's
   * name (the DR stack publishes it; the name changes each time the DR stack is created).
   */
  reportsBucketParameter: z.string().startsWith('/').optional(),
  /** The work bucket of this function's stack (same region): plans, Distributed Map results, full run reports. */
  workBucket: z.string().optional(),
  verification: verificationSettingsSchema.optional(),
  /** Failover / restore workflows and PITR readiness (config `incident`). */
  incident: incidentSettingsSchema.optional(),
  /**
   * The topic that pages (email + PagerDuty) and the warnings topic (email), both in the function's own
   * region: each stack has its own, so a region pages without the other.
   */
  alertTopicArn: z.string().startsWith('arn:'),
  warningTopicArn: z.string().startsWith('arn:'),
  /** How the drill verifier checks the restored database's TLS certificate (RDS CA bundle in AWS). */
  verifierSslMode: z.enum(['disable', 'require', 'verify-full']),
});

export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;
export type PolicySettings = z.infer<typeof policySettingsSchema>;
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;
export type PruningSettings = z.infer<typeof pruningSettingsSchema>;
export type VerificationSettings = z.infer<typeof verificationSettingsSchema>;
export type IncidentSettings = z.infer<typeof incidentSettingsSchema>;
export type IncidentDatabaseSettings = z.infer<typeof incidentDatabaseSettingsSchema>;
export type DatabaseChecksSettings = z.infer<typeof databaseChecksSettingsSchema>;
export type CopySlotSettings = z.infer<typeof copySlotSettingsSchema>;

export const SETTINGS_ENV = 'RDSDR_SETTINGS';

/** The parts of the settings that grow with the config; each Lambda gets only those it names. */
export type SettingsSection = RuntimeSettings['sections'][number];
export const SETTINGS_SECTIONS: readonly SettingsSection[] = ['policies', 'pruning', 'verification', 'incident'];

/**
 * Settings with the named sections delivered. `policies` and `pruning` always exist in a config, so
 * delivered they are present; `verification` and `incident` stay optional (a deployment may have none).
 */
export type SettingsWith<K extends SettingsSection> = RuntimeSettings & { [P in K & ('policies' | 'pruning')]-?: NonNullable<RuntimeSettings[P]> };

/** Every section delivered: what `toRuntimeSettings` builds before it is sliced per function. */
export type FullSettings = SettingsWith<SettingsSection>;

/**
 * Where the deployed function finds the settings that do not fit the environment: CDK bundles them
 * beside the handler (lib/platform/rds-dr-function.ts), because Lambda allows 4 KB of environment in
 * total and a large config's drill checks alone take ~100 KB. The environment keeps only values
 * CloudFormation fills in at deploy time (ARNs with the account id, generated names).
 */
export const BUNDLED_SETTINGS_FILE = 'rds-dr-settings.json';
const BUNDLED_MARKER = '$bundled';

/** Only what `sections` names, and the list itself, so a function cannot read a section it was not given. */
export function sliceSettings<K extends SettingsSection>(settings: RuntimeSettings, sections: readonly K[]): SettingsWith<K> {
  const sliced: Record<string, unknown> = { ...settings, sections: [...sections] };
  for (const section of SETTINGS_SECTIONS) if (!sections.includes(section as K)) delete sliced[section];
  return sliced as SettingsWith<K>;
}

/** `extra` laid over `base`, object by object (arrays and scalars are replaced). */
export function mergeSettings(base: unknown, extra: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(base) || !isObject(extra)) return extra === undefined ? base : extra;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) merged[key] = mergeSettings(base[key], value);
  return merged;
}

/**
 * Parses RDSDR_SETTINGS (plus the bundled file it points to) once per cold start; a deployment bug
 * (missing or garbled settings, a section the function needs but was not given) fails loudly here.
 */
export function readSettings<K extends SettingsSection = never>(needs: readonly K[] = [], env: NodeJS.ProcessEnv = process.env): SettingsWith<K> {
  const raw = env[SETTINGS_ENV];
  if (!raw) throw new Error(`${SETTINGS_ENV} is not set`);
  const { [BUNDLED_MARKER]: bundled, ...deployed } = JSON.parse(raw) as Record<string, unknown>;
  let value: unknown = deployed;
  if (bundled) {
    // LAMBDA_TASK_ROOT: "the path to your Lambda function code" (Lambda's reserved environment variables).
    const path = `${env.LAMBDA_TASK_ROOT ?? '.'}/${String(bundled)}`;
    value = mergeSettings(JSON.parse(readFileSync(path, 'utf8')), deployed);
  }
  const settings = runtimeSettingsSchema.parse(value);
  for (const section of needs) {
    const missing = !settings.sections.includes(section) || ((section === 'policies' || section === 'pruning') && !settings[section]);
    if (missing) throw new Error(`${SETTINGS_ENV}.${section} was not delivered to this function; lib/platform/registry.ts (LAMBDA_SETTINGS) lists what each Lambda gets`);
  }
  return settings as SettingsWith<K>;
}
