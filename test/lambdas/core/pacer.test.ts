import { describe, expect, it } from 'vitest';
import { RequestPacer } from '../../../lambdas/core/pacer.js';
import { virtualClock } from './virtual-clock.js';

describe('RequestPacer', () => {
  it('lets the first request go at once and spaces the next ones 1000 / perSecond ms apart', async () => {
    const clock = virtualClock();
    const pacer = new RequestPacer(2, clock);
    const at: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.turn();
      at.push(clock.elapsed());
    }
    expect(at).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('does not wait when the caller was slower than the rate anyway', async () => {
    const clock = virtualClock();
    const pacer = new RequestPacer(2, clock);
    await pacer.turn();
    await clock.sleep(2_000);
    await pacer.turn();
    expect(clock.wakes).toEqual([2_000]);
  });

  it('concurrent callers share the rate: turns are reserved in call order', async () => {
    const clock = virtualClock();
    const pacer = new RequestPacer(4, clock);
    await Promise.all([pacer.turn(), pacer.turn(), pacer.turn()]);
    expect(clock.wakes).toEqual([250, 500]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RequestPacer(0)).toThrow(/perSecond must be > 0/);
  });
});
