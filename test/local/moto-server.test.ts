// The local AWS keeps DynamoDB's conditional writes atomic under concurrency (moto-server.py): when
// many writers race for a few keys with "put if absent or expired", each key goes to exactly one.
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateDBInstanceCommand, CreateDBSnapshotCommand, DeleteDBSnapshotCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Moto, motoClientConfig, startMoto } from './moto.js';

describe('local AWS: DynamoDB conditional writes', () => {
  let moto: Moto;
  let db: DynamoDBClient;
  const TableName = 'atomicity';

  beforeAll(async () => {
    moto = await startMoto();
    db = new DynamoDBClient({ ...motoClientConfig(moto, 'us-east-1'), maxAttempts: 1 });
    await db.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      }),
    );
  });
  afterAll(async () => moto?.stop());

  const putIfFree = async (pk: string, sk: string, writer: number) => {
    try {
      await db.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: pk }, sk: { S: sk }, writer: { N: String(writer) }, expiresAtEpoch: { N: '4102444800' } },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtEpoch <= :now',
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(Date.now() / 1000)) } },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  };

  it('gives each of 10 keys to exactly one of 30 writers trying them all at once, every round', async () => {
    for (let round = 0; round < 4; round++) {
      const pk = `round-${round}`;
      const won = await Promise.all(
        Array.from({ length: 30 }, async (_, writer) => {
          for (let slot = 0; slot < 10; slot++) if (await putIfFree(pk, `slot#${slot}`, writer)) return slot;
          return undefined;
        }),
      );
      const slots = won.filter((s) => s !== undefined);
      expect(slots, `round ${round}: slots won`).toHaveLength(10);
      expect(new Set(slots).size, `round ${round}: distinct slots`).toBe(10);
    }
  });
});

// RDS answers each request against a consistent state (moto-server.py): a Describe with a filter while
// snapshots are deleted around it never fails with InvalidParameterValue naming a deleted snapshot.
describe('local AWS: RDS requests against a consistent state', () => {
  let moto: Moto;
  let rds: RDSClient;
  const SNAPSHOTS = 300;

  beforeAll(async () => {
    moto = await startMoto({ env: { MOTO_RDS_SNAPSHOT_LIMIT: String(SNAPSHOTS + 10) } });
    rds = new RDSClient({ ...motoClientConfig(moto, 'us-east-1'), maxAttempts: 1 });
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'src', Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'local-only-password' }));
    for (let i = 0; i < SNAPSHOTS; i += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, j) => rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'src', DBSnapshotIdentifier: `snap-${i + j}` }))));
    }
  }, 120_000);
  afterAll(async () => moto?.stop());

  it('describes with a filter while deleting, and only ever sees whole snapshots', async () => {
    const errors: string[] = [];
    let deleting = true;
    const describeLoop = async () => {
      while (deleting) {
        await rds.send(new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'db-instance-id', Values: ['src'] }], SnapshotType: 'manual' })).catch((err: Error) => errors.push(`${err.name}: ${err.message}`));
      }
    };
    const describers = Array.from({ length: 4 }, describeLoop);
    for (let i = 0; i < SNAPSHOTS; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `snap-${i + j}` }))));
    }
    deleting = false;
    await Promise.all(describers);
    expect(errors).toEqual([]);
  }, 120_000);
});
