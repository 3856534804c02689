// The copy slots and the work ledger on DynamoDB (moto_server): the same contracts the in-memory
// twins keep, the semaphore under real concurrency, and the items as they are stored.
import { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand, ScanCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCopySlots } from '../../../lambdas/aws/dynamodb-copy-slots.js';
import { DynamoDbWorkLedger } from '../../../lambdas/aws/dynamodb-work-ledger.js';
import { epochSeconds } from '../../../lambdas/core/leases.js';
import { type Moto, motoClientConfig, startMoto, useMotoForSdk } from '../../local/moto.js';
import { CONTRACT_LIMITS, contractStart, copySlotsContract } from '../core/copy-slots.contract.js';
import { workLedgerContract } from '../core/work-ledger.contract.js';

const PRIMARY = 'us-east-1';
const TABLE = { name: 'rds-dr-coordination', region: PRIMARY };

describe('coordination table on DynamoDB (moto)', () => {
  let moto: Moto;
  let db: DynamoDBClient;

  beforeAll(async () => {
    moto = await startMoto();
    useMotoForSdk(moto, PRIMARY);
    db = new DynamoDBClient(motoClientConfig(moto, PRIMARY));
    // As lib/platform/coordination-table.ts declares it (test/local/local-stack.ts creates it from the template itself).
    await db.send(
      new CreateTableCommand({
        TableName: TABLE.name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      }),
    );
    await db.send(new UpdateTimeToLiveCommand({ TableName: TABLE.name, TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true } }));
  });
  afterAll(async () => moto?.stop());

  describe('DynamoDbCopySlots keeps the CopySlots contract', () => {
    copySlotsContract((limits) => new DynamoDbCopySlots(TABLE, limits));
  });

  describe('DynamoDbWorkLedger keeps the WorkLedger contract', () => {
    workLedgerContract(new DynamoDbWorkLedger(TABLE));
  });

  it('gives 50 copies asking at once exactly 20 instance slots, never more than 20 at a time, and each one a slot in turn', async () => {
    const slots = new DynamoDbCopySlots(TABLE, { instance: 20, cluster: 5, leaseSeconds: 900 });
    const region = 'eu-west-1';
    const holders = Array.from({ length: 50 }, (_, i) => `arn:aws:states:${PRIMARY}:123456789012:execution:rds-dr-backup:run-${i % 7}|rdsdr-db${i}-202611220200`);
    const acquire = async (holder: string) => (await slots.acquire({ region, kind: 'instance', holders: [holder], now: new Date() }))[0];

    // All at once, one attempt each: whoever finds no slot found all 20 taken.
    const first = await Promise.all(holders.map(acquire));
    const winners = first.filter((l) => l !== undefined);
    expect(winners).toHaveLength(20);
    expect(new Set(winners.map((l) => l.slot))).toEqual(new Set(Array.from({ length: 20 }, (_, slot) => slot)));
    expect(await slots.inUse(region, 'instance', new Date())).toBe(20);

    // Then the winners finish one by one while the others keep asking at their poll turns.
    let holding = winners.length;
    let peak = holding;
    const served = winners.map((l) => l.holder);
    const finish = async (lease: (typeof winners)[number]) => {
      await sleep(20 + Math.random() * 80);
      // Counted out before the release, so a slot is never counted free while it is still held.
      holding--;
      await slots.release([lease]);
    };
    await Promise.all([
      ...winners.map(finish),
      ...holders
        .filter((h) => !served.includes(h))
        .map(async (holder) => {
          let lease;
          while (!(lease = await acquire(holder))) await sleep(5 + Math.random() * 20);
          holding++;
          peak = Math.max(peak, holding);
          served.push(holder);
          await finish(lease);
        }),
    ]);
    expect(peak).toBeLessThanOrEqual(20);
    expect(new Set(served).size).toBe(50);
    expect(await slots.inUse(region, 'instance', new Date())).toBe(0);
  });

  it('keeps one item per held slot under copy-slots#<region>#<kind> / slot#NN, its expiry also in the TTL attribute', async () => {
    const slots = new DynamoDbCopySlots(TABLE, CONTRACT_LIMITS);
    const t0 = contractStart();
    await slots.acquire({ region: 'ap-south-1', kind: 'cluster', holders: ['exec|snap-a', 'exec|snap-b'], now: t0 });
    const items = (await db.send(new QueryCommand({ TableName: TABLE.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'copy-slots#ap-south-1#cluster' } } }))).Items;
    expect(items).toEqual([
      {
        pk: { S: 'copy-slots#ap-south-1#cluster' },
        sk: { S: 'slot#00' },
        holder: { S: 'exec|snap-a' },
        expiresAt: { S: new Date(t0.getTime() + 120_000).toISOString() },
        expiresAtEpoch: { N: String(epochSeconds(t0) + 120) },
        acquiredAt: { S: t0.toISOString() },
      },
      expect.objectContaining({ sk: { S: 'slot#01' }, holder: { S: 'exec|snap-b' } }),
    ]);
  });

  it('keeps one item per claim under work#<scope> / <item>', async () => {
    const t0 = contractStart();
    await new DynamoDbWorkLedger(TABLE).claim({ scope: 'backup#silver', items: ['orders'], holder: 'exec-1', now: t0, leaseSeconds: 600 });
    const items = (await db.send(new ScanCommand({ TableName: TABLE.name, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'work#backup#silver' } } }))).Items;
    expect(items).toEqual([{ pk: { S: 'work#backup#silver' }, sk: { S: 'orders' }, holder: { S: 'exec-1' }, expiresAt: { S: new Date(t0.getTime() + 600_000).toISOString() }, expiresAtEpoch: { N: String(epochSeconds(t0) + 600) } }]);
  });

  it('lists every live claim of a scope even when the partition takes several Query pages (1 MB each)', async () => {
    const t0 = contractStart();
    const scope = 'backup#large';
    // Claims padded to 350 KB each (test data only): four of them exceed one page.
    for (const item of ['db-1', 'db-2', 'db-3', 'db-4']) {
      await db.send(
        new PutItemCommand({
          TableName: TABLE.name,
          Item: { pk: { S: `work#${scope}` }, sk: { S: item }, holder: { S: 'exec-1' }, expiresAt: { S: 'x' }, expiresAtEpoch: { N: String(epochSeconds(t0) + 60) }, pad: { S: 'x'.repeat(350_000) } },
        }),
      );
    }
    const firstPage = await db.send(new QueryCommand({ TableName: TABLE.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `work#${scope}` } } }));
    expect(firstPage.LastEvaluatedKey).toBeDefined();
    expect((await new DynamoDbWorkLedger(TABLE).list(scope, t0)).map((c) => c.item)).toEqual(['db-1', 'db-2', 'db-3', 'db-4']);
  });
});
