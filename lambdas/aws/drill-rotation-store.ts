// A policy's drill rotation state (lambdas/drill/drill-rotation.ts) in the reports bucket.
import { parseRotationState, rotationKey, type RotationState } from '../core/drill-rotation.js';
import type { S3Reports } from './reports.js';

export class DrillRotationStore {
  constructor(private readonly reports: S3Reports) {}

  /**
   * The stored state; empty before the policy's first drill. S3 answers a missing key with NoSuchKey
   * only to a caller allowed s3:ListBucket (else AccessDenied, "GetObject", Amazon S3 API Reference),
   * hence that grant (lib/drill/drill-permissions.ts): any other error fails the step.
   */
  async read(policy: string): Promise<RotationState> {
    try {
      return parseRotationState(await this.reports.readJson<unknown>(rotationKey(policy)));
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return {};
      throw err;
    }
  }

  async write(policy: string, state: RotationState): Promise<void> {
    await this.reports.put(rotationKey(policy), JSON.stringify(state));
  }
}
