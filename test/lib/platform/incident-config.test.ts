import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/platform/config/schema.js';
import { rawTestConfig } from '../fixtures.js';

type Raw = Record<string, any>;

function withIncident(incident: unknown): Raw {
  return { ...(structuredClone(rawTestConfig()) as Raw), incident };
}

function problems(raw: Raw): string[] {
  try {
    parseConfig(raw, 'bad.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected parseConfig to fail');
}

describe('incident config', () => {
  it('defaults to no databases, rename cutover and 7-day PITR retention', () => {
    const config = parseConfig(rawTestConfig());
    expect(config.incident).toEqual({ databases: {}, waitTimeoutMinutes: 180, pitrMinRetentionDays: 7 });
    const db = parseConfig(withIncident({ databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } })).incident.databases.orders;
    expect(db).toMatchObject({ maxReplicaLagSeconds: 300, cutover: 'rename', pitr: { minRetentionDays: 7, replicateToDr: false, enforce: false } });
  });

  it('accepts an Aurora global standby with Route 53 and SSM targets', () => {
    const config = parseConfig(
      withIncident({
        databases: {
          ledger: {
            standby: { globalCluster: 'ledger-global', secondaryCluster: 'ledger-dr' },
            endpoint: { route53: { hostedZoneId: 'Z0123456789ABC', recordName: 'ledger-db.internal.example.com' }, ssmParameter: '/ledger/writer' },
            cutover: 'endpoint',
          },
        },
      }),
    );
    expect(config.incident.databases.ledger.endpoint?.route53).toMatchObject({ ttl: 60, zone: 'private', acceleratedRecovery: false });
  });

  it('accepts a public zone with accelerated recovery', () => {
    const route53 = { hostedZoneId: 'Z0123456789ABC', recordName: 'ledger-db.example.com', zone: 'public', acceleratedRecovery: true };
    const config = parseConfig(withIncident({ databases: { ledger: { endpoint: { route53 } } } }));
    expect(config.incident.databases.ledger.endpoint?.route53).toMatchObject({ zone: 'public', acceleratedRecovery: true });
  });

  it.each([
    [{ databases: { orders: { cutover: 'endpoint' } } }, /^incident\.databases\.orders\.endpoint: required because cutover is "endpoint"/],
    [{ databases: { orders: { standby: { replicaInstance: 'orders' } } } }, /^incident\.databases\.orders\.standby\.replicaInstance: must name the replica/],
    [{ databases: { orders: { endpoint: { route53: { hostedZoneId: 'nope', recordName: 'a.example.com' } } } } }, /^incident\.databases\.orders\.endpoint\.route53\.hostedZoneId: must be a Route 53 hosted zone id/],
    [{ databases: { orders: { endpoint: { ssmParameter: 'no-slash' } } } }, /^incident\.databases\.orders\.endpoint\.ssmParameter: must be an SSM parameter name/],
    [{ databases: { orders: { endpoint: {} } } }, /^incident\.databases\.orders\.endpoint: set route53 and\/or ssmParameter/],
    [{ databases: { orders: { cutover: 'swap' } } }, /^incident\.databases\.orders\.cutover: /],
    [{ databases: { 'bad--id': {} } }, /^incident\.databases\.bad--id: must be an RDS identifier/],
    [{ databases: { orders: { maxReplicaLag: 5 } } }, /^incident\.databases\.orders: unknown field\(s\) "maxReplicaLag"/],
    [
      { databases: { orders: { endpoint: { route53: { hostedZoneId: 'Z0123', recordName: 'a.example.com', acceleratedRecovery: true } } } } },
      /^incident\.databases\.orders\.endpoint\.route53\.acceleratedRecovery: acceleratedRecovery is available only for public hosted zones/,
    ],
    [{ databases: { orders: { endpoint: { route53: { hostedZoneId: 'Z0123', recordName: 'a.example.com', zone: 'shared' } } } } }, /^incident\.databases\.orders\.endpoint\.route53\.zone: /],
  ])('rejects %j naming the field', (incident, expected) => {
    expect(problems(withIncident(incident))).toEqual([expect.stringMatching(expected)]);
  });
});
