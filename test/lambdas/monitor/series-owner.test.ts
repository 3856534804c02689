// Every series has exactly one publisher among the two deployments of the RPO monitor (one breach,
// one page), and the copy series is the DR region's whenever the DR region can see the database.
import { describe, expect, it } from 'vitest';
import { recoveryMetrics, type DatabaseRecoveryFacts } from '../../../lambdas/monitor/recovery-ages.js';
import { ownedMetrics, ownsSeries, seriesOf, type MonitorRole, type Series } from '../../../lambdas/monitor/series-owner.js';

const REGIONS = { primary: 'us-east-1', dr: 'us-west-2' };
const NOW = new Date('2026-11-30T12:00:00Z');
const facts = (over: Partial<DatabaseRecoveryFacts> & { db: string }): DatabaseRecoveryFacts => ({
  createdAt: '2026-01-01T00:00:00Z',
  latestRestorableTime: '2026-11-30T11:55:00Z',
  newestSnapshotAt: '2026-11-30T02:00:00Z',
  drilled: true,
  lastVerification: { at: '2026-11-29T03:00:00Z', passed: true, restoreSeconds: 600 },
  ...over,
});

describe('series-owner', () => {
  it('tells the series by the Region dimension, the drill metrics apart', () => {
    expect(seriesOf({ name: 'RecoveryPointAgeSeconds', region: REGIONS.primary }, REGIONS)).toBe('live');
    expect(seriesOf({ name: 'LastSnapshotAgeSeconds', region: REGIONS.primary }, REGIONS)).toBe('live');
    expect(seriesOf({ name: 'RecoveryPointAgeSeconds', region: REGIONS.dr }, REGIONS)).toBe('copy');
    expect(seriesOf({ name: 'FutureRecoveryPoints', region: REGIONS.dr }, REGIONS)).toBe('copy');
    expect(seriesOf({ name: 'LastVerificationPassed', region: REGIONS.dr }, REGIONS)).toBe('drill');
    expect(seriesOf({ name: 'RestoreSeconds', region: REGIONS.dr }, REGIONS)).toBe('drill');
  });

  const cases: [string, Partial<DatabaseRecoveryFacts>, Record<Series, MonitorRole>][] = [
    ['active in the primary, copied', { newestCopyAt: '2026-11-30T02:30:00Z' }, { live: 'primary', copy: 'dr', drill: 'primary' }],
    // The DR monitor lists databases by their copies: one without any is the primary's to publish.
    ['active in the primary, never copied', {}, { live: 'primary', copy: 'primary', drill: 'primary' }],
    // Drill verdicts come from the reports bucket wherever the database is active: still the primary's.
    ['failed over to the DR region', { failedOver: true, newestCopyAt: '2026-11-30T02:30:00Z' }, { live: 'dr', copy: 'dr', drill: 'primary' }],
    ['failed over, no copy since', { failedOver: true }, { live: 'dr', copy: 'dr', drill: 'primary' }],
  ];
  it.each(cases)('%s: exactly one deployment publishes each series', (_, over, expected) => {
    const f = facts({ db: 'orders', ...over });
    for (const series of ['live', 'copy', 'drill'] as Series[]) {
      const owners = (['primary', 'dr'] as MonitorRole[]).filter((role) => ownsSeries(role, f, series));
      expect(owners, series).toEqual([expected[series]]);
    }
  });

  it('splits the points of a fleet with no point published twice and none of a copied database\'s copy series from the primary', () => {
    const fleet = [facts({ db: 'orders', newestCopyAt: '2026-11-30T02:30:00Z' }), facts({ db: 'billing' }), facts({ db: 'ledger', failedOver: true, newestCopyAt: '2026-11-29T02:30:00Z' })];
    const all = recoveryMetrics(fleet, REGIONS, NOW);
    const primary = ownedMetrics('primary', fleet, all, REGIONS);
    const dr = ownedMetrics('dr', fleet, all, REGIONS);
    const key = (m: (typeof all)[number]) => `${m.db}|${m.name}|${m.region}`;
    expect(primary.filter((m) => dr.some((d) => key(d) === key(m)))).toEqual([]);
    expect(primary.filter((m) => m.db === 'orders' && m.region === REGIONS.dr && m.name !== 'LastVerificationAgeSeconds' && m.name !== 'LastVerificationPassed' && m.name !== 'RestoreSeconds')).toEqual([]);
    expect(dr.filter((m) => m.name === 'RecoveryPointAgeSeconds').map((m) => `${m.db}@${m.region}`).sort()).toEqual(['ledger@us-east-1', 'ledger@us-west-2', 'orders@us-west-2']);
    expect(primary.filter((m) => m.name === 'RecoveryPointAgeSeconds').map((m) => `${m.db}@${m.region}`).sort()).toEqual(['billing@us-east-1', 'billing@us-west-2', 'orders@us-east-1']);
    // Of the failed-over database, the primary region's monitor publishes only its drill verdict.
    expect([...new Set(primary.filter((m) => m.db === 'ledger').map((m) => m.name))].sort()).toEqual(['LastVerificationAgeSeconds', 'LastVerificationPassed', 'RestoreSeconds']);
  });
});
