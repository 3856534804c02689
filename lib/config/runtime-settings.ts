import type { RuntimeSettings } from '../../lambdas/shared/settings.js';
import type { RdsDrConfig } from './schema.js';

/** Alias of the DR copy key when the DR stack creates it; RDS accepts the alias ARN as KmsKeyId. */
export function drKeyAliasName(config: RdsDrConfig): string {
  return `alias/${config.appName}/dr-snapshots`;
}

/** Projects the validated config onto what the Lambdas need at run time. */
export function toRuntimeSettings(config: RdsDrConfig, accountId: string): RuntimeSettings {
  return {
    appName: config.appName,
    primaryRegion: config.primaryRegion,
    drRegion: config.drRegion,
    drKmsKeyId: config.drKmsKeyArn ?? `arn:aws:kms:${config.drRegion}:${accountId}:${drKeyAliasName(config)}`,
    policies: Object.fromEntries(
      Object.entries(config.policies).map(([name, p]) => [
        name,
        {
          selection: p.selection,
          maxConcurrency: p.maxConcurrency,
          maxCopiesInFlight: p.maxCopiesInFlight,
          snapshotTimeoutSeconds: p.snapshotTimeoutMinutes * 60,
          copyTimeoutSeconds: p.copyTimeoutMinutes * 60,
        },
      ]),
    ),
  };
}
