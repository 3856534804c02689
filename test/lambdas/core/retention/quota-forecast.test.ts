import { describe, expect, it } from 'vitest';
import { forecastQuota, growthPerDay } from '../../../../lambdas/core/retention/quota-forecast.js';

const NOW = new Date('2026-11-22T00:00:00Z');
const DAY = 86_400_000;
/** One sample a day for `days` days up to NOW, count = f(days ago). */
const daily = (days: number, count: (daysAgo: number) => number) =>
  Array.from({ length: days }, (_, i) => ({ at: new Date(NOW.getTime() - (days - 1 - i) * DAY).toISOString(), count: count(days - 1 - i) }));

describe('forecastQuota', () => {
  it('projects steady growth to the day the quota is full', () => {
    // 60 today, growing by 2 a day: 40 left = 20 days.
    expect(forecastQuota(daily(10, (ago) => 60 - 2 * ago), 100, NOW)).toEqual({ usedPercent: 60, daysUntilFull: 20, fullAt: '2026-12-12T00:00:00.000Z' });
  });

  it('sees through the daily sawtooth of create-then-prune', () => {
    // Every day +3 during the day, -2 at the prune: net +1 a day, sampled twice a day.
    const samples = Array.from({ length: 28 }, (_, i) => {
      const day = Math.floor(i / 2);
      return { at: new Date(NOW.getTime() - (13 - day) * DAY - (i % 2 ? 0 : DAY / 2)).toISOString(), count: 50 + day + (i % 2 ? 0 : 2) };
    });
    const forecast = forecastQuota(samples, 100, NOW);
    expect(forecast.usedPercent).toBe(63);
    expect(forecast.daysUntilFull).toBeGreaterThanOrEqual(35);
    expect(forecast.daysUntilFull).toBeLessThanOrEqual(38);
  });

  it('gives no forecast when the count is flat or shrinking', () => {
    expect(forecastQuota(daily(14, () => 70), 100, NOW)).toEqual({ usedPercent: 70 });
    expect(forecastQuota(daily(14, (ago) => 70 + ago), 100, NOW)).toEqual({ usedPercent: 70 });
  });

  it('uses only the recent window: old growth that stopped is not growth', () => {
    // Grew by 1 a day until two weeks ago, flat at 80 since.
    const history = daily(60, (ago) => (ago <= 14 ? 80 : 80 - (ago - 14)));
    expect(history[0].count).toBe(35);
    expect(forecastQuota(history, 100, NOW)).toEqual({ usedPercent: 80 }); // flat for the last 14 days
    expect(forecastQuota(history, 100, NOW, { windowDays: 60 }).daysUntilFull).toBeGreaterThan(0);
  });

  it('says "full now" at or over the quota', () => {
    expect(forecastQuota(daily(5, () => 100), 100, NOW)).toEqual({ usedPercent: 100, daysUntilFull: 0, fullAt: NOW.toISOString() });
    expect(forecastQuota(daily(5, () => 120), 100, NOW)).toMatchObject({ usedPercent: 120, daysUntilFull: 0 });
  });

  it('projects from the latest sample, even an old one', () => {
    // 90 five days ago, growing 1 a day: full 10 days after that sample, so in 5 days.
    const stale = daily(10, (ago) => 90 - ago).map((s) => ({ ...s, at: new Date(Date.parse(s.at) - 5 * DAY).toISOString() }));
    expect(forecastQuota(stale, 100, NOW)).toMatchObject({ usedPercent: 90, daysUntilFull: 5, fullAt: '2026-11-27T00:00:00.000Z' });
  });

  it('copes with no samples, one sample, samples in the future, and junk', () => {
    expect(forecastQuota([], 100, NOW)).toEqual({ usedPercent: 0 });
    expect(forecastQuota([{ at: NOW.toISOString(), count: 42 }], 100, NOW)).toEqual({ usedPercent: 42 });
    const withJunk = [...daily(5, (ago) => 50 - ago), { at: '2027-01-01T00:00:00Z', count: 99 }, { at: 'garbage', count: 1 }, { at: NOW.toISOString(), count: Number.NaN }];
    expect(forecastQuota(withJunk, 100, NOW)).toEqual({ usedPercent: 50, daysUntilFull: 50, fullAt: '2027-01-11T00:00:00.000Z' });
  });

  it('treats a quota of zero as full', () => {
    expect(forecastQuota(daily(3, () => 1), 0, NOW)).toMatchObject({ daysUntilFull: 0 });
  });
});

describe('growthPerDay', () => {
  it('is the least-squares slope per day, undefined without two distinct times', () => {
    expect(growthPerDay([{ ms: 0, count: 1 }, { ms: DAY, count: 3 }, { ms: 2 * DAY, count: 5 }])).toBeCloseTo(2, 10);
    expect(growthPerDay([{ ms: 0, count: 0 }, { ms: DAY, count: 4 }, { ms: 2 * DAY, count: 2 }])).toBeCloseTo(1, 10);
    expect(growthPerDay([{ ms: DAY, count: 1 }, { ms: DAY, count: 9 }])).toBeUndefined();
    expect(growthPerDay([{ ms: DAY, count: 1 }])).toBeUndefined();
  });
});
