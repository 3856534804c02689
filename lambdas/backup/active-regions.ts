// The active-region records as backup discovery reads them (lambdas/core/active-region.ts).
import type { ActiveRegions } from '../core/active-region.js';
import type { ActiveRegionReadout } from '../aws/ssm-active-region.js';

export interface ActiveRegionLog {
  warn(message: string, extra?: Record<string, unknown>): void;
}

/**
 * The records, as active region per database. The DR deployment reads them in its own region and
 * fails if it cannot: without them it would not know what to protect. The primary deployment reads
 * them across regions (the records live in the DR region); when the DR region cannot be read it goes
 * on as if there were no records, backing up every database of the policy in its own region: a DR
 * outage must never stop the primary's backups, and the worst this can do is snapshot a database that
 * a failover has also made active in the DR region (an extra snapshot, never a missing one).
 * A garbled record is logged and counts as none (the database is then backed up in the primary region).
 */
export async function readActiveRegions(store: { readAll(): Promise<ActiveRegionReadout> }, role: 'primary' | 'dr', log: ActiveRegionLog): Promise<ActiveRegions> {
  let readout: ActiveRegionReadout;
  try {
    readout = await store.readAll();
  } catch (err) {
    if (role === 'dr') throw err;
    log.warn('active-region records unreadable: backing up every selected database in the primary region', { error: `${(err as Error).name}: ${(err as Error).message}` });
    return new Map();
  }
  for (const g of readout.garbled) log.warn('active-region record ignored', g);
  return new Map([...readout.records].map(([db, r]) => [db, r.region]));
}
