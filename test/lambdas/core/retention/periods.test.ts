// Calendar periods in IANA time zones: concrete cases, and a property against a naive
// implementation (full Intl call at the exact instant, ISO week by the ordinal-date formula).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearPeriodMemo, periodsOf } from '../../../../lambdas/core/retention/periods.js';
import { naivePeriods } from './plan-retention.oracle.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Auckland', 'America/St_Johns', 'Australia/Eucla'];

describe('periodsOf', () => {
  it('computes periods in the given zone: 2026-03-01T04:30Z is February in Los Angeles', () => {
    const ms = Date.parse('2026-03-01T04:30:00Z');
    expect(periodsOf(ms, 'UTC')).toEqual({ day: '2026-03-01', week: '2026-W09', month: '2026-03', year: '2026' });
    expect(periodsOf(ms, 'America/Los_Angeles')).toEqual({ day: '2026-02-28', week: '2026-W09', month: '2026-02', year: '2026' });
  });

  it('uses ISO weeks across the year boundary', () => {
    expect(periodsOf(Date.parse('2026-12-31T12:00:00Z'), 'UTC').week).toBe('2026-W53');
    expect(periodsOf(Date.parse('2027-01-03T12:00:00Z'), 'UTC')).toMatchObject({ week: '2026-W53', year: '2027' });
    expect(periodsOf(Date.parse('2027-01-04T12:00:00Z'), 'UTC').week).toBe('2027-W01');
    expect(periodsOf(Date.parse('2024-12-30T12:00:00Z'), 'UTC')).toMatchObject({ week: '2025-W01', year: '2024' });
  });

  it('follows DST and non-hour offsets', () => {
    // Europe/Berlin springs forward on 2026-03-29 (UTC+1 -> +2) and falls back on 2026-10-25.
    expect(periodsOf(Date.parse('2026-03-28T22:59:00Z'), 'Europe/Berlin').day).toBe('2026-03-28');
    expect(periodsOf(Date.parse('2026-03-28T23:00:00Z'), 'Europe/Berlin').day).toBe('2026-03-29');
    expect(periodsOf(Date.parse('2026-03-29T21:59:00Z'), 'Europe/Berlin').day).toBe('2026-03-29');
    expect(periodsOf(Date.parse('2026-03-29T22:00:00Z'), 'Europe/Berlin').day).toBe('2026-03-30');
    expect(periodsOf(Date.parse('2026-10-24T22:00:00Z'), 'Europe/Berlin').day).toBe('2026-10-25');
    expect(periodsOf(Date.parse('2026-10-25T22:59:00Z'), 'Europe/Berlin').day).toBe('2026-10-25'); // the 25-hour day
    expect(periodsOf(Date.parse('2026-10-25T23:00:00Z'), 'Europe/Berlin').day).toBe('2026-10-26');
    expect(periodsOf(Date.parse('2026-01-01T18:14:00Z'), 'Asia/Kathmandu').day).toBe('2026-01-01'); // UTC+5:45
    expect(periodsOf(Date.parse('2026-01-01T18:15:00Z'), 'Asia/Kathmandu').day).toBe('2026-01-02');
  });

  it('gives the same answer cold and memoized', () => {
    const ms = Date.parse('2026-07-01T03:07:00Z');
    const warm = periodsOf(ms, 'America/New_York');
    clearPeriodMemo();
    expect(periodsOf(ms, 'America/New_York')).toEqual(warm);
    expect(warm.day).toBe('2026-06-30');
  });

  it('rejects an unknown time zone instead of silently using UTC', () => {
    expect(() => periodsOf(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('agrees with a naive implementation at any instant in any zone (2000-2040)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...ZONES), (ms, zone) => {
        expect(periodsOf(ms, zone)).toEqual(naivePeriods(ms, zone));
      }),
      { numRuns: 5000 },
    );
  });

  it('follows a clock change off the quarter hour: St John\'s fell back at 00:01 local in 2007', () => {
    // 2007-11-04T02:31Z: 00:01 NDT became 23:01 NST, the 3rd again, mid-slot.
    clearPeriodMemo();
    expect(periodsOf(Date.parse('2007-11-04T02:30:00Z'), 'America/St_Johns').day).toBe('2007-11-04');
    expect(periodsOf(Date.parse('2007-11-04T02:31:00Z'), 'America/St_Johns').day).toBe('2007-11-03');
    expect(periodsOf(Date.parse('2007-11-04T02:31:00Z'), 'America/St_Johns')).toEqual(naivePeriods(Date.parse('2007-11-04T02:31:00Z'), 'America/St_Johns'));
  });

  it('agrees with the naive implementation minute by minute around DST changes and New Year', () => {
    const starts = ['2026-03-28T20:00:00Z', '2026-10-24T20:00:00Z', '2026-03-08T03:00:00Z', '2026-11-01T02:00:00Z', '2026-04-04T12:00:00Z', '2026-12-31T08:00:00Z'];
    for (const start of starts) {
      for (let minute = 0; minute < 8 * 60; minute++) {
        const ms = Date.parse(start) + minute * 60_000;
        for (const zone of ZONES) expect(periodsOf(ms, zone), `${new Date(ms).toISOString()} ${zone}`).toEqual(naivePeriods(ms, zone));
      }
    }
  });
});
