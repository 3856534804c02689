// A token bucket for API calls: a reader that lists a whole region takes its share of the account's
// RDS request budget (~12 requests/s sustained per account and region, shared by every workflow and
// tool) instead of all of it, however many pages a large fleet has.

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export class RequestPacer {
  private tokens: number;
  private updatedAt: number;

  /** At most `perSecond` calls a second on average, `burst` at once after a pause. */
  constructor(
    readonly perSecond: number,
    private readonly burst = perSecond,
    private readonly clock: PacerClock = realClock,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError(`a pacer needs a positive rate and a burst of at least 1, got ${perSecond}/s, burst ${burst}`);
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  /**
   * Resolves when the caller may send one call. Each caller reserves its token at once (the balance
   * may go below zero) and waits until the bucket has refilled to it, so concurrent callers queue in
   * order rather than all waking at the same moment.
   */
  async take(): Promise<void> {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens < 0) await this.clock.sleep((-this.tokens / this.perSecond) * 1000);
  }
}
