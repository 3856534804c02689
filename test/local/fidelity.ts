// Where moto 5.2.1 answers differently from RDS, the local AWS answers as RDS does. Each shim names
// the behaviour it corrects; LocalStack installs them on every RDS client the handlers and tests use.
import type { RDSClient } from '@aws-sdk/client-rds';
import { asNobody } from './iam/caller.js';

/**
 * moto 5.2.1's PromoteReadReplica clears its internal replica flag (StopDBInstance then works, as
 * for any standalone instance) but keeps reporting ReadReplicaSourceDBInstanceIdentifier, and the
 * source keeps listing the promoted instance in ReadReplicaDBInstanceIdentifiers. RDS drops both on
 * promotion ("PromoteReadReplica": the instance becomes a standalone DB instance; Amazon RDS User
 * Guide, "Working with DB instance read replicas"), so this shim drops them for instances moto
 * accepted a promotion of — until an instance of that name is created as a replica again (a game
 * day's failback re-creates the DR replica under its old name).
 */
export function followPromotions(clients: RDSClient[]): void {
  const promoted = new Set<string>();
  // Same-Region replicas are listed by identifier, cross-Region ones by ARN.
  const isPromoted = (idOrArn: string) => promoted.has(idOrArn.includes(':db:') ? idOrArn.slice(idOrArn.indexOf(':db:') + 4) : idOrArn);
  for (const client of clients) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
          const result = await next(args);
          const id = (args.input as { DBInstanceIdentifier?: string }).DBInstanceIdentifier ?? '';
          if (context.commandName === 'PromoteReadReplicaCommand') promoted.add(id);
          if (context.commandName === 'CreateDBInstanceReadReplicaCommand') promoted.delete(id);
          if (context.commandName === 'DescribeDBInstancesCommand') {
            for (const d of (result.output as { DBInstances?: { DBInstanceIdentifier?: string; ReadReplicaSourceDBInstanceIdentifier?: string; ReadReplicaDBInstanceIdentifiers?: string[] }[] }).DBInstances ?? []) {
              if (promoted.has(d.DBInstanceIdentifier ?? '')) delete d.ReadReplicaSourceDBInstanceIdentifier;
              if (d.ReadReplicaDBInstanceIdentifiers) d.ReadReplicaDBInstanceIdentifiers = d.ReadReplicaDBInstanceIdentifiers.filter((r) => !isPromoted(r));
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
        // The local AWS looking (below), not the caller: not IAM-evaluated calls.
        await asNobody(() => refuseSnapshotOfBusyDatabase(client, context.commandName ?? '', args.input as SnapshotInput));
        if (context.commandName === 'CopyDBClusterSnapshotCommand') await asNobody(() => refuseKmsKeyForUnencryptedClusterCopy(client, args.input as CopyInput));
        const copy = COPIES_IN_FLIGHT_LIMIT[context.commandName ?? ''];
        if (copy) await asNobody(() => refuseCopyBeyondInFlightLimit(client, copy));
        const result = await next(args);
        await asNobody(() => restoreWithoutSourceDeletionProtection(client, context.commandName ?? '', args.input as RestoreInput, result.output as RestoreOutput));
        if (copy) copiesStarted.add(`${await client.config.region()}|${copy.kind}|${(args.input as CopyInput).TargetDBSnapshotIdentifier ?? (args.input as CopyInput).TargetDBClusterSnapshotIdentifier}`);
        return result;
      },
      { step: 'initialize', name: `rds-contracts-${Math.random()}` },
    );
  }
}

/**
 * A restore starts without deletion protection unless the request asks for it: "DeletionProtection …
 * By default, deletion protection isn't enabled" (RDS API Reference: RestoreDBInstanceFromDBSnapshot,
 * RestoreDBInstanceToPointInTime, RestoreDBClusterFromSnapshot, RestoreDBClusterToPointInTime).
 * moto copies the source database's setting onto the restored one, which would hide a restore or
 * cutover that forgets to protect the database it puts into production.
 */
