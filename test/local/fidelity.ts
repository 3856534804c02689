// Where moto 5.2.1 answers differently from RDS, the local AWS answers as RDS does. Each shim names
// the behaviour it corrects; LocalStack installs them on every RDS client the handlers and tests use.
import type { RDSClient } from '@aws-sdk/client-rds';

/**
 * moto 5.2.1's PromoteReadReplica clears its internal replica flag (StopDBInstance then works, as
 * for any standalone instance) but keeps reporting ReadReplicaSourceDBInstanceIdentifier. RDS drops
 * that field on promotion ("PromoteReadReplica": the instance becomes a standalone DB instance), so
 * this shim drops it for instances moto accepted a promotion of.
 */
export function followPromotions(clients: RDSClient[]): void {
  const promoted = new Set<string>();
  for (const client of clients) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'PromoteReadReplicaCommand') promoted.add((args.input as { DBInstanceIdentifier: string }).DBInstanceIdentifier);
        if (context.commandName === 'DescribeDBInstancesCommand') {
          for (const d of (result.output as { DBInstances?: { DBInstanceIdentifier?: string; ReadReplicaSourceDBInstanceIdentifier?: string }[] }).DBInstances ?? []) {
            if (promoted.has(d.DBInstanceIdentifier ?? '')) delete d.ReadReplicaSourceDBInstanceIdentifier;
          }
        }
        return result;
      },
      // Unique per installation: a test file may start more than one local AWS on the same cached clients.
      { step: 'initialize', name: `moto-promotion-fidelity-${Math.random()}` },
    );
  }
}
