// Everything the retention plan needs from RDS, through the shared readers.
import { awsClients } from '../aws/clients.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import type { Fleet } from '../core/fleet.js';
import { PURPOSE, TAG } from '../core/naming.js';
import type { PruneRole } from '../core/retention/ownership.js';
import { tagValueOf } from '../core/snapshots.js';
import type { Inventory } from './retention-inventory.js';

/** The snapshots running drills restored from (only the DR region has drills). */
function drillSources(drDbs: Fleet): Set<string> {
  const inUse = new Set<string>();
  for (const db of [...drDbs.instances, ...drDbs.clusters]) {
    if (tagValueOf(db.tags, TAG.purpose) !== PURPOSE.drill) continue;
    const source = tagValueOf(db.tags, TAG.sourceSnapshot);
    if (source) inUse.add(source);
  }
  return inUse;
}

const ids = (fleet: Fleet) => [...fleet.instances, ...fleet.clusters].map((d) => d.id);

/**
 * The primary deployment: snapshots in both regions, the primary region's databases and the DR
 * region's promoted ones (the primary region holds their copies), and the snapshots drills use.
 * The DR deployment: the DR region alone (it must work with the primary region down).
 */
export async function readInventory(role: PruneRole, primaryRegion: string, drRegion: string): Promise<Inventory> {
  if (role === 'dr') {
    const [drSnaps, drDbs] = await Promise.all([new RdsSnapshotCatalog(awsClients.rds(drRegion)).list('all'), new RdsFleetReader(awsClients.rds(drRegion)).list()]);
    return { snapshots: drSnaps.map((s) => ({ ...s, region: drRegion })), existingDatabases: new Set(ids(drDbs)), inUseByVerification: drillSources(drDbs) };
  }
  const [primarySnaps, drSnaps, primaryDbs, drDbs] = await Promise.all([
    new RdsSnapshotCatalog(awsClients.rds(primaryRegion)).list('all'),
    new RdsSnapshotCatalog(awsClients.rds(drRegion)).list('all'),
    new RdsFleetReader(awsClients.rds(primaryRegion)).list(),
    new RdsFleetReader(awsClients.rds(drRegion)).list(),
  ]);
  const promoted = [...drDbs.instances, ...drDbs.clusters].filter((d) => tagValueOf(d.tags, TAG.failoverOf) !== undefined).map((d) => d.id);
  return {
    snapshots: [...primarySnaps.map((s) => ({ ...s, region: primaryRegion })), ...drSnaps.map((s) => ({ ...s, region: drRegion }))],
    existingDatabases: new Set([...ids(primaryDbs), ...promoted]),
    inUseByVerification: drillSources(drDbs),
  };
}
