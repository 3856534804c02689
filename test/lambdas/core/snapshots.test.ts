import { describe, expect, it } from 'vitest';
import { recoveryPointTime, type DescribedSnapshot } from '../../../lambdas/core/snapshots.js';

const snapshot = (slot: string | undefined, createdAt: string, originalCreatedAt?: string): DescribedSnapshot => ({
  id: 'rdsdr-orders-1', arn: 'arn:aws:rds:us-east-1:1:snapshot:rdsdr-orders-1', kind: 'instance', status: 'available', sourceDbId: 'orders',
  createdAt, originalCreatedAt, encrypted: true, engine: 'postgres', tags: slot ? [{ Key: 'rds-dr:slot', Value: slot }] : [],
});

describe('recoveryPointTime (the RPO clock)', () => {
  it('is the slot when RDS took the snapshot after it (the normal case: the age stays conservative)', () => {
    expect(recoveryPointTime(snapshot('2026-11-22T02:00:00.000Z', '2026-11-22T02:00:41.000Z'))).toBe('2026-11-22T02:00:00.000Z');
  });

  it('is RDS\'s own time when the slot is later: a future slot must not read as a fresh backup for ever', () => {
    expect(recoveryPointTime(snapshot('2027-01-01T00:00:00.000Z', '2026-11-22T02:00:41.000Z'))).toBe('2026-11-22T02:00:41.000Z');
    // A copy: the source snapshot's time, not the copy's.
    expect(recoveryPointTime(snapshot('2027-01-01T00:00:00.000Z', '2026-11-22T03:10:00.000Z', '2026-11-22T02:00:41.000Z'))).toBe('2026-11-22T02:00:41.000Z');
  });

  it('falls back to what is known', () => {
    expect(recoveryPointTime(snapshot(undefined, '2026-11-22T02:00:41.000Z'))).toBe('2026-11-22T02:00:41.000Z');
  });
});
