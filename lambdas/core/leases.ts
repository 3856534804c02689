// Lease time, shared by the copy-slot semaphore and the work ledger. A lease is held until its
// expiry, counted in whole epoch seconds because that is what the store compares in its conditions
// and what DynamoDB's TTL reads ("Time to Live": a Number attribute in Unix epoch seconds).

/** Whole seconds since the epoch, rounded down. */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

export interface LeaseExpiry {
  /** ISO 8601, for people and logs. */
  expiresAt: string;
  /** The same instant in epoch seconds, for the store's conditions and its TTL. */
  expiresAtEpoch: number;
}

/** A lease taken or renewed at `now` for `leaseSeconds`. */
export function leaseExpiry(now: Date, leaseSeconds: number): LeaseExpiry {
  const expiresAtEpoch = epochSeconds(now) + leaseSeconds;
  return { expiresAt: new Date(expiresAtEpoch * 1000).toISOString(), expiresAtEpoch };
}

/** Expired from its expiry second on: the store's condition is `expiresAtEpoch <= :now`. */
export const isExpired = (expiresAtEpoch: number, now: Date): boolean => expiresAtEpoch <= epochSeconds(now);
