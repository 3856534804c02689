import { describe, expect, it } from 'vitest';
import { scheduleSlot, snapshotIdentifier, slotStamp, tagText } from '../../../lambdas/core/naming.js';

const RDS_SNAPSHOT_ID = /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/;

describe('snapshot naming', () => {
  it('truncates the schedule time to the minute, so retries of one slot share a name', () => {
    const a = scheduleSlot(new Date('2026-11-22T02:00:00Z'));
    const b = scheduleSlot(new Date('2026-11-22T02:00:59.999Z'));
    expect(a.toISOString()).toBe('2026-11-22T02:00:00.000Z');
    expect(b.getTime()).toBe(a.getTime());
    expect(slotStamp(a)).toBe('202611220200');
  });

  it('builds rdsdr-<db>-<yyyymmddhhmm>', () => {
    expect(snapshotIdentifier('orders', new Date('2026-01-02T03:04:00Z'))).toBe('rdsdr-orders-202601020304');
    expect(snapshotIdentifier('Orders-DB', new Date('2026-01-02T03:04:00Z'))).toBe('rdsdr-orders-db-202601020304');
  });

  it('keeps names valid and unique when a long id has to be truncated', () => {
    const slot = new Date('2026-01-02T03:04:00Z');
    const long1 = `db-${'a'.repeat(300)}-one`;
    const long2 = `db-${'a'.repeat(300)}-two`;
    const n1 = snapshotIdentifier(long1, slot);
    const n2 = snapshotIdentifier(long2, slot);
    expect(n1.length).toBeLessThanOrEqual(255);
    expect(n1).toMatch(RDS_SNAPSHOT_ID);
    expect(n1).toMatch(/-202601020304$/);
    expect(n1).not.toBe(n2);
  });

  it('cleans characters RDS does not allow in snapshot ids', () => {
    expect(snapshotIdentifier('a_b--c', new Date('2026-01-02T03:04:00Z'))).toBe('rdsdr-a-b-c-202601020304');
  });
});

describe('free text as an RDS tag value', () => {
  it('keeps what RDS allows, turns the rest into single spaces, and stays within 256 characters', () => {
    expect(tagText('INC-42, bad migration (ran twice!)')).toBe('INC-42 bad migration ran twice');
    expect(tagText('user@example.com: a/b=c+d_e.f')).toBe('user@example.com: a/b=c+d_e.f');
    expect(tagText('Überlauf — 東京')).toBe('Überlauf 東京');
    expect(tagText('x'.repeat(300))).toHaveLength(256);
    expect(tagText('INC-42, bad migration')).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
  });
});