const RESTORES: Record<string, 'instance' | 'cluster'> = {
  RestoreDBInstanceFromDBSnapshotCommand: 'instance',
  RestoreDBInstanceToPointInTimeCommand: 'instance',
  RestoreDBClusterFromSnapshotCommand: 'cluster',
  RestoreDBClusterToPointInTimeCommand: 'cluster',
};
type RestoreInput = { DeletionProtection?: boolean; DBInstanceIdentifier?: string; TargetDBInstanceIdentifier?: string; DBClusterIdentifier?: string };
type RestoreOutput = { DBInstance?: { DeletionProtection?: boolean }; DBCluster?: { DeletionProtection?: boolean } };

async function restoreWithoutSourceDeletionProtection(client: RDSClient, commandName: string, input: RestoreInput, output: RestoreOutput): Promise<void> {
  const kind = RESTORES[commandName];
  if (!kind || input.DeletionProtection === true) return;
  const { ModifyDBClusterCommand, ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
  // A plain client: the correction is the local AWS's own, beyond the faults a test injects on `client`.
  client = await plainClient(client);
  if (kind === 'instance' && output?.DBInstance?.DeletionProtection) {
    const id = input.TargetDBInstanceIdentifier ?? input.DBInstanceIdentifier;
    await client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true }));
    output.DBInstance.DeletionProtection = false;
  }
  if (kind === 'cluster' && output?.DBCluster?.DeletionProtection) {
    await client.send(new ModifyDBClusterCommand({ DBClusterIdentifier: input.DBClusterIdentifier, DeletionProtection: false, ApplyImmediately: true }));
    output.DBCluster.DeletionProtection = false;
  }
}

type SnapshotInput = { DBInstanceIdentifier?: string; DBClusterIdentifier?: string };
type CopyInput = {
  SourceDBClusterSnapshotIdentifier?: string;
  TargetDBSnapshotIdentifier?: string;
  TargetDBClusterSnapshotIdentifier?: string;
  KmsKeyId?: string;
};

/**
 * CreateDBSnapshot: "The source DB instance must be in the available or storage-optimization
 * state", else InvalidDBInstanceState (RDS API Reference, CreateDBSnapshot). CreateDBClusterSnapshot
 * answers InvalidDBClusterStateFault for a cluster that is not available (RDS API Reference,
 * CreateDBClusterSnapshot, Errors). moto snapshots whatever it has; its databases are never
 * `backing-up` or `modifying` unless a test holds them so (faults.ts DatabaseStatusBoard).
 */
async function refuseSnapshotOfBusyDatabase(client: RDSClient, commandName: string, input: SnapshotInput): Promise<void> {
  const { DescribeDBClustersCommand, DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
  const notFound = (err: Error) => {
    if (!/NotFound/.test(err.name)) throw err;
    return undefined; // moto answers the request with its own not-found error
  };
  if (commandName === 'CreateDBSnapshotCommand' && input.DBInstanceIdentifier) {
    const id = input.DBInstanceIdentifier;
    const status = (await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })).catch(notFound))?.DBInstances?.[0]?.DBInstanceStatus;
    if (status !== undefined && status !== 'available' && status !== 'storage-optimization') {
      throw rdsError('InvalidDBInstanceStateFault', `Cannot create a snapshot because the database instance ${id} is not currently in the available state (it is ${status}).`);
    }
  }
  if (commandName === 'CreateDBClusterSnapshotCommand' && input.DBClusterIdentifier) {
    const id = input.DBClusterIdentifier;
    const status = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })).catch(notFound))?.DBClusters?.[0]?.Status;
    if (status !== undefined && status !== 'available') {
      throw rdsError('InvalidDBClusterStateFault', `Cannot create a snapshot because the DB cluster ${id} is not currently in the available state (it is ${status}).`);
    }
  }
}

