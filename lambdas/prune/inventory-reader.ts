// Everything the retention plan needs from RDS, through the shared readers.
import { awsClients } from '../aws/clients.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { PURPOSE, TAG } from '../core/naming.js';
import { tagValueOf } from '../core/snapshots.js';
import type { Inventory } from './retention-inventory.js';

/** Snapshots in both regions, the primary region's live databases, and the snapshots drills restored from (DR region). */
export async function readInventory(primaryRegion: string, drRegion: string): Promise<Inventory> {
  const [primarySnaps, drSnaps, primaryDbs, drDbs] = await Promise.all([
    new RdsSnapshotCatalog(awsClients.rds(primaryRegion)).list('all'),
    new RdsSnapshotCatalog(awsClients.rds(drRegion)).list('all'),
    new RdsFleetReader(awsClients.rds(primaryRegion)).list(),
    new RdsFleetReader(awsClients.rds(drRegion)).list(),
  ]);
  const inUse = new Set<string>();
  for (const db of [...drDbs.instances, ...drDbs.clusters]) {
    if (tagValueOf(db.tags, TAG.purpose) !== PURPOSE.drill) continue;
    const source = tagValueOf(db.tags, TAG.sourceSnapshot);
    if (source) inUse.add(source);
  }
  return {
    snapshots: [...primarySnaps.map((s) => ({ ...s, region: primaryRegion })), ...drSnaps.map((s) => ({ ...s, region: drRegion }))],
    existingDatabases: new Set([...primaryDbs.instances, ...primaryDbs.clusters].map((d) => d.id)),
    inUseByVerification: inUse,
  };
}
