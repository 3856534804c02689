// Report keys in the reports bucket sort by date within a group (reports/verification/<db>/<yyyy>/
// <mm>/<dd>/<id>.json), so the newest report of each group is its greatest key: one listing of the
// prefix finds every database's newest report, instead of one listing per database.

/** An object as a listing returns it; the ETag changes whenever the object is written again. */
export interface StoredObject {
  key: string;
  etag?: string;
}

/**
 * The greatest key under `prefix` per group, the group being the key's first path segment after the
 * prefix ("reports/verification/orders/2026/…" is in group "orders"). Keys directly under the prefix
 * belong to no group and are ignored.
 */
export function newestPerGroup(objects: Iterable<StoredObject>, prefix: string): Map<string, StoredObject> {
  const out = new Map<string, StoredObject>();
  for (const o of objects) {
    if (!o.key.startsWith(prefix)) continue;
    const rest = o.key.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const group = rest.slice(0, slash);
    const current = out.get(group);
    if (!current || o.key > current.key) out.set(group, o);
  }
  return out;
}
