// Builds RDS fleets in moto for tests and the local demo.
import {
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';

type Tags = Record<string, string>;
const tagList = (tags: Tags = {}) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * Sends a create; when the SDK retried it (a transient error under load) and the retry finds the
 * resource already made, the first attempt did the work. moto 5.2.1 then fails the retry on the
 * automated snapshot it takes at creation (named to the minute) instead of on the resource itself.
 */
async function createOnce(send: () => Promise<string>, existing: () => Promise<string>): Promise<string> {
  try {
    return await send();
  } catch (err) {
    const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
    if (attempts > 1 && /AlreadyExists/.test((err as Error).name)) return existing();
    throw err;
  }
}

export async function createPostgresInstance(rds: RDSClient, id: string, tags?: Tags): Promise<string> {
  return createInstance(rds, id, 'postgres', tags);
}

/**
 * A MariaDB or MySQL instance. EngineVersion is given because moto 5.2.1 answers CreateDBInstance for
 * `mariadb` without one with HTTP 500, where RDS picks the default version ("EngineVersion … not
 * required", RDS API Reference, CreateDBInstance).
 */
export async function createMysqlFamilyInstance(rds: RDSClient, id: string, engine: 'mariadb' | 'mysql', tags?: Tags): Promise<string> {
  return createInstance(rds, id, engine, tags);
}

const INSTANCE_VERSIONS = { postgres: '16.3', mariadb: '10.11.9', mysql: '8.0.39' } as const;

async function createInstance(rds: RDSClient, id: string, engine: keyof typeof INSTANCE_VERSIONS, tags?: Tags): Promise<string> {
  return createOnce(
    async () =>
      (
        await rds.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: id,
            Engine: engine,
            EngineVersion: INSTANCE_VERSIONS[engine],
            DBInstanceClass: 'db.t4g.micro',
            AllocatedStorage: 20,
            MasterUsername: 'app',
            MasterUserPassword: 'local-only-password',
            StorageEncrypted: true,
            Tags: tagList(tags),
          }),
        )
      ).DBInstance?.DBInstanceArn ?? '',
    async () => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0]?.DBInstanceArn ?? '',
  );
}

export const createMariadbInstance = (rds: RDSClient, id: string, tags?: Tags) => createMysqlFamilyInstance(rds, id, 'mariadb', tags);
export const createMysqlInstance = (rds: RDSClient, id: string, tags?: Tags) => createMysqlFamilyInstance(rds, id, 'mysql', tags);

export async function createReadReplica(rds: RDSClient, id: string, sourceId: string, tags?: Tags): Promise<void> {
  await rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: id, SourceDBInstanceIdentifier: sourceId, Tags: tagList(tags) }));
}

/** An Aurora PostgreSQL cluster with one writer instance (the member carries the same tags). */
export async function createAuroraPostgresCluster(rds: RDSClient, id: string, tags?: Tags): Promise<string> {
  return createAuroraCluster(rds, id, 'aurora-postgresql', tags);
}

/** An Aurora MySQL cluster (MySQL 8.0-compatible, Aurora MySQL version 3) with one writer instance. */
export async function createAuroraMysqlCluster(rds: RDSClient, id: string, tags?: Tags): Promise<string> {
  return createAuroraCluster(rds, id, 'aurora-mysql', tags);
}

const AURORA_VERSIONS = { 'aurora-postgresql': '16.4', 'aurora-mysql': '8.0.mysql_aurora.3.05.2' } as const;

async function createAuroraCluster(rds: RDSClient, id: string, engine: keyof typeof AURORA_VERSIONS, tags?: Tags): Promise<string> {
  const arn = await createOnce(
    async () =>
      (
        await rds.send(
          new CreateDBClusterCommand({
            DBClusterIdentifier: id,
            Engine: engine,
            EngineVersion: AURORA_VERSIONS[engine],
            MasterUsername: 'app',
            MasterUserPassword: 'local-only-password',
            StorageEncrypted: true,
            Tags: tagList(tags),
          }),
        )
      ).DBCluster?.DBClusterArn ?? '',
    async () => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0]?.DBClusterArn ?? '',
  );
  const writer = `${id}-writer`;
  await createOnce(
    async () =>
      (await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: writer, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large', Tags: tagList(tags) })))
        .DBInstance?.DBInstanceArn ?? '',
    async () => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: writer }))).DBInstances?.[0]?.DBInstanceArn ?? '',
  );
  return arn;
}

/**
 * A fleet for scale tests and benchmarks: `instances` PostgreSQL instances and `clusters` Aurora
 * clusters named `<prefix>-i0001`, `<prefix>-c0001`, …, created a few at a time.
 */
export async function createFleet(rds: RDSClient, spec: { instances: number; clusters: number; prefix: string; tags?: Tags }): Promise<void> {
  const work = [
    ...Array.from({ length: spec.instances }, (_, i) => () => createPostgresInstance(rds, `${spec.prefix}-i${String(i + 1).padStart(4, '0')}`, spec.tags)),
    ...Array.from({ length: spec.clusters }, (_, i) => () => createAuroraPostgresCluster(rds, `${spec.prefix}-c${String(i + 1).padStart(4, '0')}`, spec.tags)),
  ];
  for (let i = 0; i < work.length; i += 20) await Promise.all(work.slice(i, i + 20).map((create) => create()));
}

/** Identifiers of every manual snapshot (instance and cluster) in the client's region. */
export async function manualSnapshotIds(rds: RDSClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: 'manual' })) ids.push(...(page.DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier ?? ''));
  for await (const page of paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: 'manual' })) ids.push(...(page.DBClusterSnapshots ?? []).map((s) => s.DBClusterSnapshotIdentifier ?? ''));
  return ids;
}
