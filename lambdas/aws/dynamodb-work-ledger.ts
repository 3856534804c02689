// WorkLedger (core/work-ledger.ts) on the coordination table: one item per claimed item,
// pk `work#<scope>`, sk `<item>`. A claim is a conditional put (free, expired, or already mine);
// when it fails, DynamoDB hands back the item that made it fail (ReturnValuesOnConditionCheckFailure),
// so the answer names the holder without a second read that could race with it.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { epochSeconds, isExpired, leaseExpiry } from '../core/leases.js';
import type { ClaimOutcome, WorkClaim, WorkClaimRequest, WorkLedger } from '../core/work-ledger.js';
import { HOLDER_NAME, type Item, leaseAttributes, number, numberOf, readPartition, releaseIfHeld, renewIfHeld, type TableRef, text, textOf, writeIf } from './dynamodb-leases.js';

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

  async claim(req: WorkClaimRequest): Promise<ClaimOutcome> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(req.now, req.leaseSeconds);
    const outcomes = await eachInBatches([...new Set(req.items)], async (item) => {
      const outcome = await writeIf(
        this.table,
        new PutItemCommand({
          TableName: this.table.name,
          Item: { ...keyOf(req.scope, item), ...leaseAttributes(req.holder, expiresAt, expiresAtEpoch) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtEpoch <= :now OR #holder = :holder',
          ExpressionAttributeNames: HOLDER_NAME,
          ExpressionAttributeValues: { ':now': number(epochSeconds(req.now)), ':holder': text(req.holder) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      // The condition can only fail on an existing item, which ALL_OLD returns with the failure.
      return outcome.applied ? { item } : { item, holder: outcome.current ? textOf(outcome.current, 'holder') : 'unknown' };
    });
    return {
      claimed: outcomes.filter((o) => o.holder === undefined).map((o) => o.item),
      heldElsewhere: outcomes.flatMap((o) => (o.holder === undefined ? [] : [{ item: o.item, holder: o.holder }])),
    };
  }

  async renew(req: WorkClaimRequest): Promise<string[]> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(req.now, req.leaseSeconds);
    const renewed = await eachInBatches([...new Set(req.items)], async (item) => ((await renewIfHeld(this.table, keyOf(req.scope, item), req.holder, expiresAt, expiresAtEpoch)) ? item : undefined));
    return renewed.filter((i): i is string => i !== undefined);
  }

  async release(scope: string, items: string[], holder: string): Promise<void> {
    await eachInBatches([...new Set(items)], (item) => releaseIfHeld(this.table, keyOf(scope, item), holder));
  }

  async list(scope: string, now: Date): Promise<WorkClaim[]> {
    const items = await readPartition(this.table, partitionKey(scope));
    return items
      .filter((i) => !isExpired(numberOf(i, 'expiresAtEpoch'), now))
      .map((i) => ({ item: textOf(i, 'sk'), holder: textOf(i, 'holder'), expiresAt: textOf(i, 'expiresAt') }));
  }
}
