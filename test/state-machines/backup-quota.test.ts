import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('backup workflow at the RDS manual snapshot quota', () => {
  let aws: LocalStack;

  beforeAll(async () => {
    // moto enforces the snapshot quota like RDS does (100 per region by default); in moto each new
    // instance's automated backup also counts, so 3 leaves room for exactly one of our two snapshots.
    aws = await LocalStack.start({ config: localConfig(), motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: '3' } });
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    await createPostgresInstance(aws.rds, 'billing', GOLD);
  });
  afterAll(async () => aws?.stop());

  it('SnapshotQuotaExceeded fails the affected database and is alerted by name', async () => {
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' }, 'quota');
    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain('SnapshotQuotaExceeded');
    const alerts = await aws.receiveAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toMatch(/\((instance)\): SnapshotQuotaExceededFault: .*maximum number of snapshots/);
  });
});
