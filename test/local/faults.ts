// moto flips statuses to `available` at once; slow, stuck or failed resources are injected here,
// on the SDK client a handler really uses, by rewriting what "AWS" answered.
import type { RDSClient } from '@aws-sdk/client-rds';

type SnapshotLike = { Status?: string; DBSnapshotIdentifier?: string; DBClusterSnapshotIdentifier?: string };

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
