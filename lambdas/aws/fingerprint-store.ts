// The last good drill's fingerprint of each database (lambdas/core/fingerprint.ts) in the reports bucket:
// fingerprints/<db>/latest.json, and a dated copy per passing drill under fingerprints/<db>/history/.
import { fingerprintKeys, parseFingerprint, type Fingerprint, type FingerprintStore } from '../core/fingerprint.js';
import { logger } from './logger.js';
import type { S3Reports } from './reports.js';

export class S3FingerprintStore implements FingerprintStore {
  constructor(private readonly reports: S3Reports) {}

  /**
   * Undefined before the database's first passing drill. S3 answers a missing key with NoSuchKey only to
   * a caller allowed s3:ListBucket (else AccessDenied, "GetObject", Amazon S3 API Reference), hence that
   * grant (lib/drill/drill-permissions.ts); any other error fails the report step, which is retried.
   */
  async latest(db: string): Promise<Fingerprint | undefined> {
    const key = fingerprintKeys(db, '').latest;
    let stored: unknown;
    try {
      stored = await this.reports.readJson<unknown>(key);
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      if (err instanceof SyntaxError) stored = undefined;
      else throw err;
    }
    // Not a fingerprint (edited by hand, truncated): no baseline, so this drill sets a new one, and says why.
    const parsed = parseFingerprint(stored);
    if ('invalid' in parsed) logger.warn('stored fingerprint unreadable: this drill sets a new baseline', { key, invalid: parsed.invalid });
    return 'fingerprint' in parsed ? parsed.fingerprint : undefined;
  }

  /** The dated copy first: a latest.json always has its history object. */
  async record(db: string, fingerprint: Fingerprint): Promise<void> {
    const keys = fingerprintKeys(db, fingerprint.capturedAt);
    const body = JSON.stringify(fingerprint);
    await this.reports.put(keys.history, body);
    await this.reports.put(keys.latest, body);
  }
}
