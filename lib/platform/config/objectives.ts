import type { RdsDrConfig } from './schema.js';

export type Objectives = RdsDrConfig['policies'][string]['objectives'];

/**
 * The strictest of each objective across policies. Metrics carry no policy, so a database is held
 * to the tightest promise the deployment makes (alarms, dashboard and `rds-dr status` alike).
 */
export function strictestObjectives(config: RdsDrConfig): Objectives {
  const all = Object.values(config.policies).map((p) => p.objectives);
  const min = (pick: (o: Objectives) => number) => Math.min(...all.map(pick));
  return {
    rpoPrimaryMinutes: min((o) => o.rpoPrimaryMinutes),
    rpoDrMinutes: min((o) => o.rpoDrMinutes),
    rtoMinutes: min((o) => o.rtoMinutes),
    verificationMaxAgeDays: min((o) => o.verificationMaxAgeDays),
  };
}
