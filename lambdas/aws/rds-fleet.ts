import { paginateDescribeDBClusters, paginateDescribeDBInstances, type RDSClient } from '@aws-sdk/client-rds';
import type { DbClusterInfo, DbInstanceInfo, Fleet, FleetReader } from '../core/fleet.js';
import type { RequestPacer } from '../core/request-pacer.js';
import { pacedBy } from './rds-pacing.js';
import { tagsOf } from './rds-tags.js';

/** The one reader of a region's databases: FleetReader over the RDS API (DescribeDBInstances / DescribeDBClusters, paginated). */
export class RdsFleetReader implements FleetReader {
  /** `pacer`: every request waits for it (a reader that must keep to its share of the RDS budget). */
  constructor(
    private readonly rds: RDSClient,
    private readonly pacer?: RequestPacer,
  ) {}

  /** Every DB instance and DB cluster of the region. */
  async list(): Promise<Fleet> {
    const [instances, clusters] = await Promise.all([this.listInstances(), this.listClusters()]);
    return { instances, clusters };
  }

  async listInstances(): Promise<DbInstanceInfo[]> {
    const out: DbInstanceInfo[] = [];
    for await (const page of paginateDescribeDBInstances({ client: this.rds, pageSize: 100, withCommand: pacedBy(this.pacer) }, {})) {
      for (const db of page.DBInstances ?? []) {
        out.push({
          id: db.DBInstanceIdentifier ?? '',
          arn: db.DBInstanceArn ?? '',
          engine: db.Engine ?? '',
          status: db.DBInstanceStatus ?? '',
          tags: tagsOf(db.TagList),
          replicaSource: db.ReadReplicaSourceDBInstanceIdentifier ?? db.ReadReplicaSourceDBClusterIdentifier,
          clusterId: db.DBClusterIdentifier,
          createdAt: db.InstanceCreateTime?.toISOString(),
          latestRestorableTime: db.LatestRestorableTime?.toISOString(),
        });
      }
    }
    return out;
  }

  async listClusters(): Promise<DbClusterInfo[]> {
    const out: DbClusterInfo[] = [];
    for await (const page of paginateDescribeDBClusters({ client: this.rds, pageSize: 100, withCommand: pacedBy(this.pacer) }, {})) {
      for (const c of page.DBClusters ?? []) {
        out.push({
          id: c.DBClusterIdentifier ?? '',
          arn: c.DBClusterArn ?? '',
          engine: c.Engine ?? '',
          status: c.Status ?? '',
          tags: tagsOf(c.TagList),
          replicaSource: c.ReplicationSourceIdentifier,
          createdAt: c.ClusterCreateTime?.toISOString(),
          latestRestorableTime: c.LatestRestorableTime?.toISOString(),
        });
      }
    }
    return out;
  }
}
