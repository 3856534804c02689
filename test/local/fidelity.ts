// Where moto 5.2.1 answers differently from RDS, the local AWS answers as RDS does. Each shim names
// the behaviour it corrects; LocalStack installs them on every RDS client the handlers and tests use.
import type { RDSClient } from '@aws-sdk/client-rds';
import { asNobody } from './iam/caller.js';

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


  const rdsError = (name: string, message: string) => Object.assign(new Error(message), { name, $fault: 'client' });

  /**
   * RDS tag values "can contain only the set of Unicode letters, digits, white-space, '_', '.', ':',
   * '/', '=', '+', '-', '@'" (Amazon RDS User Guide, "Tagging Amazon RDS resources"; keys likewise,
   * and neither may start with "aws:"). moto accepts any string; RDS refuses the request with
   * InvalidParameterValue.
   */
  const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
  export function tagProblem(tags: { Key?: string; Value?: string }[] | undefined): string | undefined {
    for (const t of tags ?? []) {
      if (!TAG_TEXT.test(t.Key ?? '') || (t.Key ?? '').startsWith('aws:')) return `tag key "${t.Key}" is not allowed`;
      if (!TAG_TEXT.test(t.Value ?? '')) return `tag value "${t.Value}" of ${t.Key} has characters RDS does not allow (letters, digits, white space, _ . : / = + - @)`;
    }
    return undefined;
  }

  /**
   * The RDS contracts moto skips, enforced on a client before moto sees the request. Each rule cites
   * the AWS document it follows.
   */
  export function enforceRdsContracts(clients: RDSClient[]): void {
  for (const client of clients) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Tags?: { Key?: string; Value?: string }[]; DBInstanceIdentifier?: string };
        const problem = tagProblem(input.Tags);
        if (problem) throw rdsError('InvalidParameterValue', `${context.commandName}: ${problem}`);
        // DescribeDBInstanceAutomatedBackups: "DBInstanceIdentifier … must match the identifier of an
        // existing DB instance" (RDS API Reference). moto also returns another region's replicated
        // backups for a name that exists nowhere here; RDS answers with an error.
        if (context.commandName === 'DescribeDBInstanceAutomatedBackupsCommand' && input.DBInstanceIdentifier) {
          const { DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
          // The local AWS looking, not the caller: not an IAM-evaluated call.
          await asNobody(() => client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: input.DBInstanceIdentifier }))).catch((err: Error) => {
            if (err.name !== 'DBInstanceNotFoundFault') throw err;
            throw rdsError('DBInstanceNotFoundFault', `DBInstance ${input.DBInstanceIdentifier} not found (DescribeDBInstanceAutomatedBackups needs an existing instance in this region)`);
          });
        }
        // CreateDBInstance into an Aurora cluster: "You can create DB instances only after the
        // RestoreDBClusterFromSnapshot operation has completed and the DB cluster is available"
        // (RDS API Reference, RestoreDBClusterFromSnapshot). moto adds the instance at once.
        const cluster = (args.input as { DBClusterIdentifier?: string }).DBClusterIdentifier;
        if (context.commandName === 'CreateDBInstanceCommand' && cluster) {
          const { DescribeDBClustersCommand } = await import('@aws-sdk/client-rds');
          const status = (await asNobody(() => client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster })))).DBClusters?.[0]?.Status;
          if (status !== 'available') throw rdsError('InvalidDBClusterStateFault', `DB cluster ${cluster} is ${status}, not available: its instances can be created once it is`);
        }
        return next(args);
      },
      { step: 'initialize', name: `rds-contracts-${Math.random()}` },
    );
  }
}

/**
 * SNS Publish: "Messages must be UTF-8 encoded strings and at most 256 KB in size"; a subject
 * "must be ASCII text that begins with a letter, number, or punctuation mark; must not include line
 * breaks or control characters; and must be less than 100 characters long" (Amazon SNS API
 * Reference, Publish). moto accepts anything; SNS refuses the call with InvalidParameter.
 */
export function enforceSnsContracts(clients: { middlewareStack: RDSClient['middlewareStack'] }[]): void {
  for (const client of clients) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PublishCommand') {
          const { Message, Subject } = args.input as { Message?: string; Subject?: string };
          if (Buffer.byteLength(Message ?? '', 'utf8') > 262_144) throw Object.assign(new Error('Invalid parameter: Message too long'), { name: 'InvalidParameterException' });
          if (Subject !== undefined && (Subject.length >= 100 || !/^[\x21-\x7e][\x20-\x7e]*$/.test(Subject))) {
            throw Object.assign(new Error('Invalid parameter: Subject'), { name: 'InvalidParameterException' });
          }
        }
        return next(args);
      },
      { step: 'initialize', name: `sns-contracts-${Math.random()}` },
    );
  }
}
