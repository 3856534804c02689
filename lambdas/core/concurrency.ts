// Bounded concurrency for fan-out over many items (1,000 drill reports, metric batches): fast
// enough, and never more requests in flight than the limit, whatever the fleet's size.

/**
 * `work` over `items` with at most `limit` calls in flight; results in the items' order. The first
 * failure rejects the whole (the calls already started still finish; none is started after it).
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
