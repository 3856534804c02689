// WorkLedger in memory, with the decisions of lambdas/core/work-ledger.ts and the same conditions
// DynamoDbWorkLedger writes with, for tests of code that claims work.
import { isExpired, leaseExpiry } from '../../../lambdas/core/leases.js';
import { type ClaimOutcome, claimable, type ClaimRecord, type WorkClaim, type WorkClaimRequest, type WorkLedger } from '../../../lambdas/core/work-ledger.js';

const keyOf = (scope: string, item: string) => `${scope}|${item}`;

export class InMemoryWorkLedger implements WorkLedger {
  /** `scope|item` -> the claim. */
  readonly store = new Map<string, ClaimRecord & { scope: string; item: string; expiresAt: string }>();

  async claim(req: WorkClaimRequest): Promise<ClaimOutcome> {
    const outcome: ClaimOutcome = { claimed: [], heldElsewhere: [] };
    const expiry = leaseExpiry(req.now, req.leaseSeconds);
    for (const item of new Set(req.items)) {
      const current = this.store.get(keyOf(req.scope, item));
      if (!claimable(current, req.holder, req.now)) {
        outcome.heldElsewhere.push({ item, holder: current!.holder });
        continue;
      }
      this.store.set(keyOf(req.scope, item), { scope: req.scope, item, holder: req.holder, ...expiry });
      outcome.claimed.push(item);
    }
    return outcome;
  }

  async renew(req: WorkClaimRequest): Promise<string[]> {
    const expiry = leaseExpiry(req.now, req.leaseSeconds);
    return [...new Set(req.items)].filter((item) => {
      const current = this.store.get(keyOf(req.scope, item));
      if (current?.holder !== req.holder) return false;
      Object.assign(current, expiry);
      return true;
    });
  }

  async release(scope: string, items: string[], holder: string): Promise<void> {
    for (const item of items) if (this.store.get(keyOf(scope, item))?.holder === holder) this.store.delete(keyOf(scope, item));
  }

  async list(scope: string, now: Date): Promise<WorkClaim[]> {
    return [...this.store.values()]
      .filter((c) => c.scope === scope && !isExpired(c.expiresAtEpoch, now))
      .sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0))
      .map(({ item, holder, expiresAt }) => ({ item, holder, expiresAt }));
  }
}
