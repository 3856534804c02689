import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { RestoredDatabase } from '../core/restore-poll.js';

import { isRdsNotFound } from './rds-not-found.js';

/** Reads a throwaway instance (or cluster + member) as the restore loop needs it. */
export class RdsRestoredDatabaseReader {
  constructor(private readonly rds: RDSClient) {}

  async read(kind: 'instance' | 'cluster', id: string, memberId?: string): Promise<RestoredDatabase | undefined> {
    try {
      if (kind === 'instance') {
        const db = (await this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
        if (!db) return undefined;
        return {
          status: db.DBInstanceStatus ?? 'unknown',
          endpoint: db.Endpoint?.Address ? { host: db.Endpoint.Address, port: db.Endpoint.Port ?? 5432 } : undefined,
          secretArn: db.MasterUserSecret?.SecretArn,
          secretStatus: db.MasterUserSecret?.SecretStatus,
        };
      }
      const cluster = (await this.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
      if (!cluster) return undefined;
      const member = memberId
        ? (await this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: memberId })).catch(() => undefined))?.DBInstances?.[0]
        : undefined;
      const memberStatus = member?.DBInstanceStatus ?? 'creating';
      return {
        status: cluster.Status !== 'available' ? (cluster.Status ?? 'unknown') : memberStatus,
        endpoint: cluster.Endpoint ? { host: cluster.Endpoint, port: cluster.Port ?? 5432 } : undefined,
        secretArn: cluster.MasterUserSecret?.SecretArn,
        secretStatus: cluster.MasterUserSecret?.SecretStatus,
      };
    } catch (err) {
      if (isRdsNotFound(err)) return undefined;
      throw err;
    }
  }
}