/** A client like `client` (same region, endpoint and credentials) without any middleware: the local AWS acting, not a caller. */
async function plainClient(client: RDSClient): Promise<RDSClient> {
  const { RDSClient: Client } = await import('@aws-sdk/client-rds');
  return new Client({ region: await client.config.region(), credentials: client.config.credentials, ...(client.config.endpoint ? { endpoint: client.config.endpoint } : {}) });
}

/** A client like `client` (same endpoint and credentials) in another region: a cross-region copy's source lives there. */
async function inRegion(client: RDSClient, region: string): Promise<RDSClient> {
  if ((await client.config.region()) === region) return client;
  const { RDSClient: Client } = await import('@aws-sdk/client-rds');
  return new Client({ region, credentials: client.config.credentials, ...(client.config.endpoint ? { endpoint: client.config.endpoint } : {}) });
}

/**
 * CopyDBClusterSnapshot, KmsKeyId: "If you copy an unencrypted DB cluster snapshot and specify a
 * value for the KmsKeyId parameter, an error is returned" (RDS API Reference; RDS cannot encrypt a
 * cluster snapshot on copy). moto encrypts the copy with the key instead. The reference names no
 * error code; InvalidParameterCombination is the closest client error RDS has, and like any code
 * CopyDBClusterSnapshot does not model it reaches callers as an unmodelled client error.
 */
async function refuseKmsKeyForUnencryptedClusterCopy(client: RDSClient, input: CopyInput): Promise<void> {
  const source = input.SourceDBClusterSnapshotIdentifier;
  if (!input.KmsKeyId || !source) return;
  const { DescribeDBClusterSnapshotsCommand } = await import('@aws-sdk/client-rds');
  const region = source.startsWith('arn:') ? source.split(':')[3] : await client.config.region();
  const reader = await inRegion(client, region);
  const described = await reader.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: source.split(':').pop() })).catch(() => undefined);
  const snapshot = described?.DBClusterSnapshots?.[0];
  if (snapshot && !snapshot.StorageEncrypted) {
    throw rdsError('InvalidParameterCombination', `Cannot specify KmsKeyId for DB cluster snapshot ${source}: it is not encrypted, and an unencrypted DB cluster snapshot cannot be encrypted when it is copied.`);
  }
}

/**
 * Snapshot copies in progress into one destination region: "You can have up to 20 snapshot copy
 * requests in progress to a single destination Region per account" (Amazon RDS User Guide, Copying
 * a DB snapshot); for DB cluster snapshots, up to 5 (Amazon Aurora User Guide, Copying a DB cluster
 * snapshot). RDS answers SnapshotQuotaExceeded. moto copies at once, so "in progress" is what the
 * local AWS says it is: a copy this harness let through whose Describe* status is still pending —
 * which is how tests make copies slow (faults.ts holdSnapshotStatus on the client that describes).
 */
const COPIES_IN_FLIGHT_LIMIT: Record<string, { kind: 'instance' | 'cluster'; limit: number }> = {
  CopyDBSnapshotCommand: { kind: 'instance', limit: 20 },
  CopyDBClusterSnapshotCommand: { kind: 'cluster', limit: 5 },
};
const COPY_IN_PROGRESS = new Set(['creating', 'pending', 'copying']);
/** `<region>|<kind>|<target id>` of every copy the local AWS started (moto keeps no copy provenance). */
const copiesStarted = new Set<string>();

