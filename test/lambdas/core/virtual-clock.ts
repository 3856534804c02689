import type { PacerClock } from '../../../lambdas/core/pacer.js';

/** A clock that advances only when slept on, so pacing is checked without waiting. `wakes`: when each sleep ended, in ms since the start. */
export function virtualClock(): PacerClock & { wakes: number[]; elapsed(): number } {
  const start = 1_000_000;
  let now = start;
  const wakes: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      wakes.push(now - start);
    },
    wakes,
    elapsed: () => now - start,
  };
}
