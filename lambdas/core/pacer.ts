// Pacing a burst of API requests to a steady rate. The RDS API budget is shared by everything in the
// account and region: "a burst of 300 requests and a sustained 12 requests per second" by default
// (Amazon RDS User Guide, "Request throttling for the Amazon RDS API"). A workflow step that sends
// requests per database or per page takes its turns here, so its share of the budget is fixed
// whatever the fleet's size.

/** Time as the pacer sees it; tests pass one that advances without waiting. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
};

/** Spaces requests at least 1000 / perSecond ms apart; the first goes at once. */
export class RequestPacer {
  private nextTurnAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly perSecond: number,
    private readonly clock: PacerClock = realClock,
  ) {
    if (!(perSecond > 0)) throw new Error(`RequestPacer: perSecond must be > 0, got ${perSecond}`);
  }

  /** Resolves when the caller may send its next request. Turns are reserved in call order, so concurrent callers share the rate. */
  async turn(): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.nextTurnAt);
    this.nextTurnAt = at + 1000 / this.perSecond;
    if (at > now) await this.clock.sleep(at - now);
  }
}
