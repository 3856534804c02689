// The slice of the deployment config each Lambda needs at run time, passed as one JSON env var
// (RDSDR_SETTINGS, the only configuration channel to the Lambdas) and parsed once per cold start. CDK builds it with `toRuntimeSettings`.
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
});

export const policySettingsSchema = z.strictObject({
  selection: z.strictObject({
    tags: z.record(z.string(), z.string()),
    instances: z.array(z.string()),
    clusters: z.array(z.string()),
  }),
  maxConcurrency: z.number().int().positive(),
  maxCopiesInFlight: z.number().int().positive(),
  snapshotTimeoutSeconds: z.number().int().positive(),
  copyTimeoutSeconds: z.number().int().positive(),
  retention: retentionSettingsSchema,
  objectives: z
    .strictObject({ rpoPrimaryMinutes: z.number(), rpoDrMinutes: z.number(), rtoMinutes: z.number(), verificationMaxAgeDays: z.number() })
    .optional(),
});

export const databaseChecksSettingsSchema = z.strictObject({
  database: z.string(),
  tables: z.array(z.strictObject({ name: z.string(), minRows: z.number().int(), freshnessColumn: z.string().optional() })),
  rpoMinutes: z.number().int(),
  assertions: z.array(z.strictObject({ name: z.string(), sql: z.string(), expect: z.union([z.string(), z.number(), z.boolean(), z.null()]) })),
  instanceClass: z.string().optional(),
  statementTimeoutSeconds: z.number().int(),
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
  endpoint: z
    .strictObject({
      route53: z.strictObject({ hostedZoneId: z.string(), recordName: z.string(), ttl: z.number().int() }).optional(),
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
  /** DR option group by source option group name, for cross-region copies of snapshots with TDE (Oracle / SQL Server). */
  drOptionGroups: z.record(z.string(), z.string()).optional(),
  policies: z.record(z.string(), policySettingsSchema),
  pruning: pruningSettingsSchema,
  /** S3 bucket (in the DR region) for verification and prune reports. */
  reportsBucket: z.string().optional(),
  verification: verificationSettingsSchema.optional(),
  /** Failover / restore workflows and PITR readiness (config `incident`). */
  incident: incidentSettingsSchema.optional(),
  /** The topic that pages (email + PagerDuty) and the warnings topic (email), both in the primary region. */
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

export const SETTINGS_ENV = 'RDSDR_SETTINGS';

/** Parses RDSDR_SETTINGS; a deployment bug (missing/garbled settings) fails loudly at cold start. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const raw = env[SETTINGS_ENV];
  if (!raw) throw new Error(`${SETTINGS_ENV} is not set`);
  return runtimeSettingsSchema.parse(JSON.parse(raw));
}
