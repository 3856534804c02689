// Which of the drilled databases live in the drill's own region after a failover, and as which
// promoted database: the drill then restores that database's own snapshots (drill-plan.ts
// drillSnapshot). Read in the drill's region only (the records and the promoted databases are both
// there), so a drill never needs the primary region, which may be the one that is down.
import type { ActiveRegionReadout } from '../aws/ssm-active-region.js';
import { promotedActiveIn } from '../core/active-selection.js';
import type { Fleet } from '../core/fleet.js';

export interface PromotedSourcesLog {
  warn(message: string, extra?: Record<string, unknown>): void;
}

/**
 * Promoted database identifiers per protected database active in `region`. No record pointing at
 * `region`: an empty map without listing the fleet. An unreadable record store fails the plan (the
 * region's own SSM): drilling the stale copies instead would prove a database that is no longer live.
 */
export async function readPromotedSources(
  records: { readAll(): Promise<ActiveRegionReadout> },
  fleet: { list(): Promise<Fleet> },
  region: string,
  log: PromotedSourcesLog,
): Promise<Map<string, string[]>> {
  const readout = await records.readAll();
  for (const g of readout.garbled) log.warn('active-region record ignored', g);
  const active = new Map([...readout.records].map(([db, r]) => [db, r.region]));
  if (![...active.values()].includes(region)) return new Map();
  return promotedActiveIn(await fleet.list(), active, region);
}
