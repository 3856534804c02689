// With us-east-1 as the primary region, a failover whose only endpoint target is a Route 53 record
// that needs us-east-1's control plane is warned at synth (the cutover would strand the promotion).
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { LONG_TIMEOUT, rawTestConfig, synth } from '../fixtures.js';

const route53 = { hostedZoneId: 'Z0123456789ABC', recordName: 'orders-db.example.com' };

function warningsFor(primaryRegion: string, endpoint: Record<string, unknown>) {
  const config = parseConfig({
    ...rawTestConfig(),
    primaryRegion,
    drRegion: 'us-west-2',
    incident: { databases: { 'orders-db': { standby: { replicaInstance: 'orders-db-replica' }, endpoint } } },
  });
  const built = synth(config);
  return Annotations.fromStack(built.dr).findWarning('*', Match.stringLikeRegexp('cutoverNeedsUsEast1'));
}

describe('failover cutover that depends on us-east-1', () => {
  it(
    'is warned for a private zone (and a public zone without accelerated recovery) when us-east-1 is the primary region, naming the database and the fix',
    () => {
      const privateZone = warningsFor('us-east-1', { route53 });
      expect(privateZone).toHaveLength(1);
      expect(JSON.stringify(privateZone[0].entry.data)).toMatch(/incident\.databases\.orders-db\.endpoint: .*private zone.*Add endpoint\.ssmParameter/);
      expect(warningsFor('us-east-1', { route53: { ...route53, zone: 'public' } })).toHaveLength(1);
    },
    LONG_TIMEOUT,
  );

  it(
    'is not warned with an SSM parameter, with accelerated recovery, or when the primary region is another region',
    () => {
      expect(warningsFor('us-east-1', { route53, ssmParameter: '/app/orders/writer' })).toEqual([]);
      expect(warningsFor('us-east-1', { route53: { ...route53, zone: 'public', acceleratedRecovery: true } })).toEqual([]);
      expect(warningsFor('eu-central-1', { route53 })).toEqual([]);
    },
    LONG_TIMEOUT,
  );
});
