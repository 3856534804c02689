import { describe, expect, it } from 'vitest';
import {
  activeRegionOf,
  activeRegionParameterName,
  databaseOfActiveRegionParameter,
  formatActiveRegionRecord,
  parseActiveRegionRecord,
} from '../../../lambdas/core/active-region.js';

const record = { region: 'us-west-2', since: '2026-11-30T09:00:00.000Z', by: 'arn:aws:states:us-west-2:123456789012:execution:rds-dr-failover:orders-1' };

describe('active-region record', () => {
  it('is one SSM parameter per database under /<app>/active-region/', () => {
    expect(activeRegionParameterName('rds-dr', 'orders')).toBe('/rds-dr/active-region/orders');
    expect(databaseOfActiveRegionParameter('rds-dr', '/rds-dr/active-region/orders')).toBe('orders');
    expect(databaseOfActiveRegionParameter('rds-dr', '/other/active-region/orders')).toBeUndefined();
    expect(databaseOfActiveRegionParameter('rds-dr', '/rds-dr/active-region/')).toBeUndefined();
  });

  it('round-trips {region, since, by} as JSON', () => {
    const value = formatActiveRegionRecord(record);
    expect(JSON.parse(value)).toEqual(record);
    expect(parseActiveRegionRecord(value)).toEqual(record);
  });

  it('refuses a garbled value, naming the parameter and the field', () => {
    expect(() => parseActiveRegionRecord('us-west-2', '/rds-dr/active-region/orders')).toThrow(/\/rds-dr\/active-region\/orders: not JSON/);
    expect(() => parseActiveRegionRecord(JSON.stringify({ ...record, region: 'west' }), 'p')).toThrow(/p: region: .*AWS region/);
    expect(() => parseActiveRegionRecord(JSON.stringify({ ...record, since: 'yesterday' }), 'p')).toThrow(/since/);
    expect(() => parseActiveRegionRecord(JSON.stringify({ ...record, extra: 1 }), 'p')).toThrow(/extra/);
    expect(() => formatActiveRegionRecord({ ...record, by: '' })).toThrow();
  });

  it('no record means the primary region', () => {
    const records = new Map([['orders', 'us-west-2']]);
    expect(activeRegionOf(records, 'orders', 'us-east-1')).toBe('us-west-2');
    expect(activeRegionOf(records, 'billing', 'us-east-1')).toBe('us-east-1');
  });
});
