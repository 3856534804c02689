// WorkLedger (core/work-ledger.ts) on the coordination table: one item per claimed item,
// pk `work#<scope>`, sk `<item>`. A claim is a conditional put (free, expired, or already mine);
// when it fails, DynamoDB hands back the item that made it fail (ReturnValuesOnConditionCheckFailure),
// so the answer names the holder without a second read that could race with it.
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { epochSeconds, isExpired, leaseExpiry } from '../core/leases.js';
import type { ClaimOutcome, WorkClaim, WorkClaimRequest, WorkLedger } from '../core/work-ledger.js';
import { awsClients } from './clients.js';
import { HOLDER_NAME, isConditionFailed, type Item, leaseAttributes, number, numberOf, readPartition, type TableRef, text, textOf } from './dynamodb-leases.js';

const partitionKey = (scope: string) => `work#${scope}`;
const keyOf = (scope: string, item: string): Item => ({ pk: text(partitionKey(scope)), sk: text(item) });
// Writes at once per call: a policy may select hundreds of databases; the SDK client queues beyond its sockets anyway.
const BATCH = 25;

async function eachInBatches<T, R>(values: T[], fn: (value: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += BATCH) out.push(...(await Promise.all(values.slice(i, i + BATCH).map(fn))));
  return out;
}

export class DynamoDbWorkLedger implements WorkLedger {
  constructor(private readonly table: TableRef) {}

  private get db() {
    return awsClients.dynamodb(this.table.region);
  }

  async claim(req: WorkClaimRequest): Promise<ClaimOutcome> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(req.now, req.leaseSeconds);
    const outcomes = await eachInBatches([...new Set(req.items)], async (item) => {
      try {
        await this.db.send(
          new PutItemCommand({
            TableName: this.table.name,
            Item: { ...keyOf(req.scope, item), ...leaseAttributes(req.holder, expiresAt, expiresAtEpoch) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAtEpoch <= :now OR #holder = :holder',
            ExpressionAttributeNames: HOLDER_NAME,
            ExpressionAttributeValues: { ':now': number(epochSeconds(req.now)), ':holder': text(req.holder) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { item };
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
        // The condition can only fail on an existing item, which ALL_OLD returns with the failure.
        return { item, holder: err.Item ? textOf(err.Item, 'holder') : 'unknown' };
      }
    });
    return {
      claimed: outcomes.filter((o) => o.holder === undefined).map((o) => o.item),
      heldElsewhere: outcomes.flatMap((o) => (o.holder === undefined ? [] : [{ item: o.item, holder: o.holder }])),
    };
  }

  async renew(req: WorkClaimRequest): Promise<string[]> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(req.now, req.leaseSeconds);
    const renewed = await eachInBatches([...new Set(req.items)], async (item) => {
      try {
        await this.db.send(
          new UpdateItemCommand({
            TableName: this.table.name,
            Key: keyOf(req.scope, item),
            UpdateExpression: 'SET expiresAt = :expiresAt, expiresAtEpoch = :expiresAtEpoch',
            ConditionExpression: '#holder = :holder',
            ExpressionAttributeNames: HOLDER_NAME,
            ExpressionAttributeValues: { ':holder': text(req.holder), ':expiresAt': text(expiresAt), ':expiresAtEpoch': number(expiresAtEpoch) },
          }),
        );
        return item;
      } catch (err) {
        if (isConditionFailed(err)) return undefined;
        throw err;
      }
    });
    return renewed.filter((i): i is string => i !== undefined);
  }

  async release(scope: string, items: string[], holder: string): Promise<void> {
    await eachInBatches([...new Set(items)], async (item) => {
      try {
        await this.db.send(
          new DeleteItemCommand({
            TableName: this.table.name,
            Key: keyOf(scope, item),
            ConditionExpression: '#holder = :holder',
            ExpressionAttributeNames: HOLDER_NAME,
            ExpressionAttributeValues: { ':holder': text(holder) },
          }),
        );
      } catch (err) {
        // Released already, or taken over after it expired.
        if (!isConditionFailed(err)) throw err;
      }
    });
  }

  async list(scope: string, now: Date): Promise<WorkClaim[]> {
    const items = await readPartition(this.table, partitionKey(scope));
    return items
      .filter((i) => !isExpired(numberOf(i, 'expiresAtEpoch'), now))
      .map((i) => ({ item: textOf(i, 'sk'), holder: textOf(i, 'holder'), expiresAt: textOf(i, 'expiresAt') }));
  }
}
