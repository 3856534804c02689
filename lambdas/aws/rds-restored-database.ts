// Reads a restored database (a drill's throwaway, an incident restore's target; for a cluster, with
// its member) as the restore wait loops need it.
import type { RDSClient } from '@aws-sdk/client-rds';
import type { RestoredDatabase } from '../core/restore-poll.js';
import { defaultPortOf } from '../core/sql-dialect.js';
import { describeCluster, describeInstance } from './rds-databases.js';

export class RdsRestoredDatabaseReader {
  constructor(private readonly rds: RDSClient) {}

  async read(kind: 'instance' | 'cluster', id: string, memberId?: string): Promise<RestoredDatabase | undefined> {
    if (kind === 'instance') {
      const db = await describeInstance(this.rds, id);
      if (!db) return undefined;
      return {
        status: db.DBInstanceStatus ?? 'unknown',
        endpoint: db.Endpoint?.Address ? { host: db.Endpoint.Address, port: db.Endpoint.Port ?? defaultPortOf(db.Engine ?? '') } : undefined,
        secretArn: db.MasterUserSecret?.SecretArn,
        secretStatus: db.MasterUserSecret?.SecretStatus,
      };
    }
    const cluster = await describeCluster(this.rds, id);
    if (!cluster) return undefined;
    // A member that cannot be read yet is still being created.
    const member = memberId ? await describeInstance(this.rds, memberId).catch(() => undefined) : undefined;
    const memberStatus = member?.DBInstanceStatus ?? 'creating';
    return {
      status: cluster.Status !== 'available' ? (cluster.Status ?? 'unknown') : memberStatus,
      endpoint: cluster.Endpoint ? { host: cluster.Endpoint, port: cluster.Port ?? defaultPortOf(cluster.Engine ?? '') } : undefined,
      secretArn: cluster.MasterUserSecret?.SecretArn,
      secretStatus: cluster.MasterUserSecret?.SecretStatus,
      cluster: { status: cluster.Status ?? 'unknown', memberExists: member !== undefined },
    };
  }
}
