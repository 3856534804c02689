// The backup batch's copy slots and work claims over the coordination table (core/copy-slots.ts,
// core/work-ledger.ts): account-wide slots per destination region and kind, claims per policy.
import { DynamoDbCopySlots } from '../aws/dynamodb-copy-slots.js';
import { DynamoDbWorkLedger } from '../aws/dynamodb-work-ledger.js';
import type { CopySlotLimits } from '../core/copy-slots.js';
import { backupScope } from '../core/work-ledger.js';
import type { BatchClaims, BatchCopySlots } from './advance-batch.js';

export function coordinationFor(
  table: { name: string; region: string },
  limits: CopySlotLimits,
  policy: string,
): { slots: BatchCopySlots; claims: BatchClaims } {
  const slots = new DynamoDbCopySlots(table, limits);
  const ledger = new DynamoDbWorkLedger(table);
  const scope = backupScope(policy);
  const leaseSeconds = limits.leaseSeconds;
  return {
    slots: {
      acquire: (req) => slots.acquire(req),
      renew: (_region, _kind, held, now) => slots.renew(held, now),
      release: (_region, _kind, held) => slots.release(held),
      held: (region, kind, now) => slots.held(region, kind, now),
      takeOver: (from, holder, now) => slots.takeOver(from, holder, now),
    },
    claims: {
      claim: async (items, holder, now) => ({
        ...(await ledger.claim({ scope, items, holder, now, leaseSeconds })),
        expiresAt: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
      }),
      renew: async (items, holder, now) => {
        await ledger.renew({ scope, items, holder, now, leaseSeconds });
        return new Date(now.getTime() + leaseSeconds * 1000).toISOString();
      },
      release: (items, holder) => ledger.release(scope, items, holder),
    },
  };
}
