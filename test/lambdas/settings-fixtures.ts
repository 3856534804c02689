import type { PolicySettings, RetentionSettings } from '../../lambdas/core/settings.js';

/** The default retention, as the config schema fills it in. */
export const DEFAULT_RETENTION: RetentionSettings = {
  primary: { daily: 30, weekly: 12, monthly: 12, yearly: 0, minimum: 3 },
  dr: { daily: 30, weekly: 12, monthly: 12, yearly: 0, minimum: 3 },
  timeZone: 'UTC',
  keepDeletedDatabases: 'all',
};

/** The settings every Lambda gets besides the policies, for tests that build FullSettings by hand. */
export const BASE_SETTINGS = {
  alertTopicArn: 'arn:aws:sns:us-east-1:123456789012:rds-dr-alerts',
  warningTopicArn: 'arn:aws:sns:us-east-1:123456789012:rds-dr-warnings',
  verifierSslMode: 'verify-full',
  copySlots: { instance: 20, cluster: 5, leaseSeconds: 1800 },
  sections: ['policies', 'pruning', 'verification', 'incident'] as ('policies' | 'pruning' | 'verification' | 'incident')[],
} as const;

/** A policy's settings with the schema's defaults, overridden where a test cares. */
export function policy(overrides: Partial<PolicySettings> = {}): PolicySettings {
  return {
    selection: { tags: { 'rds-dr:policy': 'gold' }, instances: [], clusters: [] },
    maxConcurrency: 5,
    snapshotTimeoutSeconds: 21_600,
    copyTimeoutSeconds: 43_200,
    retention: DEFAULT_RETENTION,
    ...overrides,
  };
}
