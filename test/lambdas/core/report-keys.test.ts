import { describe, expect, it } from 'vitest';
import { newestPerGroup } from '../../../lambdas/core/report-keys.js';

describe('newestPerGroup', () => {
  it('keeps the greatest key of each database, however the listing is ordered, and ignores keys outside a group', () => {
    const prefix = 'reports/verification/';
    const newest = newestPerGroup(
      [
        { key: `${prefix}orders/2026/11/20/rdsdr-verify-orders-202611200300.json`, etag: '"b"' },
        { key: `${prefix}orders-eu/2026/11/21/rdsdr-verify-orders-eu-202611210300.json`, etag: '"c"' },
        { key: `${prefix}orders/2025/12/31/rdsdr-verify-orders-202512310300.json`, etag: '"a"' },
        { key: `${prefix}orders/2026/11/20/rdsdr-verify-orders-202611200900.json`, etag: '"d"' },
        { key: `${prefix}README.json` },
        { key: 'reports/prune/2026/11/20/plan.json' },
      ],
      prefix,
    );
    expect(Object.fromEntries(newest)).toEqual({
      orders: { key: `${prefix}orders/2026/11/20/rdsdr-verify-orders-202611200900.json`, etag: '"d"' },
      'orders-eu': { key: `${prefix}orders-eu/2026/11/21/rdsdr-verify-orders-eu-202611210300.json`, etag: '"c"' },
    });
  });
});
