// The local data plane behind MySQL-protocol engines (test/local/data-plane.ts, mariadb.ts): a MariaDB
// instance and an Aurora MySQL cluster on moto with rows on the main MariaDB server are snapshotted and
// copied to DR by the backup workflow, restored there as throwaways by the aws-sdk tasks a drill uses,
// reached through the endpoint a Describe reports with the managed master secret's credentials, and
// deleted (which ends their servers).
import { DeleteDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/aws/clients.js';
import { DR, localConfig, PRIMARY } from '../state-machines/fixtures.js';
import { createAuroraMysqlCluster, createMariadbInstance, createMysqlInstance } from './fleet.js';
import { LocalStack } from './local-stack.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const SLOT = '2026-11-22T02:00:00Z';
const snapshotId = (db: string) => `rdsdr-${db}-202611220200`;

describe('local data plane: MariaDB behind MySQL-family engines', () => {
  let aws: LocalStack;

  beforeAll(async () => {
    aws = await LocalStack.start({ config: localConfig(), withMariadb: true });
    await createMariadbInstance(aws.rds, 'shop', GOLD);
    await createAuroraMysqlCluster(aws.rds, 'ledger', GOLD);
    await aws.mariadb!.createDatabase('shop');
    aws.dataPlane!.attach('instance', 'shop', 'shop', 'mysql');
    await aws.mariadb!.createDatabase('ledger');
    aws.dataPlane!.attach('cluster', 'ledger', 'ledger', 'mysql');
    await aws.sql(
      'instance',
      'shop',
      `CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
       CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(8,2), FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;
       CREATE TABLE audit (order_id INT) ENGINE=InnoDB;
       CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit VALUES (NEW.id);
       CREATE FUNCTION order_count() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM orders);
       INSERT INTO customers VALUES (1, 'ada'), (2, 'grace');
       INSERT INTO orders VALUES (10, 1, 12.50), (11, 2, 7.25);
       SET foreign_key_checks = 0;
       INSERT INTO orders VALUES (12, 999, 1.00)`,
    );
    await aws.sql('cluster', 'ledger', "CREATE TABLE entries (id INT PRIMARY KEY, note TEXT); INSERT INTO entries VALUES (1, 'opening balance')");
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: SLOT }, 'gold-mysql');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    // Written after the snapshot: no restore of it may show these.
    await aws.sql('instance', 'shop', "INSERT INTO customers VALUES (3, 'after the snapshot'); INSERT INTO orders VALUES (13, 3, 99.00)");
    await aws.sql('cluster', 'ledger', "INSERT INTO entries VALUES (2, 'after the snapshot')");
  });
  afterAll(async () => aws?.stop());

  /** A mysql2 session over TCP to `endpoint`, as the managed master secret's user (what a drill's verifier has). */
  async function connectAsMaster(endpoint: { host: string; port: number }, secretArn: string, database: string): Promise<mysql.Connection> {
    const secret = await new SecretsManagerClient({ region: DR }).send(new GetSecretValueCommand({ SecretId: secretArn }));
    const { username, password } = JSON.parse(secret.SecretString!) as { username: string; password: string };
    return mysql.createConnection({ host: endpoint.host, port: endpoint.port, user: username, password, database });
  }

  const rows = async (c: mysql.Connection, sql: string) => (await c.query(sql))[0] as Record<string, unknown>[];

  it('moto reports the MySQL family on instances and snapshots with port 3306, as RDS does', async () => {
    await createMysqlInstance(aws.rds, 'catalog');
    const described = (await aws.rds.send(new DescribeDBInstancesCommand({}))).DBInstances!;
    const byId = Object.fromEntries(described.map((d) => [d.DBInstanceIdentifier, d]));
    expect(byId.shop).toMatchObject({ Engine: 'mariadb', Endpoint: { Port: 3306 } });
    expect(byId.catalog).toMatchObject({ Engine: 'mysql', Endpoint: { Port: 3306 } });
    expect(byId['ledger-writer']).toMatchObject({ Engine: 'aurora-mysql' });
    const ledger = (await aws.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ledger' }))).DBClusters![0];
    expect(ledger).toMatchObject({ Engine: 'aurora-mysql', Port: 3306 });
  });

  it('a DR copy of a MariaDB snapshot restores onto a server of its own, reachable at its Describe endpoint with the managed master secret, holding the snapshot-time rows', async () => {
    await aws.sdkTask('dr', 'rds', 'restoreDBInstanceFromDBSnapshot', { DbInstanceIdentifier: 'shop-drill', DbSnapshotIdentifier: snapshotId('shop'), DbInstanceClass: 'db.t4g.micro' });
    await aws.sdkTask('dr', 'rds', 'modifyDBInstance', { DbInstanceIdentifier: 'shop-drill', ManageMasterUserPassword: true, ApplyImmediately: true });
    const restored = (await awsClients.rds(DR).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'shop-drill' }))).DBInstances![0];
    expect(restored.Engine).toBe('mariadb');
    const server = aws.dataPlane!.restoredMariadbServer('shop-drill')!;
    expect(restored.Endpoint).toEqual(expect.objectContaining({ Address: server.host, Port: server.port }));
    expect(server.port).not.toBe(aws.mariadb!.port);

    const c = await connectAsMaster({ host: restored.Endpoint!.Address!, port: restored.Endpoint!.Port! }, restored.MasterUserSecret!.SecretArn!, 'shop');
    try {
      expect(await rows(c, 'SELECT id, name FROM customers ORDER BY id')).toEqual([
        { id: 1, name: 'ada' },
        { id: 2, name: 'grace' },
      ]);
      // The orphan (customer 999 does not exist) came back as it was: the dump loads with foreign_key_checks off.
      expect(await rows(c, 'SELECT o.id FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL')).toEqual([{ id: 12 }]);
      expect(await rows(c, 'SELECT COUNT(*) AS n FROM orders WHERE id = 13')).toEqual([{ n: 0 }]);
      // Triggers and routines travel with the data.
      expect(await rows(c, 'SELECT order_count() AS n')).toEqual([{ n: 3 }]);
      expect((await rows(c, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'shop'")).map((r) => r.TRIGGER_NAME)).toEqual(['orders_audit']);
      // The master user has every privilege, as on RDS: it may write.
      await c.query("INSERT INTO customers VALUES (4, 'written by the drill')");
    } finally {
      await c.end();
    }
    // Over TCP only the master user gets in: no password-less administrator.
    await expect(mysql.createConnection({ host: server.host, port: server.port, user: 'root' })).rejects.toThrow(/Access denied/);
    // The source database is untouched by the restore's writes, and still has the rows written after the snapshot.
    expect(await aws.sql('instance', 'shop', 'SELECT id FROM customers ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('deleting the restored instance ends its MariaDB server', async () => {
    const server = aws.dataPlane!.restoredMariadbServer('shop-drill')!;
    await aws.sdkTask('dr', 'rds', 'deleteDBInstance', { DbInstanceIdentifier: 'shop-drill', SkipFinalSnapshot: true });
    expect(aws.dataPlane!.runningRestores).toEqual([]);
    await expect(mysql.createConnection({ host: server.host, port: server.port, user: 'root', connectTimeout: 2_000 })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a delete answered "not found" (a retry whose first attempt deleted it) ends the server too', async () => {
    await aws.sdkTask('dr', 'rds', 'restoreDBInstanceFromDBSnapshot', { DbInstanceIdentifier: 'shop-retried', DbSnapshotIdentifier: snapshotId('shop'), DbInstanceClass: 'db.t4g.micro' });
    expect(aws.dataPlane!.runningRestores).toEqual(['shop-retried']);
    // The first delete, whose answer the workflow never saw (the test's own client: the data plane does not follow it).
    await aws.rdsDr.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'shop-retried', SkipFinalSnapshot: true }));
    expect(aws.dataPlane!.runningRestores).toEqual(['shop-retried']);
    await expect(aws.sdkTask('dr', 'rds', 'deleteDBInstance', { DbInstanceIdentifier: 'shop-retried', SkipFinalSnapshot: true })).rejects.toThrow(/DBInstanceNotFound/);
    expect(aws.dataPlane!.runningRestores).toEqual([]);
  });

  it("an incident point-in-time restore of a MariaDB instance comes up on a MariaDB server of its own with the source's data", async () => {
    const created = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'shop' }))).DBInstances![0].InstanceCreateTime!.getTime();
    const run = await aws.runRestore({ db: 'shop', restoreTime: new Date(created + 1000).toISOString(), targetId: 'shop-pitr', verify: false, cutover: false }, PRIMARY, 'shop-pitr');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const server = aws.dataPlane!.restoredMariadbServer('shop-pitr')!;
    const c = await server.client('shop');
    try {
      // The source as it is now stands in for "as of restoreTime" (moto keeps no history): the later rows are there.
      expect(((await c.query('SELECT id FROM customers ORDER BY id'))[0] as { id: number }[]).map((r) => r.id)).toEqual([1, 2, 3]);
    } finally {
      await c.end();
    }
    await aws.sdkTask('primary', 'rds', 'deleteDBInstance', { DbInstanceIdentifier: 'shop-pitr', SkipFinalSnapshot: true });
    expect(aws.dataPlane!.runningRestores).toEqual([]);
  });

  it('an Aurora MySQL cluster snapshot restores as a cluster whose Describe endpoint serves the snapshot-time rows', async () => {
    await aws.sdkTask('dr', 'rds', 'restoreDBClusterFromSnapshot', { DbClusterIdentifier: 'ledger-drill', SnapshotIdentifier: snapshotId('ledger'), Engine: 'aurora-mysql' });
    await aws.sdkTask('dr', 'rds', 'modifyDBCluster', { DbClusterIdentifier: 'ledger-drill', ManageMasterUserPassword: true, ApplyImmediately: true });
    const cluster = (await awsClients.rds(DR).send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ledger-drill' }))).DBClusters![0];
    expect(cluster.Engine).toBe('aurora-mysql');
    expect(cluster.Port).toBe(aws.dataPlane!.restoredMariadbServer('ledger-drill')!.port);
    const c = await connectAsMaster({ host: cluster.Endpoint!, port: cluster.Port! }, cluster.MasterUserSecret!.SecretArn!, 'ledger');
    try {
      expect(await rows(c, 'SELECT id, note FROM entries ORDER BY id')).toEqual([{ id: 1, note: 'opening balance' }]);
    } finally {
      await c.end();
    }
    await aws.sdkTask('dr', 'rds', 'deleteDBCluster', { DbClusterIdentifier: 'ledger-drill', SkipFinalSnapshot: true });
    expect(aws.dataPlane!.runningRestores).toEqual([]);
  });
});
