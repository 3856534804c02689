// `rds-dr status`: the last good drill's fingerprint of each drilled database (fingerprints/<db>/latest.json
// in the reports bucket, lambdas/core/fingerprint.ts): a line in the status summary, then one per database when all are listed.
import { formatAge } from '../../lambdas/core/format-age.js';
import { totalRows, type Fingerprint, type FingerprintStore } from '../../lambdas/core/fingerprint.js';

export type FingerprintEntry = { db: string; fingerprint?: Fingerprint };

/** Reads at most this many fingerprints at once: one GET each, with the CLI's short timeouts. */
const CONCURRENT_READS = 8;

/** Each database's latest fingerprint (undefined before its first passing drill); the first error ends the reading. */
export async function readFingerprints(dbs: string[], store: FingerprintStore): Promise<FingerprintEntry[]> {
  const entries: FingerprintEntry[] = [];
  for (let i = 0; i < dbs.length; i += CONCURRENT_READS) {
    const batch = dbs.slice(i, i + CONCURRENT_READS);
    entries.push(...(await Promise.all(batch.map(async (db) => ({ db, fingerprint: await store.latest(db) })))));
  }
  return entries;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/**
 * One summary line (it joins the status summary, before the table); then, when every database is listed
 * (`all`, or a fleet of at most `listUpTo`), one line per drilled database by name.
 */
export function fingerprintLines(entries: FingerprintEntry[], now: Date, options: { all?: boolean; listUpTo: number }): string[] {
  if (entries.length === 0) return [];
  const recorded = entries.filter((e) => e.fingerprint);
  const oldest = recorded.reduce<string | undefined>((o, e) => (o === undefined || e.fingerprint!.capturedAt < o ? e.fingerprint!.capturedAt : o), undefined);
  const age = (iso: string) => formatAge(Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000)));
  const lines = [
    `  drift fingerprints (last good drill) of ${entries.length} drilled: ${recorded.length} recorded, ${entries.length - recorded.length} without a baseline yet` +
      (oldest ? `; oldest ${age(oldest)} ago` : ''),
  ];
  const listed = options.all || entries.length <= options.listUpTo ? [...entries].sort((a, b) => a.db.localeCompare(b.db)) : [];
  for (const { db, fingerprint: fp } of listed) {
    lines.push(
      fp
        ? `    ${db}: ${fp.capturedAt} (${age(fp.capturedAt)} ago), ${Object.keys(fp.schema.tables).length} tables${fp.omittedTables ? ` (+${fp.omittedTables} not counted)` : ''}, ${totalRows(fp)} rows, ${mib(fp.sizeBytes)}`
        : `    ${db}: no baseline yet (no passing drill since drift checks began)`,
    );
  }
  return lines;
}
