import { describe, expect, it } from 'vitest';
import { planAcquisition, type SlotRecord } from '../../../lambdas/core/copy-slots.js';
import { epochSeconds, isExpired, leaseExpiry } from '../../../lambdas/core/leases.js';
import { copySlotsContract } from './copy-slots.contract.js';
import { InMemoryCopySlots } from './in-memory-copy-slots.js';

const NOW = new Date('2026-11-22T02:00:00.400Z');
const at = (offsetSeconds: number) => epochSeconds(NOW) + offsetSeconds;
const held = (slot: number, holder: string, expiresInSeconds: number): SlotRecord => ({ slot, holder, expiresAtEpoch: at(expiresInSeconds) });

describe('lease time', () => {
  it('counts whole seconds: a lease taken at 02:00:00.4 for 120 s runs until 02:02:00', () => {
    expect(leaseExpiry(NOW, 120)).toEqual({ expiresAt: '2026-11-22T02:02:00.000Z', expiresAtEpoch: at(120) });
  });

  it('is expired from its expiry second on, as the store\'s `expiresAtEpoch <= :now` says', () => {
    expect(isExpired(at(1), NOW)).toBe(false);
    expect(isExpired(at(0), NOW)).toBe(true);
    expect(isExpired(at(-1), NOW)).toBe(true);
  });
});

describe('planAcquisition', () => {
  it('tries the free slots below the limit, lowest first', () => {
    expect(planAcquisition([held(1, 'x', 60)], ['a', 'b'], 4, NOW)).toEqual({ alreadyHeld: [], wanting: ['a', 'b'], candidates: [0, 2, 3] });
  });

  it('treats an expired slot as free and an unexpired one as taken', () => {
    const plan = planAcquisition([held(0, 'dead', 0), held(1, 'alive', 1)], ['a'], 2, NOW);
    expect(plan.candidates).toEqual([0]);
  });

  it('tries nothing when every slot is taken', () => {
    expect(planAcquisition([held(0, 'x', 60), held(1, 'y', 60)], ['a'], 2, NOW).candidates).toEqual([]);
  });

  it('hands back the live slot a holder already has instead of planning another (a retried call)', () => {
    const plan = planAcquisition([held(2, 'a', 60), held(0, 'x', 60)], ['a', 'b', 'b'], 3, NOW);
    expect(plan).toEqual({ alreadyHeld: [held(2, 'a', 60)], wanting: ['b'], candidates: [1] });
  });

  it('does not hand back a holder\'s own expired slot: it must take one again like anyone', () => {
    expect(planAcquisition([held(0, 'a', 0)], ['a'], 1, NOW)).toEqual({ alreadyHeld: [], wanting: ['a'], candidates: [0] });
  });

  it('counts slots held above a lowered limit, so no more are tried than the limit leaves room for', () => {
    // Limit lowered from 5 to 3 while slots 3 and 4 are held: one more copy fits, in slot 0 (not 0, 1 and 2).
    expect(planAcquisition([held(3, 'x', 60), held(4, 'y', 60)], ['a', 'b'], 3, NOW).candidates).toEqual([0]);
    expect(planAcquisition([held(3, 'x', 60), held(4, 'y', 60), held(0, 'z', 60)], ['a'], 3, NOW).candidates).toEqual([]);
  });

  it('plans nothing for nobody', () => {
    expect(planAcquisition([], [], 20, NOW)).toEqual({ alreadyHeld: [], wanting: [], candidates: [] });
  });
});

describe('InMemoryCopySlots (the twin tests use) keeps the CopySlots contract', () => {
  const store = new InMemoryCopySlots({ instance: 1, cluster: 1, leaseSeconds: 120 });
  copySlotsContract((limits) => store.withLimits(limits));
});
