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

/**
 * The databases a failback can return to the primary region: every database with a standby — a
 * cross-region read replica (a replica back, then a switch) or an Aurora global database (a
 * switchover back to the original cluster).
 */
export const failbackDatabases = (config: RdsDrConfig): string[] =>
  Object.entries(config.incident.databases)
    .filter(([, d]) => d.standby !== undefined)
    .map(([db]) => db);

/** True when some database can fail back (see failbackDatabases). */
export const hasFailback = (config: RdsDrConfig): boolean => failbackDatabases(config).length > 0;
