// What every CopySlots must do, run against the in-memory twin (copy-slots.test.ts) and DynamoDB on
// moto (test/lambdas/aws/coordination.moto.test.ts). Each test uses its own destination region, so
// the tests of one run share a store without seeing each other's slots.
import { expect, it } from 'vitest';
import type { CopySlotLimits, CopySlots } from '../../../lambdas/core/copy-slots.js';

export const CONTRACT_LIMITS: CopySlotLimits = { instance: 3, cluster: 2, leaseSeconds: 120 };

/** A whole second an hour ahead: every lease of these tests expires after the real clock (a store's TTL never interferes). */
export const contractStart = (): Date => new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
const plus = (t: Date, seconds: number) => new Date(t.getTime() + seconds * 1000);

let regions = 0;
const freshRegion = () => `test-region-${++regions}`;

/** `make(limits)`: a CopySlots over the one store of this run. */
export function copySlotsContract(make: (limits: CopySlotLimits) => CopySlots): void {
  const slots = make(CONTRACT_LIMITS);

  it('gives slots to as many holders as are free, in their order, and none beyond the limit', async () => {
    const region = freshRegion();
    const t0 = contractStart();
    const leases = await slots.acquire({ region, kind: 'instance', holders: ['a', 'b', 'c', 'd', 'e'], now: t0 });
    expect(leases.map((l) => l.holder)).toEqual(['a', 'b', 'c']);
    expect(new Set(leases.map((l) => l.slot)).size).toBe(3);
    expect(leases.every((l) => l.kind === 'instance' && l.region === region && l.expiresAt === plus(t0, 120).toISOString())).toBe(true);
    expect(await slots.inUse(region, 'instance', t0)).toBe(3);
    expect(await slots.acquire({ region, kind: 'instance', holders: ['f'], now: plus(t0, 1) })).toEqual([]);
  });

  it('gives a holder that asks again its own slot back instead of a second one', async () => {
    const region = freshRegion();
    const t0 = contractStart();
    const [first] = await slots.acquire({ region, kind: 'instance', holders: ['a'], now: t0 });
    const again = await slots.acquire({ region, kind: 'instance', holders: ['a', 'b'], now: plus(t0, 5) });
    expect(again.map((l) => [l.holder, l.slot === first.slot])).toEqual([['a', true], ['b', false]]);
    expect(await slots.inUse(region, 'instance', plus(t0, 5))).toBe(2);
  });

  it('frees a released slot for the next holder; releasing twice is harmless', async () => {
    const region = freshRegion();
    const t0 = contractStart();
    const leases = await slots.acquire({ region, kind: 'instance', holders: ['a', 'b', 'c'], now: t0 });
    const b = leases.find((l) => l.holder === 'b')!;
    await slots.release([b]);
    await slots.release([b]);
    expect(await slots.inUse(region, 'instance', t0)).toBe(2);
    const [d] = await slots.acquire({ region, kind: 'instance', holders: ['d'], now: plus(t0, 1) });
    expect(d).toMatchObject({ holder: 'd', slot: b.slot });
  });

  it('lets anyone take over an expired lease; the old holder can then neither renew nor release it', async () => {
    const region = freshRegion();
    const one = make({ ...CONTRACT_LIMITS, instance: 1 });
    const t0 = contractStart();
    const [a] = await one.acquire({ region, kind: 'instance', holders: ['a'], now: t0 });
    expect(await one.acquire({ region, kind: 'instance', holders: ['b'], now: plus(t0, 119) })).toEqual([]);
    const [b] = await one.acquire({ region, kind: 'instance', holders: ['b'], now: plus(t0, 120) });
    expect(b).toMatchObject({ holder: 'b', slot: a.slot });
    expect(await one.renew([a], plus(t0, 121))).toEqual([]);
    await one.release([a]);
    expect(await one.inUse(region, 'instance', plus(t0, 122))).toBe(1);
    expect(await one.acquire({ region, kind: 'instance', holders: ['c'], now: plus(t0, 122) })).toEqual([]);
    expect(await one.renew([b], plus(t0, 123))).toEqual([{ ...b, expiresAt: plus(t0, 243).toISOString() }]);
  });

  it('hands a live slot over only while its holder still has it: one taker wins, the old holder can no longer renew or release it', async () => {
    const region = freshRegion();
    const one = make({ ...CONTRACT_LIMITS, instance: 1 });
    const t0 = contractStart();
    const [a] = await one.acquire({ region, kind: 'instance', holders: ['exec-1|copy-a'], now: t0 });
    expect(await one.held(region, 'instance', plus(t0, 1))).toEqual([a]);
    const [first, second] = await Promise.all([one.takeOver(a, 'exec-2|copy-b', plus(t0, 2)), one.takeOver(a, 'exec-3|copy-c', plus(t0, 2))]);
    const winner = first ?? second;
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(winner).toMatchObject({ slot: a.slot, expiresAt: plus(t0, 122).toISOString() });
    expect(await one.held(region, 'instance', plus(t0, 3))).toEqual([winner]);
    expect(await one.renew([a], plus(t0, 3))).toEqual([]);
    await one.release([a]);
    expect(await one.inUse(region, 'instance', plus(t0, 4))).toBe(1);
  });

  it('keeps a renewed lease alive past its original expiry, until the renewed one', async () => {
    const region = freshRegion();
    const one = make({ ...CONTRACT_LIMITS, instance: 1 });
    const t0 = contractStart();
    const [a] = await one.acquire({ region, kind: 'instance', holders: ['a'], now: t0 });
    expect(await one.renew([a], plus(t0, 100))).toEqual([{ ...a, expiresAt: plus(t0, 220).toISOString() }]);
    expect(await one.acquire({ region, kind: 'instance', holders: ['b'], now: plus(t0, 150) })).toEqual([]);
    expect(await one.inUse(region, 'instance', plus(t0, 219))).toBe(1);
    expect(await one.inUse(region, 'instance', plus(t0, 220))).toBe(0);
    expect(await one.acquire({ region, kind: 'instance', holders: ['b'], now: plus(t0, 220) })).toMatchObject([{ holder: 'b', slot: a.slot }]);
  });

  it('counts instance and cluster copies, and each destination region, apart', async () => {
    const region = freshRegion();
    const t0 = contractStart();
    expect(await slots.acquire({ region, kind: 'cluster', holders: ['a', 'b', 'c'], now: t0 })).toHaveLength(2);
    expect(await slots.acquire({ region, kind: 'instance', holders: ['d', 'e', 'f'], now: t0 })).toHaveLength(3);
    expect(await slots.acquire({ region: freshRegion(), kind: 'cluster', holders: ['g'], now: t0 })).toHaveLength(1);
    expect([await slots.inUse(region, 'cluster', t0), await slots.inUse(region, 'instance', t0)]).toEqual([2, 3]);
  });

  it('after the limit is lowered, counts the slots held above it until they are released', async () => {
    const region = freshRegion();
    const t0 = contractStart();
    const leases = await slots.acquire({ region, kind: 'instance', holders: ['a', 'b', 'c'], now: t0 });
    const lowered = make({ ...CONTRACT_LIMITS, instance: 2 });
    expect(await lowered.acquire({ region, kind: 'instance', holders: ['d'], now: t0 })).toEqual([]);
    await lowered.release([leases.find((l) => l.slot === 0)!]);
    expect(await lowered.acquire({ region, kind: 'instance', holders: ['d'], now: t0 })).toEqual([]);
    await lowered.release([leases.find((l) => l.slot === 1)!]);
    expect(await lowered.acquire({ region, kind: 'instance', holders: ['d', 'e'], now: t0 })).toMatchObject([{ holder: 'd', slot: 0 }]);
    expect(await lowered.inUse(region, 'instance', t0)).toBe(2);
  });
}
