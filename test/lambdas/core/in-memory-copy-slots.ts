// CopySlots in memory, with the decisions of lambdas/core/copy-slots.ts and the same conditions
// DynamoDbCopySlots writes with, for tests of code that takes slots. Instances made from one
// store (`withLimits`) share its slots, like two Lambdas sharing the table.
import { type AcquireRequest, type CopyKind, type CopySlotLimits, type CopySlots, planAcquisition, type SlotLease, type SlotRecord, slotLimit } from '../../../lambdas/core/copy-slots.js';
import { isExpired, leaseExpiry } from '../../../lambdas/core/leases.js';

const keyOf = (region: string, kind: CopyKind, slot: number) => `${region}|${kind}|${slot}`;

export class InMemoryCopySlots implements CopySlots {
  constructor(
    private readonly limits: CopySlotLimits,
    /** `region|kind|slot` -> the slot's holder and expiry. */
    readonly store = new Map<string, SlotRecord>(),
  ) {}

  /** Another instance over the same slots (e.g. after the config changed the limits). */
  withLimits(limits: CopySlotLimits): InMemoryCopySlots {
    return new InMemoryCopySlots(limits, this.store);
  }

  async acquire(req: AcquireRequest): Promise<SlotLease[]> {
    const plan = planAcquisition(this.listing(req.region, req.kind), req.holders, slotLimit(this.limits, req.kind), req.now);
    const leases: SlotLease[] = plan.alreadyHeld.map((s) => ({ kind: req.kind, region: req.region, slot: s.slot, holder: s.holder, expiresAt: new Date(s.expiresAtEpoch * 1000).toISOString() }));
    const wanting = [...plan.wanting];
    for (const slot of plan.candidates) {
      if (wanting.length === 0) break;
      const key = keyOf(req.region, req.kind, slot);
      const current = this.store.get(key);
      if (current && !isExpired(current.expiresAtEpoch, req.now)) continue;
      const holder = wanting.shift()!;
      const { expiresAt, expiresAtEpoch } = leaseExpiry(req.now, this.limits.leaseSeconds);
      this.store.set(key, { slot, holder, expiresAtEpoch });
      leases.push({ kind: req.kind, region: req.region, slot, holder, expiresAt });
    }
    return leases.sort((a, b) => req.holders.indexOf(a.holder) - req.holders.indexOf(b.holder));
  }

  async renew(leases: SlotLease[], now: Date): Promise<SlotLease[]> {
    const { expiresAt, expiresAtEpoch } = leaseExpiry(now, this.limits.leaseSeconds);
    return leases.flatMap((lease) => {
      const current = this.store.get(keyOf(lease.region, lease.kind, lease.slot));
      if (current?.holder !== lease.holder) return [];
      current.expiresAtEpoch = expiresAtEpoch;
      return [{ ...lease, expiresAt }];
    });
  }

  async release(leases: SlotLease[]): Promise<void> {
    for (const lease of leases) {
      const key = keyOf(lease.region, lease.kind, lease.slot);
      if (this.store.get(key)?.holder === lease.holder) this.store.delete(key);
    }
  }

  async inUse(region: string, kind: CopyKind, now: Date): Promise<number> {
    return this.listing(region, kind).filter((s) => !isExpired(s.expiresAtEpoch, now)).length;
  }

  async held(region: string, kind: CopyKind, now: Date): Promise<SlotLease[]> {
    return this.listing(region, kind)
      .filter((s) => !isExpired(s.expiresAtEpoch, now))
      .map((s) => ({ kind, region, slot: s.slot, holder: s.holder, expiresAt: new Date(s.expiresAtEpoch * 1000).toISOString() }));
  }

  async takeOver(from: SlotLease, holder: string, now: Date): Promise<SlotLease | undefined> {
    const key = keyOf(from.region, from.kind, from.slot);
    if (this.store.get(key)?.holder !== from.holder) return undefined;
    const { expiresAt, expiresAtEpoch } = leaseExpiry(now, this.limits.leaseSeconds);
    this.store.set(key, { slot: from.slot, holder, expiresAtEpoch });
    return { ...from, holder, expiresAt };
  }

  private listing(region: string, kind: CopyKind): SlotRecord[] {
    const prefix = `${region}|${kind}|`;
    return [...this.store].filter(([key]) => key.startsWith(prefix)).map(([, record]) => ({ ...record }));
  }
}
