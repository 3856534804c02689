// The network construct alone (no Lambdas to bundle): the config variants the full synths don't cover.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { verificationNetworkSchema } from '../../../lib/platform/config/verification-schema.js';
import { VerificationNetwork } from '../../../lib/drill/drill-network.js';

const SUBNETS = ['subnet-0aaa1111bbbb22223', 'subnet-0ccc3333dddd44445'];

function network(raw: Record<string, unknown>) {
  const stack = new Stack(new App(), 'Net', { env: { account: '111122223333', region: 'eu-west-1' } });
  const net = new VerificationNetwork(stack, 'Network', {
    appName: 'acme-dr',
    network: verificationNetworkSchema.parse({ vpcId: 'vpc-0123456789abcdef0', subnetIds: SUBNETS, ...raw }),
  });
  return { net, template: Template.fromStack(stack) };
}

describe('verification network variants', () => {
  it('uses an existing DB subnet group as named (lowercase in its ARN) and creates none', () => {
    const { net, template } = network({ dbSubnetGroupName: 'Shared-Drills' });
    template.resourceCountIs('AWS::RDS::DBSubnetGroup', 0);
    expect(net.subnetGroupName).toBe('Shared-Drills');
    expect(net.subnetGroupArnName).toBe('shared-drills');
  });

  it('without its own endpoint, lets the verifier out on 443 only (besides the DB ports)', () => {
    const { template } = network({ createSecretsManagerEndpoint: false });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const verifier = Object.entries(template.findResources('AWS::EC2::SecurityGroup')).find(([k]) => k.includes('Verifier'))![1];
    expect(verifier.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
  });

  it('places subnet i in availabilityZones[i] and rejects a zone list that does not fit the subnets', () => {
    const { net } = network({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
    expect(net.subnets.map((s) => [s.subnetId, s.availabilityZone])).toEqual([
      [SUBNETS[0], 'eu-west-1a'],
      [SUBNETS[1], 'eu-west-1b'],
    ]);
    expect(() =>
      network({ subnetIds: [...SUBNETS, 'subnet-0eee5555ffff66667'], availabilityZones: ['eu-west-1a', 'eu-west-1b'] }),
    ).toThrow(/verification.availabilityZones/);
  });
});
