// The slice of the deployment config each Lambda needs at run time, passed as one JSON env var
// (RDSDR_SETTINGS) and parsed once per cold start. CDK builds it with `toRuntimeSettings`.
import { z } from 'zod';

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
});

export const runtimeSettingsSchema = z.strictObject({
  appName: z.string(),
  primaryRegion: z.string(),
  drRegion: z.string(),
  /** Key ARN, alias ARN or alias name of the customer-managed key that encrypts DR copies. */
  drKmsKeyId: z.string(),
  policies: z.record(z.string(), policySettingsSchema),
});

export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;
export type PolicySettings = z.infer<typeof policySettingsSchema>;

export const SETTINGS_ENV = 'RDSDR_SETTINGS';

/** Parses RDSDR_SETTINGS; a deployment bug (missing/garbled settings) fails loudly at cold start. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const raw = env[SETTINGS_ENV];
  if (!raw) throw new Error(`${SETTINGS_ENV} is not set`);
  return runtimeSettingsSchema.parse(JSON.parse(raw));
}
