// Shared config and fleet for the backup integration tests, and the primary region's placement the
// failback tests (and the region-outage game day) configure for the replica they bring back.
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBParameterGroupCommand, CreateDBSubnetGroupCommand, RDSClient } from '@aws-sdk/client-rds';
import { motoClientConfig, type Moto } from '../local/moto.js';

export const PRIMARY = 'us-east-1';
export const DR = 'us-west-2';

export function localConfig(overrides: Record<string, unknown> = {}) {
  return {
    appName: 'rds-dr',
    primaryRegion: PRIMARY,
    drRegion: DR,
    alerts: { emails: ['oncall@example.com'] },
    policies: {
      gold: { selection: { tags: { 'rds-dr:policy': 'gold' } }, maxConcurrency: 4 },
    },
    ...overrides,
  };
}

/** The original region's network, parameters and key, as they were before the outage (config incident.databases.<db>.failback). */
export async function primaryPlacement(moto: Moto) {
  const ec2 = new EC2Client(motoClientConfig(moto, PRIMARY));
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
  const subnets = await Promise.all(['a', 'b'].map((az, i) => ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.9.${i}.0/24`, AvailabilityZone: `${PRIMARY}${az}` }))));
  const securityGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app-db', Description: 'app databases', VpcId: vpcId }))).GroupId!;
  const rds = new RDSClient(motoClientConfig(moto, PRIMARY));
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'app-subnets', DBSubnetGroupDescription: 'app', SubnetIds: subnets.map((s) => s.Subnet!.SubnetId!) }));
  await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'app-params', DBParameterGroupFamily: 'postgres16', Description: 'app' }));
  const kmsKeyId = (await new KMSClient(motoClientConfig(moto, PRIMARY)).send(new CreateKeyCommand({ Description: 'app databases (primary region)' }))).KeyMetadata!.Arn!;
  return { kmsKeyId, subnetGroupName: 'app-subnets', securityGroupIds: [securityGroupId], parameterGroupName: 'app-params' };
}
