import { describe, expect, it } from 'vitest';
import { RequestPacer, type PacerClock } from '../../../lambdas/core/request-pacer.js';

describe('RequestPacer', () => {
  it('lets a burst through, then one call per 1/rate seconds, for callers in a row', async () => {
    let now = 0;
    const clock: PacerClock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const pacer = new RequestPacer(4, 2, clock);
    const starts: number[] = [];
    for (let i = 0; i < 6; i++) {
      await pacer.take();
      starts.push(now);
    }
    expect(starts).toEqual([0, 0, 250, 500, 750, 1000]);
  });

  it('queues concurrent callers one slot apart instead of waking them together', async () => {
    const waits: number[] = [];
    const clock: PacerClock = { now: () => 0, sleep: async (ms) => void waits.push(ms) };
    const pacer = new RequestPacer(5, 1, clock);
    await Promise.all(Array.from({ length: 4 }, () => pacer.take()));
    expect(waits).toEqual([200, 400, 600]);
  });

  it('refills while idle, up to the burst and no more', async () => {
    let now = 0;
    const waits: number[] = [];
    const clock: PacerClock = { now: () => now, sleep: async (ms) => void waits.push(ms) };
    const pacer = new RequestPacer(2, 2, clock);
    now = 60_000; // a minute idle: still only 2 at once
    for (let i = 0; i < 3; i++) await pacer.take();
    expect(waits).toEqual([500]);
  });

  it('refuses a rate or burst that would never let a call through', () => {
    expect(() => new RequestPacer(0)).toThrow(RangeError);
    expect(() => new RequestPacer(3, 0)).toThrow(RangeError);
  });
});