async function refuseCopyBeyondInFlightLimit(client: RDSClient, rule: { kind: 'instance' | 'cluster'; limit: number }): Promise<void> {
  const { paginateDescribeDBClusterSnapshots, paginateDescribeDBSnapshots } = await import('@aws-sdk/client-rds');
  const region = await client.config.region();
  // Only copies this harness started and has not yet seen end can be in progress: describe those
  // (by identifier, 100 at a time) instead of every snapshot of the region.
  const prefix = `${region}|${rule.kind}|`;
  const candidates = [...copiesStarted].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  let inFlight = 0;
  const count = (id: string | undefined, status: string | undefined) => {
    if (COPY_IN_PROGRESS.has(status ?? '')) inFlight++;
    // Ended (available, failed, deleted): it cannot be in progress again.
    else copiesStarted.delete(`${prefix}${id}`);
  };
  for (let i = 0; i < candidates.length; i += 100) {
    const Values = candidates.slice(i, i + 100);
    const seen = new Set<string>();
    if (rule.kind === 'instance') {
      for await (const page of paginateDescribeDBSnapshots({ client }, { Filters: [{ Name: 'db-snapshot-id', Values }] })) {
        for (const s of page.DBSnapshots ?? []) (seen.add(s.DBSnapshotIdentifier ?? ''), count(s.DBSnapshotIdentifier, s.Status));
      }
    } else {
      for await (const page of paginateDescribeDBClusterSnapshots({ client }, { Filters: [{ Name: 'db-cluster-snapshot-id', Values }] })) {
        for (const s of page.DBClusterSnapshots ?? []) (seen.add(s.DBClusterSnapshotIdentifier ?? ''), count(s.DBClusterSnapshotIdentifier, s.Status));
      }
    }
    for (const id of Values) if (!seen.has(id)) copiesStarted.delete(`${prefix}${id}`);
  }
  if (inFlight >= rule.limit) {
    throw rdsError('SnapshotQuotaExceededFault', `${inFlight} ${rule.kind === 'cluster' ? 'DB cluster ' : ''}snapshot copies are already in progress into ${region} (at most ${rule.limit}): the request would exceed the maximum number of snapshot copies in progress.`);
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

/**
 * Cross-region read replicas (CreateDBInstanceReadReplica with a source ARN in another region):
 * - DBSubnetGroupName names a subnet group in the region the replica is created in ("The DB subnet
 *   group must be in the same Amazon Web Services Region in which the operation is running", RDS API
 *   Reference, CreateDBInstanceReadReplica). moto 5.2.1 copies the source instance and sets the
 *   request's fields before moving the copy to the destination region, so it looks the subnet group
 *   up in the source region (DBSubnetGroupNotFound for a correct request). This shim checks the
 *   group exists here, creates the replica without it and then places it as moto would have.
 * - KmsKeyId: "You can't create an encrypted read replica from an unencrypted DB instance" (same
 *   reference); moto encrypts the replica. (The reverse rule, a key required across regions for an
 *   encrypted source, is not enforced yet: the harness's own DR replicas are created without one.)
 */
export function placeCrossRegionReplicas(clients: RDSClient[]): void {
  for (const client of clients) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'CreateDBInstanceReadReplicaCommand') return next(args);
        const input = args.input as { DBInstanceIdentifier: string; SourceDBInstanceIdentifier: string; DBSubnetGroupName?: string; KmsKeyId?: string };
        const region = await client.config.region();
        const sourceRegion = input.SourceDBInstanceIdentifier.startsWith('arn:') ? input.SourceDBInstanceIdentifier.split(':')[3] : region;
        if (sourceRegion === region) return next(args);
        const { DescribeDBInstancesCommand, DescribeDBSubnetGroupsCommand, ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
        const source = (await (await inRegion(await plainClient(client), sourceRegion)).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: input.SourceDBInstanceIdentifier.split(':').pop() })))
          .DBInstances?.[0];
        if (source && !source.StorageEncrypted && input.KmsKeyId) throw rdsError('InvalidParameterCombination', `cannot create an encrypted read replica of unencrypted ${input.SourceDBInstanceIdentifier}`);
        if (!input.DBSubnetGroupName) return next(args);
        const plain = await plainClient(client);
        await plain.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: input.DBSubnetGroupName }));
        const { DBSubnetGroupName, ...rest } = input;
        const result = await next({ ...args, input: rest });
        await plain.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: input.DBInstanceIdentifier, DBSubnetGroupName, ApplyImmediately: true }));
        return result;
      },
      { step: 'initialize', name: `moto-cross-region-replica-fidelity-${Math.random()}` },
    );
  }
}
