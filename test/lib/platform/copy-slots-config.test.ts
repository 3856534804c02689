// `copySlots`: RDS's copies-in-progress limits as defaults, their bounds, and a lease long enough to
// survive the longest wait between two polls of a copy (they renew it).
import { describe, expect, it } from 'vitest';
import { toRuntimeSettings } from '../../../lib/platform/config/runtime-settings.js';
import { ConfigError, MAX_COPIES_IN_FLIGHT, parseConfig } from '../../../lib/platform/config/schema.js';
import { rawTestConfig } from '../fixtures.js';

type Raw = Record<string, any>;

function parse(mutate: (c: Raw) => void) {
  const raw = structuredClone(rawTestConfig()) as Raw;
  mutate(raw);
  return parseConfig(raw, 'copy-slots.json');
}

function problemsFor(mutate: (c: Raw) => void): string[] {
  try {
    parse(mutate);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected parseConfig to fail');
}

describe('copySlots', () => {
  it('defaults to what RDS allows in progress per destination region (20 DB / 5 cluster snapshot copies), with a 30-minute lease', () => {
    expect(parse(() => {}).copySlots).toEqual({ instance: 20, cluster: 5, leaseSeconds: 1800 });
    // One policy's own bound is held to the same RDS limit.
    expect(MAX_COPIES_IN_FLIGHT).toBe(20);
  });

  it('reaches every Lambda in the common part of the settings', () => {
    const config = parse((c) => (c.copySlots = { instance: 12, cluster: 3 }));
    expect(toRuntimeSettings(config, { account: '111122223333', region: config.primaryRegion }).copySlots).toEqual({ instance: 12, cluster: 3, leaseSeconds: 1800 });
  });

  it.each([
    [{ instance: 0 }, /^copySlots\.instance: /],
    [{ instance: 101 }, /^copySlots\.instance: /],
    [{ cluster: 2.5 }, /^copySlots\.cluster: /],
    [{ leaseSeconds: 60 }, /^copySlots\.leaseSeconds: must be at least 420 s/],
    [{ leaseSeconds: 7201 }, /^copySlots\.leaseSeconds: /],
    [{ slots: 4 }, /^copySlots: unknown field\(s\) "slots"/],
  ])('refuses %j', (copySlots, problem) => {
    expect(problemsFor((c) => (c.copySlots = copySlots))[0]).toMatch(problem);
  });

  it('refuses a lease shorter than the longest wait between two poll turns of a backup batch, which renew it', () => {
    expect(problemsFor((c) => Object.assign(c, { copySlots: { leaseSeconds: 419 } }))).toEqual([
      'copySlots.leaseSeconds: must be at least 420 s: backup batches renew their leases at poll turns up to 120 s apart, plus 300 s for the turn itself',
    ]);
    expect(parse((c) => Object.assign(c, { copySlots: { leaseSeconds: 420 } })).copySlots.leaseSeconds).toBe(420);
  });
});
