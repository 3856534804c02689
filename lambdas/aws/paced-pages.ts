// An SDK paginator whose page requests take turns at a RequestPacer (lambdas/core/pacer.ts): a
// region-wide listing costs one request per page, spread at the pacer's rate.
import type { RequestPacer } from '../core/pacer.js';

/**
 * The paginator's pages, each requested only after a turn. RDS paginators stop at a page without a
 * Marker; that page ends the loop here too, so no turn is spent after the last page.
 */
export async function* pacedPages<P extends { Marker?: string }>(pacer: RequestPacer, pages: AsyncIterable<P>): AsyncGenerator<P> {
  await pacer.turn();
  for await (const page of pages) {
    yield page;
    if (!page.Marker) return;
    await pacer.turn();
  }
}
