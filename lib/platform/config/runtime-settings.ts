import { SETTINGS_SECTIONS, type SettingsSection, type SettingsWith } from '../../../lambdas/core/settings.js';
import type { RdsDrConfig } from './schema.js';

/** Alias of the DR copy key when the DR stack creates it; RDS accepts the alias ARN as KmsKeyId. */
export function drKeyAliasName(config: RdsDrConfig): string {
  return `alias/${config.appName}/dr-snapshots`;
}

// Deterministic names, so every Lambda reaches its region's topics without a stack reference. Topic
// names and key aliases are regional: each stack creates its own topics under the same names.
export const alertTopicName = (config: RdsDrConfig): string => `${config.appName}-alerts`;
/** The warning topic (email only; one per stack, like the alert topic). */
export const warningTopicName = (config: RdsDrConfig): string => `${config.appName}-warnings`;

/** Aliases of the topics' keys: publishers are granted their region's key by alias (kms:ResourceAliases). */
export const alertKeyAliasName = (config: RdsDrConfig): string => `alias/${config.appName}/alerts`;
export const warningKeyAliasName = (config: RdsDrConfig): string => `alias/${config.appName}/warnings`;

/** Where a function is deployed: its stack's account and region. */
export interface Deployment {
  readonly account: string;
  readonly region: string;
}

/**
 * ARN of the alert topic in the region of `at`, built from its fixed name. A function is given its own
 * region's topic, so a region's alerts never depend on the other region being up.
 */
export function alertTopicArn(config: RdsDrConfig, at: Deployment): string {
  return `arn:aws:sns:${at.region}:${at.account}:${alertTopicName(config)}`;
}

/** ARN of the warning topic in the region of `at`, built from its fixed name. */
export function warningTopicArn(config: RdsDrConfig, at: Deployment): string {
  return `arn:aws:sns:${at.region}:${at.account}:${warningTopicName(config)}`;
}

/** Names of deployed resources the verification Lambdas need (tokens in CDK, real names locally). */
export interface VerificationResources {
  subnetGroupName: string;
  securityGroupIds: string[];
  reportsBucket: string;
}

/**
 * How a function finds the reports bucket (DR region): its name (a reference to the bucket, in the DR
 * stack), or the SSM parameter in the DR region that holds the name (functions in the primary region).
 */
export type ReportsBucketRef = string | { readonly parameter: string };

/** The coordination table's name (copy slots, work ledger; primary stack): fixed, so the local AWS and the CLI find it too. */
export const coordinationTableName = (config: RdsDrConfig): string => `${config.appName}-coordination`;

/**
 * Projects the validated config onto what the Lambdas need at run time, for a function deployed `at`
 * (its stack's account and region: the topics it publishes to are that region's). `coordinationTable`:
 * the coordination table's name, for functions deployed beside it (a reference in CDK).
 */
export function toRuntimeSettings(
  config: RdsDrConfig,
  at: Deployment,
  verification?: VerificationResources,
  reports: ReportsBucketRef | undefined = verification?.reportsBucket,
  coordinationTable?: string,
): SettingsWith<SettingsSection> {
  const drilled = Object.entries(config.policies).filter(([, p]) => p.verify);
  return {
    appName: config.appName,
    primaryRegion: config.primaryRegion,
    drRegion: config.drRegion,
    drKmsKeyId: config.drKmsKeyArn ?? `arn:aws:kms:${config.drRegion}:${at.account}:${drKeyAliasName(config)}`,
    drOptionGroups: config.drOptionGroups,
    alertTopicArn: alertTopicArn(config, at),
    warningTopicArn: warningTopicArn(config, at),
    verifierSslMode: 'verify-full',
    sections: [...SETTINGS_SECTIONS],
    policies: Object.fromEntries(
      Object.entries(config.policies).map(([name, p]) => [
        name,
        {
          selection: p.selection,
          maxConcurrency: p.maxConcurrency,
          snapshotTimeoutSeconds: p.snapshotTimeoutMinutes * 60,
          copyTimeoutSeconds: p.copyTimeoutMinutes * 60,
          retention: p.retention,
          objectives: p.objectives,
        },
      ]),
    ),
    copySlots: { instance: config.copySlots.instance, cluster: config.copySlots.cluster, leaseSeconds: config.copySlots.leaseSeconds },
    backupRdsWritesPerSecond: config.backupRdsWritesPerSecond,
    coordinationTable,
    reportsBucket: typeof reports === 'string' ? reports : undefined,
    reportsBucketParameter: typeof reports === 'object' ? reports.parameter : undefined,
    pruning: {
      maxDeleteShare: config.pruning.maxDeleteShare,
      maxDeletesPerRun: config.pruning.maxDeletesPerRun,
      snapshotQuota: config.pruning.snapshotQuota,
      quotaWarnPercent: config.pruning.quotaWarnPercent,
      maxConcurrency: config.pruning.maxConcurrency,
      rdsRequestsPerSecond: config.pruning.rdsRequestsPerSecond,
    },
    incident: {
      databases: config.incident.databases,
      waitTimeoutSeconds: config.incident.waitTimeoutMinutes * 60,
      pitrMinRetentionDays: config.incident.pitrMinRetentionDays,
    },
    verification:
      verification && config.verification && drilled.length > 0
        ? {
            region: config.drRegion,
            ...verification,
            expiryHours: config.verification.expiryHours,
            instanceClasses: config.verification.instanceClasses,
            policies: Object.fromEntries(
              drilled.map(([name, p]) => [
                name,
                {
                  maxConcurrency: p.verify!.maxConcurrency,
                  sample: { perRun: p.verify!.sample.perRun, maxAgeDays: p.verify!.sample.maxAgeDays ?? p.objectives.verificationMaxAgeDays },
                  restoreTimeoutSeconds: p.verify!.restoreTimeoutMinutes * 60,
                  databases: p.verify!.databases,
                },
              ]),
            ),
          }
        : undefined,
  };
}
