// What the copy slots and the work ledger share on the coordination table (one DynamoDB table, keys
// pk/sk, TTL on expiresAtEpoch; lib/platform/coordination-table.ts): reading a partition, lease
// attributes, and telling "someone else holds it" from a real failure.
import { type AttributeValue, DeleteItemCommand, paginateQuery, type PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { awsClients } from './clients.js';

export type Item = Record<string, AttributeValue>;

/** The table, by name, in the region it lives in (the primary region). */
export interface TableRef {
  name: string;
  region: string;
}

export const text = (value: string): AttributeValue => ({ S: value });
export const number = (value: number): AttributeValue => ({ N: String(value) });
export const textOf = (item: Item, name: string): string => item[name]?.S ?? '';
export const numberOf = (item: Item, name: string): number => Number(item[name]?.N ?? 0);

/**
 * The lease attributes: `expiresAtEpoch` is the table's TTL attribute, so DynamoDB also deletes a
 * lease some time after it ran out. TTL deletion lags (typically within a few days, "Using time to
 * live (TTL) in DynamoDB"), so expiry is always decided by comparing `expiresAtEpoch`, never by
 * whether the item is still there.
 */
export const leaseAttributes = (holder: string, expiresAt: string, expiresAtEpoch: number): Item => ({
  holder: text(holder),
  expiresAt: text(expiresAt),
  expiresAtEpoch: number(expiresAtEpoch),
});

/** `holder` is short and plain, but an attribute name placeholder keeps expressions safe from DynamoDB's reserved words. */
export const HOLDER_NAME = { '#holder': 'holder' } as const;

/** The condition failed: someone else holds the item (or nobody does, for a renewal or release). */
function isConditionFailed(err: unknown): err is Error & { Item?: Item } {
  return (err as Error)?.name === 'ConditionalCheckFailedException';
}

/** A conditional write's outcome: applied, or refused with the item as it was (when ALL_OLD asked for it). */
export type WriteOutcome = { applied: true } | { applied: false; current?: Item };

/** Sends one conditional write; a failed condition is an answer (someone else holds it), any other error throws. */
export async function writeIf(table: TableRef, command: PutItemCommand | UpdateItemCommand | DeleteItemCommand): Promise<WriteOutcome> {
  try {
    // The union is one of three commands of one client; send accepts each.
    await awsClients.dynamodb(table.region).send(command as UpdateItemCommand);
    return { applied: true };
  } catch (err) {
    if (isConditionFailed(err)) return { applied: false, current: err.Item };
    throw err;
  }
}

/** Extends a lease, only if `holder` still holds it: an expired lease nobody took yet is still its holder's. */
export async function renewIfHeld(table: TableRef, key: Item, holder: string, expiresAt: string, expiresAtEpoch: number): Promise<boolean> {
  const outcome = await writeIf(
    table,
    new UpdateItemCommand({
      TableName: table.name,
      Key: key,
      UpdateExpression: 'SET expiresAt = :expiresAt, expiresAtEpoch = :expiresAtEpoch',
      ConditionExpression: '#holder = :holder',
      ExpressionAttributeNames: HOLDER_NAME,
      ExpressionAttributeValues: { ':holder': text(holder), ':expiresAt': text(expiresAt), ':expiresAtEpoch': number(expiresAtEpoch) },
    }),
  );
  return outcome.applied;
}

/** Deletes a lease, only if `holder` still holds it: never the item of whoever took it over after it ran out. */
export async function releaseIfHeld(table: TableRef, key: Item, holder: string): Promise<void> {
  // Refused means released already, or taken over after it expired: either way not this holder's any more.
  await writeIf(
    table,
    new DeleteItemCommand({
      TableName: table.name,
      Key: key,
      ConditionExpression: '#holder = :holder',
      ExpressionAttributeNames: HOLDER_NAME,
      ExpressionAttributeValues: { ':holder': text(holder) },
    }),
  );
}

/** Every item of one partition, read consistently: a decision must see every write acknowledged before it. */
export async function readPartition(table: TableRef, pk: string): Promise<Item[]> {
  const items: Item[] = [];
  const pages = paginateQuery(
    { client: awsClients.dynamodb(table.region) },
    { TableName: table.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': text(pk) }, ConsistentRead: true },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}
