import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/platform/config/schema.js';
import { toRuntimeSettings } from '../../../lib/platform/config/runtime-settings.js';
import { rawDrillConfig, rawTestConfig } from '../fixtures.js';

type Raw = Record<string, any>;

/** The problems parseConfig reports for a mutated copy of the valid test config. */
function problemsFor(mutate: (c: Raw) => void): string[] {
  const config = structuredClone(rawTestConfig()) as Raw;
  mutate(config);
  try {
    parseConfig(config, 'bad.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('bad.json');
    return (err as ConfigError).problems;
  }
  throw new Error('expected parseConfig to fail');
}

describe('parseConfig reports the field at fault', () => {
  it('accepts the valid test config', () => {
    expect(parseConfig(rawTestConfig()).policies.gold.maxConcurrency).toBe(5);
  });

  it('unknown region', () => {
    const problems = problemsFor((c) => (c.primaryRegion = 'us-east1'));
    expect(problems).toEqual([expect.stringMatching(/^primaryRegion: unknown AWS region "us-east1"/)]);
  });

  it('drRegion equal to primaryRegion (a superRefine rule: only runs on an otherwise valid config)', () => {
    const problems = problemsFor((c) => (c.drRegion = c.primaryRegion));
    expect(problems).toEqual(['drRegion: must differ from primaryRegion (eu-central-1)']);
  });

  it('drOptionGroups: option group names on both sides, reaching the Lambdas as runtime settings', () => {
    const problems = problemsFor((c) => (c.drOptionGroups = { 'erp-oracle-tde': 'erp_oracle_dr', '1bad': 'ok-dr' }));
    expect(problems).toEqual([
      expect.stringMatching(/^drOptionGroups\.erp-oracle-tde: DR option group names \(values\) must be RDS option group names: .*; got "erp_oracle_dr"/),
      expect.stringMatching(/^drOptionGroups\.1bad: source option group names \(keys\) must be RDS option group names: 1-255 letters, digits or hyphens, starting with a letter, no "--"; got "1bad"/),
    ]);
    const config = parseConfig({ ...rawTestConfig(), drOptionGroups: { 'erp-oracle-tde': 'erp-oracle-tde-dr' } });
    expect(toRuntimeSettings(config, { account: '123456789012', region: config.primaryRegion }).drOptionGroups).toEqual({ 'erp-oracle-tde': 'erp-oracle-tde-dr' });
    expect(parseConfig(rawTestConfig()).drOptionGroups).toEqual({});
  });

  it('malformed cron', () => {
    const problems = problemsFor((c) => (c.policies.gold.schedule.cron = 'cron(0 2 * * * *)'));
    expect(problems).toEqual([expect.stringMatching(/^policies\.gold\.schedule\.cron: invalid EventBridge Scheduler cron/)]);
  });

  it('bad email', () => {
    const problems = problemsFor((c) => (c.alerts.emails = ['oncall@example.com', 'not-an-email']));
    expect(problems).toEqual(['alerts.emails.1: invalid email address "not-an-email"']);
  });

  it('maxCopiesInFlight above the RDS limit of 20', () => {
    const problems = problemsFor((c) => (c.policies.billing.maxCopiesInFlight = 21));
    expect(problems).toEqual([expect.stringMatching(/^policies\.billing\.maxCopiesInFlight: /)]);
  });

  it('empty selection', () => {
    const problems = problemsFor((c) => (c.policies.gold.selection = {}));
    expect(problems).toEqual([expect.stringMatching(/^policies\.gold\.selection: empty selection/)]);
  });

  it('unknown field', () => {
    const problems = problemsFor((c) => (c.policies.gold.retentionDays = 7));
    expect(problems).toEqual(['policies.gold: unknown field(s) "retentionDays"']);
  });
});

describe('parseConfig refuses what would break at deploy or run time, naming the field', () => {
  it('an unknown prune schedule time zone (it would synthesize and fail at deploy)', () => {
    expect(problemsFor((c) => (c.pruning = { schedule: { timeZone: 'Mars/Olympus' } }))).toEqual(['pruning.schedule.timeZone: unknown IANA time zone "Mars/Olympus"']);
  });

  it.each(['prune', 'rpo-monitor', 'sweep-verification', 'verify-gold'])('a policy named "%s" (its schedule <app>-%s would collide with one rds-dr creates)', (name) => {
    expect(problemsFor((c) => (c.policies[name] = c.policies.gold))).toEqual([expect.stringMatching(new RegExp(`^policies\\.${name}: "${name}" collides with a schedule rds-dr creates`))]);
  });

  it('snapshot and copy budgets longer than the backup execution may run', () => {
    const tooLong = (c: Raw) => {
      Object.assign(c.policies.gold, { snapshotTimeoutMinutes: 24 * 60, copyTimeoutMinutes: 48 * 60 });
      c.copySlots = { leaseSeconds: 7200 }; // long enough for the copy's polls (test/lib/platform/copy-slots-config.test.ts)
    };
    expect(problemsFor(tooLong)).toEqual([
      'policies.gold.copyTimeoutMinutes: snapshotTimeoutMinutes (1440) + copyTimeoutMinutes (2880) exceed the backup execution\'s 2880 minutes',
    ]);
  });

  it('a drill that may outlive the sweeper\'s expiry, and Availability Zones outside the DR region', () => {
    const problems = problemsFor((c) => {
      c.verification = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa1111bbbb22223', 'subnet-0ccc3333dddd44445'], availabilityZones: ['eu-west-1a', 'us-east-1b'], expiryHours: 4 };
      c.policies.gold.verify = { restoreTimeoutMinutes: 120, databases: { orders: {} } };
    });
    expect(problems).toEqual([
      expect.stringMatching(/^policies\.gold\.verify\.restoreTimeoutMinutes: a drill may run 270 minutes .*longer than verification\.expiryHours \(4 h\)/),
      'verification.availabilityZones.1: "us-east-1b" is not an Availability Zone of drRegion eu-west-1 (e.g. eu-west-1a)',
    ]);
  });

  it('drill sampling: defaults (20 a run, at least every verificationMaxAgeDays), bounds, and no longer than the monitor allows', () => {
    const config = parseConfig(rawDrillConfig());
    const settings = toRuntimeSettings(config, { account: '111122223333', region: config.drRegion }, { subnetGroupName: 'g', securityGroupIds: ['sg-1'], reportsBucket: 'b' });
    expect(settings.verification!.policies.gold.sample).toEqual({ perRun: 20, maxAgeDays: 8 });
    const problems = (mutate: (c: Raw) => void) => {
      const raw = rawDrillConfig() as Raw;
      mutate(raw);
      try {
        parseConfig(raw, 'bad.json');
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems((c) => (c.policies.gold.verify.sample = { perRun: 0 }))).toEqual([expect.stringMatching(/^policies\.gold\.verify\.sample\.perRun: /)]);
    expect(problems((c) => (c.policies.gold.verify.maxConcurrency = 11))).toEqual([expect.stringMatching(/^policies\.gold\.verify\.maxConcurrency: /)]);
    expect(problems((c) => (c.policies.gold.verify.sample = { perRun: 5, maxAgeDays: 9 }))).toEqual([
      'policies.gold.verify.sample.maxAgeDays: 9 days exceeds objectives.verificationMaxAgeDays (8): the monitor would flag databases the rotation leaves that long',
    ]);
    expect(problems((c) => (c.policies.gold.verify.sample = { perRun: 5, maxAgeDays: 3 }))).toEqual([]);
  });
});
