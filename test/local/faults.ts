// moto flips statuses to `available` at once; slow, stuck or failed resources are injected here,
// on the SDK client a handler really uses, by rewriting what "AWS" answered.
import type { RDSClient } from '@aws-sdk/client-rds';

type SnapshotLike = { Status?: string; DBSnapshotIdentifier?: string; DBClusterSnapshotIdentifier?: string };
type DatabaseLike = { DBInstanceStatus?: string; DBInstanceIdentifier?: string; Status?: string; DBClusterIdentifier?: string };

/** Makes Describe(DB|DBCluster)Snapshots report `status` for snapshot `id` until the returned undo is called. */
export function holdSnapshotStatus(client: RDSClient, id: string, status: string): () => void {
  const name = `hold-${id}-${status}-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'DescribeDBSnapshotsCommand' || context.commandName === 'DescribeDBClusterSnapshotsCommand') {
        const out = result.output as { DBSnapshots?: SnapshotLike[]; DBClusterSnapshots?: SnapshotLike[] };
        for (const s of [...(out.DBSnapshots ?? []), ...(out.DBClusterSnapshots ?? [])]) {
          if (s.DBSnapshotIdentifier === id || s.DBClusterSnapshotIdentifier === id) s.Status = status;
        }
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}

/** Makes Describe(DBInstances|DBClusters) report `status` for instance/cluster `id` (or every id it matches) until undone. */
export function holdDatabaseStatus(client: RDSClient, id: string | RegExp, status: string): () => void {
  const matches = (name: string | undefined) => (typeof id === 'string' ? name === id : name !== undefined && id.test(name));
  const name = `hold-db-${id}-${status}-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const out = result.output as { DBInstances?: DatabaseLike[]; DBClusters?: DatabaseLike[] };
      if (context.commandName === 'DescribeDBInstancesCommand') {
        for (const d of out.DBInstances ?? []) if (matches(d.DBInstanceIdentifier)) d.DBInstanceStatus = status;
      }
      if (context.commandName === 'DescribeDBClustersCommand') {
        for (const c of out.DBClusters ?? []) if (matches(c.DBClusterIdentifier)) c.Status = status;
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}
