// CopySlots (core/copy-slots.ts) on the coordination table: one item per held slot,
// pk `copy-slots#<destination region>#<kind>`, sk `slot#07`. Taking a slot is a conditional put
// that succeeds only if the slot is absent or its lease ran out, so two executions can never hold
// the same slot, and the slots below the limit bound the copies in progress.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type AcquireRequest, type CopyKind, type CopySlotLimits, type CopySlots, planAcquisition, type SlotLease, type SlotRecord, slotLimit } from '../core/copy-slots.js';
import { epochSeconds, isExpired, leaseExpiry } from '../core/leases.js';
import { HOLDER_NAME, type Item, leaseAttributes, number, numberOf, readPartition, releaseIfHeld, renewIfHeld, type TableRef, text, textOf, writeIf } from './dynamodb-leases.js';

const partitionKey = (region: string, kind: CopyKind) => `copy-slots#${region}#${kind}`;
// Two digits: limits go up to 100 (slots 0-99), and the items then sort by slot.
const sortKey = (slot: number) => `slot#${String(slot).padStart(2, '0')}`;
const slotOf = (sk: string) => Number(sk.replace(/^slot#/, ''));
const keyOf = (lease: Pick<SlotLease, 'region' | 'kind' | 'slot'>): Item => ({ pk: text(partitionKey(lease.region, lease.kind)), sk: text(sortKey(lease.slot)) });

export class DynamoDbCopySlots implements CopySlots {
  constructor(
    private readonly table: TableRef,
    private readonly limits: CopySlotLimits,
  ) {}

  async acquire(req: AcquireRequest): Promise<SlotLease[]> {
    const listing = await this.listing(req.region, req.kind);
    const plan = planAcquisition(listing, req.holders, slotLimit(this.limits, req.kind), req.now);
    const leases = plan.alreadyHeld.map((s) => ({ kind: req.kind, region: req.region, slot: s.slot, holder: s.holder, expiresAt: new Date(s.expiresAtEpoch * 1000).toISOString() }));
    const wanting = [...plan.wanting];
    // One slot at a time: a slot someone else took since the listing just means trying the next one.
    for (const slot of plan.candidates) {
      if (wanting.length === 0) break;
      const lease = await this.take({ kind: req.kind, region: req.region, slot, holder: wanting[0] }, req.now);
      if (lease) {
        leases.push(lease);
        wanting.shift();
      }
    }
    return leases.sort((a, b) => req.holders.indexOf(a.holder) - req.holders.indexOf(b.holder));
  }

  async renew(leases: SlotLease[], now: Date): Promise<SlotLease[]> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(now, this.limits.leaseSeconds);
    const renewed = await Promise.all(leases.map(async (lease) => ((await renewIfHeld(this.table, keyOf(lease), lease.holder, expiresAt, expiresAtEpoch)) ? { ...lease, expiresAt } : undefined)));
    return renewed.filter((l): l is SlotLease => l !== undefined);
  }

  async release(leases: SlotLease[]): Promise<void> {
    await Promise.all(leases.map((lease) => releaseIfHeld(this.table, keyOf(lease), lease.holder)));
  }

  async inUse(region: string, kind: CopyKind, now: Date): Promise<number> {
    return (await this.listing(region, kind)).filter((s) => !isExpired(s.expiresAtEpoch, now)).length;
  }

  async held(region: string, kind: CopyKind, now: Date): Promise<SlotLease[]> {
    return (await this.listing(region, kind))
      .filter((s) => !isExpired(s.expiresAtEpoch, now))
      .map((s) => ({ kind, region, slot: s.slot, holder: s.holder, expiresAt: new Date(s.expiresAtEpoch * 1000).toISOString() }));
  }

  async takeOver(from: SlotLease, holder: string, now: Date): Promise<SlotLease | undefined> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(now, this.limits.leaseSeconds);
    const outcome = await writeIf(
      this.table,
      new PutItemCommand({
        TableName: this.table.name,
        Item: { ...keyOf(from), ...leaseAttributes(holder, expiresAt, expiresAtEpoch), acquiredAt: text(now.toISOString()) },
        // Only while the ended copy's holder still has it: two takers never get the same slot.
        ConditionExpression: '#holder = :from',
        ExpressionAttributeNames: HOLDER_NAME,
        ExpressionAttributeValues: { ':from': text(from.holder) },
      }),
    );
    return outcome.applied ? { ...from, holder, expiresAt } : undefined;
  }

  private async listing(region: string, kind: CopyKind): Promise<SlotRecord[]> {
    const items = await readPartition(this.table, partitionKey(region, kind));
    return items.map((item) => ({ slot: slotOf(textOf(item, 'sk')), holder: textOf(item, 'holder'), expiresAtEpoch: numberOf(item, 'expiresAtEpoch') }));
  }

  /** The slot for `holder`, if it is free (absent or expired) at the moment of the write. */
  private async take(slot: Omit<SlotLease, 'expiresAt'>, now: Date): Promise<SlotLease | undefined> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(now, this.limits.leaseSeconds);
    const outcome = await writeIf(
      this.table,
      new PutItemCommand({
        TableName: this.table.name,
        Item: { ...keyOf(slot), ...leaseAttributes(slot.holder, expiresAt, expiresAtEpoch), acquiredAt: text(now.toISOString()) },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAtEpoch <= :now',
        ExpressionAttributeValues: { ':now': number(epochSeconds(now)) },
      }),
    );
    return outcome.applied ? { ...slot, expiresAt } : undefined;
  }
}
