// The last good drill's fingerprint of each database (lambdas/core/fingerprint.ts) in the reports bucket:
// fingerprints/<db>/latest.json, and a dated copy per passing drill under fingerprints/<db>/history/.
import { fingerprintKeys, type Fingerprint, type FingerprintStore } from '../core/fingerprint.js';
import type { S3Reports } from './reports.js';

export class S3FingerprintStore implements FingerprintStore {
  constructor(private readonly reports: S3Reports) {}

  /**
   * Undefined before the database's first passing drill. S3 answers a missing key with NoSuchKey only to
   * a caller allowed s3:ListBucket (else AccessDenied, "GetObject", Amazon S3 API Reference), hence that
   * grant (lib/drill/drill-permissions.ts); any other error fails the report step, which is retried.
   */
  async latest(db: string): Promise<Fingerprint | undefined> {
    try {
      return await this.reports.readJson<Fingerprint>(fingerprintKeys(db, '').latest);
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  /** The dated copy first: a latest.json always has its history object. */
  async record(db: string, fingerprint: Fingerprint): Promise<void> {
    const keys = fingerprintKeys(db, fingerprint.capturedAt);
    const body = JSON.stringify(fingerprint);
    await this.reports.put(keys.history, body);
    await this.reports.put(keys.latest, body);
  }
}
