// Which optional workflows a config deploys: read by the stacks, and by the constructs that depend on them.
import type { RdsDrConfig } from './schema.js';

/** True when some policy has restore drills (the schema then guarantees config.verification). */
export const hasRestoreDrills = (config: RdsDrConfig): boolean =>
  config.verification !== undefined && Object.values(config.policies).some((p) => p.verify);

/**
 * True when some database has a standby (incident.databases.<db>.standby). Without one there is
 * nothing to fail over to, so no failover workflow (and no promotion permission) is deployed.
 */
export const hasFailover = (config: RdsDrConfig): boolean => Object.values(config.incident.databases).some((d) => d.standby !== undefined);
