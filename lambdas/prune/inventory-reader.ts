import { paginateDescribeDBClusters, paginateDescribeDBInstances, type RDSClient } from '@aws-sdk/client-rds';
import { awsClients } from '../aws/clients.js';
import type { Inventory } from './retention-inventory.js';
import { tagsOf } from '../aws/rds-tags.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { PURPOSE, TAG } from '../core/naming.js';


async function databaseIds(rds: RDSClient): Promise<{ id: string; tags: { Key: string; Value: string }[] }[]> {
  const out: { id: string; tags: { Key: string; Value: string }[] }[] = [];
  for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 100 }, {})) {
    for (const d of page.DBInstances ?? []) out.push({ id: d.DBInstanceIdentifier ?? '', tags: tagsOf(d.TagList) });
  }
  for await (const page of paginateDescribeDBClusters({ client: rds, pageSize: 100 }, {})) {
    for (const c of page.DBClusters ?? []) out.push({ id: c.DBClusterIdentifier ?? '', tags: tagsOf(c.TagList) });
  }
  return out;
}

/** Everything the plan needs from RDS: snapshots in both regions, live databases, snapshots in use by drills. */
export async function readInventory(primaryRegion: string, drRegion: string): Promise<Inventory> {
  const [primarySnaps, drSnaps, primaryDbs, drDbs] = await Promise.all([
    new RdsSnapshotCatalog(awsClients.rds(primaryRegion)).list('all'),
    new RdsSnapshotCatalog(awsClients.rds(drRegion)).list('all'),
    databaseIds(awsClients.rds(primaryRegion)),
    databaseIds(awsClients.rds(drRegion)),
  ]);
  const inUse = new Set<string>();
  for (const db of drDbs) {
    if (!db.tags.some((t) => t.Key === TAG.purpose && t.Value === PURPOSE.drill)) continue;
    const source = db.tags.find((t) => t.Key === TAG.sourceSnapshot)?.Value;
    if (source) inUse.add(source);
  }
  return {
    snapshots: [...primarySnaps.map((s) => ({ ...s, region: primaryRegion })), ...drSnaps.map((s) => ({ ...s, region: drRegion }))],
    existingDatabases: new Set(primaryDbs.map((d) => d.id)),
    inUseByVerification: inUse,
  };
}
