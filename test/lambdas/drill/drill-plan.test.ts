import { describe, expect, it } from 'vitest';
import { CHECK_DEFAULTS } from './check-defaults.js';
import { newestUsableSnapshot, parseVerifyRequest, throwawayIdentifier, verificationItem, undrillable } from '../../../lambdas/drill/drill-plan.js';
import type { VerificationSettings } from '../../../lambdas/core/settings.js';
import type { SnapshotInfo } from '../../../lambdas/core/snapshots.js';

const ACCOUNT = '123456789012';
const settings: VerificationSettings = {
  region: 'us-west-2', subnetGroupName: 'drills', securityGroupIds: ['sg-1'], expiryHours: 6,
  instanceClasses: { postgres: 'db.t4g.micro' }, reportsBucket: 'reports',
  policies: { gold: { maxConcurrency: 2, sample: { perRun: 20, maxAgeDays: 8 }, restoreTimeoutSeconds: 7200, databases: { orders: { database: 'orders', tables: [], rpoMinutes: 60, assertions: [], statementTimeoutSeconds: 60, ...CHECK_DEFAULTS } } } },
};
const snap = (id: string, createdAt: string, over: Partial<SnapshotInfo> = {}): SnapshotInfo & { engine: string } => ({
  id, arn: `arn:aws:rds:us-west-2:${ACCOUNT}:snapshot:${id}`, kind: 'instance', status: 'available', sourceDbId: 'orders', encrypted: true, createdAt, engine: 'postgres',
  tags: [{ Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders` }, { Key: 'rds-dr:slot', Value: '2026-11-22T02:00:00.000Z' }],
  ...over,
});

describe('throwawayIdentifier', () => {
  it('is rdsdr-verify-<db>-<slot> and always a valid instance id with room for a member suffix', () => {
    const slot = new Date('2026-11-22T03:00:00Z');
    expect(throwawayIdentifier('orders', slot)).toBe('rdsdr-verify-orders-202611220300');
    const long = throwawayIdentifier(`a-very-long-database-identifier-${'x'.repeat(40)}`, slot);
    expect(long.length).toBeLessThanOrEqual(61);
    expect(long).toMatch(/^rdsdr-verify-[a-z0-9-]+-202611220300$/);
    expect(long).not.toMatch(/--/);
  });
});

describe('newestUsableSnapshot', () => {
  it('picks the newest available rds-dr snapshot of that database only', () => {
    const candidates = [
      snap('rdsdr-orders-1', '2026-11-20T02:00:00Z'),
      snap('rdsdr-orders-3', '2026-11-22T02:00:00Z', { status: 'copying' }),
      snap('rdsdr-orders-2', '2026-11-21T02:00:00Z'),
      snap('rdsdr-orders-4', '2026-11-23T02:00:00Z', { tags: [{ Key: 'rds-dr:source-arn', Value: 'arn:aws:rds:us-east-1:1:db:orders' }] }),
      snap('rdsdr-billing-9', '2026-11-24T02:00:00Z', { tags: [{ Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:source-arn', Value: 'arn:aws:rds:us-east-1:1:db:billing' }] }),
    ];
    expect(newestUsableSnapshot(candidates, 'orders')?.id).toBe('rdsdr-orders-2');
    expect(newestUsableSnapshot(candidates, 'ledger')).toBeUndefined();
  });
});

describe('parseVerifyRequest', () => {
  const parse = (input: unknown) => parseVerifyRequest(input, settings, ACCOUNT, '2026-11-22T10:11:12Z');
  it('accepts a scheduled policy run and a manual db run', () => {
    expect(parse({ policy: 'gold', scheduledTime: '2026-11-22T03:00:09Z' })).toMatchObject({ mode: 'policy', policy: 'gold' });
    expect(parse({ db: 'orders', region: 'us-west-2', snapshot: `arn:aws:rds:us-west-2:${ACCOUNT}:snapshot:rdsdr-orders-1` })).toMatchObject({ mode: 'db', db: 'orders', policy: 'gold' });
  });
  it.each([
    [[1], /input must be a JSON object/],
    [{ db: 'orders', snapshot: `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:rdsdr-orders-1` }, /input\.snapshot: is in us-east-1; drills restore in us-west-2/],
    [{ db: '' }, /input\.db: /],
    [{ policy: 'gold', db: 'orders' }, /unknown field\(s\) db/],
    [{ policy: 'gold', scheduledTime: '2026-11-23T03:00:00Z' }, /input\.scheduledTime: 2026-11-23T03:00:00Z is after this execution's start/],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => parse(input)).toThrow(message);
  });
});

describe('verificationItem', () => {
  it('builds a private, tagged, expiring throwaway restore of the chosen snapshot', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const item = verificationItem('orders', snap('rdsdr-orders-2', '2026-11-21T02:05:00Z'), { mode: 'db', db: 'orders', policy: 'gold', slot: new Date('2026-11-22T10:00:00Z') }, settings, `arn:aws:states:us-west-2:${ACCOUNT}:execution:v:e`, now);
    expect(item).toMatchObject({
      restoreId: 'rdsdr-verify-orders-202611221000', clusterInstanceId: 'rdsdr-verify-orders-202611221000-1', instanceClass: 'db.t4g.micro',
      subnetGroupName: 'drills', securityGroupIds: ['sg-1'], restoreTimeoutSeconds: 7200,
      // A copy's own creation time is when it was copied; the slot tag says when the data was captured.
      snapshotTime: '2026-11-22T02:00:00.000Z',
    });
    expect(Object.fromEntries(item.tags.map((t) => [t.Key, t.Value]))).toMatchObject({ 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': '2026-11-22T16:00:00.000Z' });
  });
  it('refuses an engine without an instance class', () => {
    expect(() => verificationItem('orders', snap('s', '2026-11-21T00:00:00Z', { engine: 'oracle-ee' } as never), { mode: 'policy', policy: 'gold', slot: new Date() }, settings, 'arn:e', new Date())).toThrow(/no instance class configured for engine oracle-ee/);
  });
});

describe('undrillable', () => {
  it('refuses a Multi-AZ DB cluster at plan time, naming it, and drills Aurora clusters and instances', () => {
    expect(undrillable({ kind: 'cluster', engine: 'postgres' })).toMatch(/Multi-AZ DB cluster \(engine postgres\).*not drilled/);
    expect(undrillable({ kind: 'cluster', engine: 'mysql' })).toMatch(/Multi-AZ DB cluster/);
    expect(undrillable({ kind: 'cluster', engine: 'aurora-postgresql' })).toBeUndefined();
    expect(undrillable({ kind: 'instance', engine: 'postgres' })).toBeUndefined();
  });
});
