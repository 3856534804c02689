// The local data plane follows cross-Region read replicas and their promotion (test/local/data-plane.ts),
// on moto + PostgreSQL, through a region-outage game day: the DR replica serves the primary's data,
// a failover promotes it and writes go to it, a failback replicates it back into the primary Region
// and promotes that, and a new DR replica follows the failed-back primary.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateDBInstanceReadReplicaCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  PromoteReadReplicaCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/aws/clients.js';
import { DR, localConfig } from '../state-machines/fixtures.js';
import { createPostgresInstance } from './fleet.js';
import { LocalStack } from './local-stack.js';
import { motoClientConfig } from './moto.js';

describe('local data plane: cross-Region read replicas and their promotion', () => {
  let aws: LocalStack;
  let ordersArn = '';

  beforeAll(async () => {
    // The failover workflow promotes orders-replica (its Lambda's PromoteReadReplica is what the data plane follows).
    const incident = { databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } };
    aws = await LocalStack.start({ config: localConfig({ incident }), withPostgres: true });
    ordersArn = await createPostgresInstance(aws.rds, 'orders', { 'rds-dr:policy': 'gold' }); // protected: the failover takes it
    await aws.pg!.createDatabase('orders');
    aws.dataPlane!.attach('instance', 'orders', 'orders');
    await aws.sql('instance', 'orders', "CREATE TABLE items (id int PRIMARY KEY, note text); INSERT INTO items VALUES (1, 'before the outage')");
  });
  afterAll(async () => aws?.stop());

  const notes = async (id: string) => (await aws.sql('instance', id, 'SELECT note FROM items ORDER BY id')).map((r) => r.note);
  const insert = (id: string, n: number, note: string) => aws.sql('instance', id, `INSERT INTO items VALUES (${n}, '${note}')`);
  const describe_ = async (rds: RDSClient, id: string) => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0];
  const arnOf = async (rds: RDSClient, id: string) => (await describe_(rds, id)).DBInstanceArn!;

  /** A session on the endpoint the Lambdas read for `id` (DescribeDBInstances on their client in `region`). */
  async function connectToEndpoint(region: string, id: string): Promise<pg.Client> {
    const { Address, Port } = (await describe_(awsClients.rds(region), id)).Endpoint!;
    // The endpoint decides the database; the name asked for does not matter (one database per instance here).
    const c = new pg.Client({ host: Address, port: Port, user: 'postgres', database: 'anything' });
    await c.connect();
    return c;
  }

  it('a cross-Region replica (source named by ARN) serves its source\'s rows as they are written, read-only', async () => {
    await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: ordersArn }));
    expect((await describe_(aws.rdsDr, 'orders-replica')).ReadReplicaSourceDBInstanceIdentifier).toBe(ordersArn);
    expect(await notes('orders-replica')).toEqual(['before the outage']);
    await insert('orders', 2, 'still before');
    expect(await notes('orders-replica')).toEqual(['before the outage', 'still before']);
    await expect(insert('orders-replica', 99, 'into a replica')).rejects.toThrow(/read-only transaction/);

    const session = await connectToEndpoint(DR, 'orders-replica');
    try {
      expect((await session.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(2);
      await expect(session.query("INSERT INTO items VALUES (99, 'into a replica')")).rejects.toThrow(/read-only transaction/);
    } finally {
      await session.end();
    }
  });

  it('after the failover workflow promotes it the replica holds what it had, and its writes and the old source\'s no longer reach each other', async () => {
    // The replica's lag as RDS publishes it (the failover's pre-check reads it): zero here, as the data plane has none.
    await new CloudWatchClient(motoClientConfig(aws.moto, DR)).send(new PutMetricDataCommand({
      Namespace: 'AWS/RDS',
      MetricData: [{ MetricName: 'ReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-replica' }], Value: 0, Unit: 'Seconds', Timestamp: new Date() }],
    }));
    const run = await aws.runFailover({ db: 'orders', reason: 'game day: us-east-1 outage', dryRun: false, force: false }, 'game-day-failover');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect(aws.lambdaRdsCalls.filter((c) => c.command === 'PromoteReadReplicaCommand' && !c.error)).toHaveLength(1);
    // RDS reports a standalone instance, and the source no longer lists it (fidelity.ts followPromotions).
    expect((await describe_(aws.rdsDr, 'orders-replica')).ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    expect((await describe_(aws.rds, 'orders')).ReadReplicaDBInstanceIdentifiers).toEqual([]);

    // Writes go to the promoted database through the same endpoint the replica had.
    const session = await connectToEndpoint(DR, 'orders-replica');
    try {
      await session.query("INSERT INTO items VALUES (3, 'written in DR after failover')");
    } finally {
      await session.end();
    }
    await insert('orders', 4, 'late write to the old primary');
    expect(await notes('orders-replica')).toEqual(['before the outage', 'still before', 'written in DR after failover']);
    expect(await notes('orders')).toEqual(['before the outage', 'still before', 'late write to the old primary']);
  });

  it('a snapshot of the promoted replica captures its own data', async () => {
    const out = await aws.rdsDr.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-replica', DBSnapshotIdentifier: 'orders-replica-after-failover' }));
    // As the backup workflow's aws-sdk task would report it to the data plane.
    await aws.dataPlane!.onSdkCall({ region: DR, service: 'rds', action: 'createDBSnapshot', input: {}, output: { DBSnapshot: out.DBSnapshot } });
    await aws.dataPlane!.restoreInto(out.DBSnapshot!.DBSnapshotArn!, 'promoted_snapshot_check');
    const c = aws.pg!.client('promoted_snapshot_check');
    await c.connect();
    try {
      expect((await c.query('SELECT note FROM items ORDER BY id')).rows.map((r) => r.note)).toContain('written in DR after failover');
      expect((await c.query('SELECT note FROM items ORDER BY id')).rows.map((r) => r.note)).not.toContain('late write to the old primary');
    } finally {
      await c.end();
    }
  });

  it('failback: a replica of the promoted database in the primary Region follows it and, promoted, holds its rows; a new DR replica follows that', async () => {
    const promotedArn = await arnOf(aws.rdsDr, 'orders-replica');
    await aws.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-failback', SourceDBInstanceIdentifier: promotedArn }));
    await insert('orders-replica', 5, 'written in DR during failback');
    expect(await notes('orders-failback')).toContain('written in DR during failback');

    await aws.rds.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'orders-failback' }));
    expect(await notes('orders-failback')).toEqual(['before the outage', 'still before', 'written in DR after failover', 'written in DR during failback']);
    await insert('orders-failback', 6, 'written in the primary Region after failback');
    expect(await notes('orders-replica')).not.toContain('written in the primary Region after failback');

    // The game day re-creates the DR replica under its old name, from the failed-back primary.
    await aws.rdsDr.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-replica', SkipFinalSnapshot: true }));
    const failbackArn = await arnOf(aws.rds, 'orders-failback');
    await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: failbackArn }));
    expect((await describe_(aws.rdsDr, 'orders-replica')).ReadReplicaSourceDBInstanceIdentifier).toBe(failbackArn);
    expect(await notes('orders-replica')).toContain('written in the primary Region after failback');
    await expect(insert('orders-replica', 98, 'into a replica')).rejects.toThrow(/read-only transaction/);
  });

  it('follows replicas made and promoted by a workflow\'s aws-sdk tasks (the sdk-bridge reports each call)', async () => {
    // A client the data plane does not watch: only the task's report tells it about the replica.
    const task = new RDSClient(motoClientConfig(aws.moto, DR));
    const input = { DBInstanceIdentifier: 'orders-sdk', SourceDBInstanceIdentifier: ordersArn };
    const out = await task.send(new CreateDBInstanceReadReplicaCommand(input));
    await aws.dataPlane!.onSdkCall({ region: DR, service: 'rds', action: 'createDBInstanceReadReplica', input, output: { DBInstance: out.DBInstance } });
    expect(await notes('orders-sdk')).toContain('late write to the old primary');

    const promoted = await task.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'orders-sdk' }));
    await aws.dataPlane!.onSdkCall({ region: DR, service: 'rds', action: 'promoteReadReplica', input: { DBInstanceIdentifier: 'orders-sdk' }, output: { DBInstance: promoted.DBInstance } });
    expect(aws.dataPlane!.isReplica('orders-sdk')).toBe(false);
    await insert('orders-sdk', 7, 'written to the copy a task promoted');
    expect(await notes('orders')).not.toContain('written to the copy a task promoted');
  });
  it('a restored database ends when its delete is answered "not found" (a retried delete whose first answer was lost), or a Lambda deletes it', async () => {
    const out = await aws.rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'orders-for-throwaways' }));
    await aws.dataPlane!.onSdkCall({ region: 'us-east-1', service: 'rds', action: 'createDBSnapshot', input: {}, output: { DBSnapshot: out.DBSnapshot } });
    const restore = (id: string) => aws.dataPlane!.onSdkCall({
      region: 'us-east-1', service: 'rds', action: 'restoreDBInstanceFromDBSnapshot', input: { DBInstanceIdentifier: id, DBSnapshotIdentifier: 'orders-for-throwaways' }, output: {},
    });
    await restore('rdsdr-verify-retried');
    await restore('rdsdr-verify-swept');
    expect(aws.dataPlane!.runningRestores).toEqual(expect.arrayContaining(['rdsdr-verify-retried', 'rdsdr-verify-swept']));

    await aws.dataPlane!.onSdkCall({ region: 'us-east-1', service: 'rds', action: 'deleteDBInstance', input: { DBInstanceIdentifier: 'rdsdr-verify-retried' }, error: 'InvalidDBInstanceStateFault' });
    expect(aws.dataPlane!.runningRestores).toContain('rdsdr-verify-retried'); // refused: still there
    await aws.dataPlane!.onSdkCall({ region: 'us-east-1', service: 'rds', action: 'deleteDBInstance', input: { DBInstanceIdentifier: 'rdsdr-verify-retried' }, error: 'DBInstanceNotFoundFault' });
    await aws.dataPlane!.followLambdaDelete('DeleteDBInstanceCommand', { DBInstanceIdentifier: 'rdsdr-verify-swept' });
    expect(aws.dataPlane!.runningRestores).not.toContain('rdsdr-verify-retried');
    expect(aws.dataPlane!.runningRestores).not.toContain('rdsdr-verify-swept');
  });
});
