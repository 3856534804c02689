// Shared config and fleet for the backup integration tests.
export const PRIMARY = 'us-east-1';
export const DR = 'us-west-2';

export function localConfig(overrides: Record<string, unknown> = {}) {
  return {
    appName: 'rds-dr',
    primaryRegion: PRIMARY,
    drRegion: DR,
    alerts: { emails: ['oncall@example.com'] },
    policies: {
      gold: { selection: { tags: { 'rds-dr:policy': 'gold' } }, maxConcurrency: 4 },
    },
    ...overrides,
  };
}
