import { strictestObjectives as strictestOf } from '../../../lambdas/monitor/recovery-judgement.js';
import type { RdsDrConfig } from './schema.js';

export type Objectives = RdsDrConfig['policies'][string]['objectives'];

/**
 * The strictest of each objective across policies. Metrics carry no policy, so a database is held
 * to the tightest promise the deployment makes (alarms, dashboard and `rds-dr status` alike).
 */
export function strictestObjectives(config: RdsDrConfig): Objectives {
  return strictestOf(Object.values(config.policies).map((p) => p.objectives));
}
