import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { DrillResource } from '../drill/plan-sweep.js';
import { tagsOf } from './rds-tags.js';

const GONE = new Set(['DBInstanceNotFoundFault', 'DBClusterNotFoundFault']);

/** Lists instances/clusters and deletes drill leftovers (idempotently: already gone is done). */
export class RdsDrillFleet {
  constructor(private readonly rds: RDSClient) {}

  async list(): Promise<DrillResource[]> {
    const out: DrillResource[] = [];
    for await (const page of paginateDescribeDBInstances({ client: this.rds, pageSize: 100 }, {})) {
      for (const d of page.DBInstances ?? []) {
        out.push({ kind: 'instance', id: d.DBInstanceIdentifier ?? '', tags: tagsOf(d.TagList), createdAt: d.InstanceCreateTime?.toISOString(), status: d.DBInstanceStatus ?? '', clusterId: d.DBClusterIdentifier });
      }
    }
    for await (const page of paginateDescribeDBClusters({ client: this.rds, pageSize: 100 }, {})) {
      for (const c of page.DBClusters ?? []) {
        out.push({ kind: 'cluster', id: c.DBClusterIdentifier ?? '', tags: tagsOf(c.TagList), createdAt: c.ClusterCreateTime?.toISOString(), status: c.Status ?? '' });
      }
    }
    return out;
  }

  async delete(resource: DrillResource, members: DrillResource[]): Promise<void> {
    try {
      if (resource.kind === 'instance') {
        await this.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: resource.id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true }));
        return;
      }
      for (const m of members) {
        await this.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: m.id, SkipFinalSnapshot: true })).catch((err: Error) => {
          if (!GONE.has(err.name)) throw err;
        });
      }
      await this.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: resource.id, SkipFinalSnapshot: true }));
    } catch (err) {
      if (!GONE.has((err as Error).name)) throw err;
    }
  }
}
