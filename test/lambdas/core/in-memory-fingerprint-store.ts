// The FingerprintStore twin unit tests use: the same keys as the S3 store, in a Map.
import { fingerprintKeys, type Fingerprint, type FingerprintStore } from '../../../lambdas/core/fingerprint.js';

export class InMemoryFingerprintStore implements FingerprintStore {
  readonly objects = new Map<string, string>();

  async latest(db: string): Promise<Fingerprint | undefined> {
    const body = this.objects.get(fingerprintKeys(db, '').latest);
    return body === undefined ? undefined : (JSON.parse(body) as Fingerprint);
  }

  async record(db: string, fingerprint: Fingerprint): Promise<void> {
    const keys = fingerprintKeys(db, fingerprint.capturedAt);
    this.objects.set(keys.history, JSON.stringify(fingerprint));
    this.objects.set(keys.latest, JSON.stringify(fingerprint));
  }
}
