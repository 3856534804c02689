// A batch's share of the RDS request budget (lambdas/core/deletion-pace.ts): its items run one after
// the other, item i starting no earlier than i intervals after the first. A slow call uses up its own
// interval instead of adding to it, and a batch never bursts to catch up with a schedule it fell behind.

export interface Pacing {
  intervalMs: number;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** `work` on each item in order, paced; the results in the items' order. */
export async function inPacedOrder<T, R>(items: readonly T[], pacing: Pacing, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let nextStart = pacing.now();
  for (const [index, item] of items.entries()) {
    const wait = nextStart - pacing.now();
    if (wait > 0) await pacing.sleep(wait);
    // From when this item really starts: a batch that fell behind does not make up for it with a burst.
    nextStart = Math.max(nextStart, pacing.now()) + pacing.intervalMs;
    results.push(await work(item, index));
  }
  return results;
}

export const realPacing = (intervalMs: number): Pacing => ({
  intervalMs,
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
