import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { VerificationNetwork as NetworkConfig } from '../platform/config/verification-schema.js';
import type { VpcPlacement } from '../platform/rds-dr-function.js';
import { acknowledgeRule } from '../platform/nag.js';

/** Engine ports the verifier may reach on a throwaway instance: PostgreSQL, MySQL/MariaDB. */
export const RESTORED_DB_PORTS = [5432, 3306];

export interface VerificationNetworkProps {
  readonly appName: string;
  readonly network: NetworkConfig;
}

/**
 * The DR-region network of restore drills, imported from config (no lookups: synth is offline).
 * Throwaway instances admit only the verifier Lambda; the verifier reaches only them and, over
 * 443, the Secrets Manager endpoint that hands it the instance's managed password.
 */
export class VerificationNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.ISubnet[];
  /** DB subnet group the drills restore into (created here unless the config names one). */
  readonly subnetGroupName: string;
  /** The same name as a literal, lowercase as RDS stores it: what its subgrp ARN contains. */
  readonly subnetGroupArnName: string;
  /** Attached to throwaway instances. */
  readonly restoredDbSecurityGroup: ec2.SecurityGroup;
  /** Attached to the verifier Lambda. */
  readonly verifierSecurityGroup: ec2.SecurityGroup;
  readonly secretsManagerEndpoint?: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: VerificationNetworkProps) {
    super(scope, id);
    const { network, appName } = props;

    // Subnet i lies in availabilityZones[i % n] (CDK's convention). Without configured zones the
    // zones are opaque deploy-time tokens: nothing rendered uses them, subnets are passed by id.
    const availabilityZones = network.availabilityZones ?? network.subnetIds.map((_, i) => Fn.select(i, Fn.getAzs()));
    if (network.subnetIds.length % availabilityZones.length !== 0) {
      throw new Error(
        `verification.availabilityZones: ${availabilityZones.length} zone(s) for ${network.subnetIds.length} subnets; ` +
          'list the zone of each subnet, in subnetIds order',
      );
    }
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: network.vpcId,
      availabilityZones,
      isolatedSubnetIds: network.subnetIds,
    });
    this.subnets = this.vpc.isolatedSubnets;
    acknowledgeRule(
      this.vpc,
      'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
      'Subnets are imported by id only; nothing here reads or changes their route tables.',
    );

    this.subnetGroupArnName = (network.dbSubnetGroupName ?? `${appName}-verification`).toLowerCase();
    if (network.dbSubnetGroupName) {
      this.subnetGroupName = network.dbSubnetGroupName;
    } else {
      const subnetGroup = new rds.CfnDBSubnetGroup(this, 'DbSubnetGroup', {
        // A fixed name, so IAM can name the subgrp ARN exactly; Ref below orders Lambdas after it.
        dbSubnetGroupName: this.subnetGroupArnName,
        dbSubnetGroupDescription: `${appName}: isolated subnets for throwaway restore-drill instances`,
        subnetIds: network.subnetIds,
      });
      this.subnetGroupName = subnetGroup.ref;
    }

    this.verifierSecurityGroup = new ec2.SecurityGroup(this, 'VerifierSecurityGroup', {
      vpc: this.vpc,
      description: `${appName}: restore-drill verifier Lambda (reaches only throwaway DBs and Secrets Manager)`,
      allowAllOutbound: false,
    });
    this.restoredDbSecurityGroup = new ec2.SecurityGroup(this, 'RestoredDbSecurityGroup', {
      vpc: this.vpc,
      description: `${appName}: throwaway restore-drill instances (admit only the verifier)`,
      // A restored database has no reason to open connections of its own.
      allowAllOutbound: false,
    });
    for (const port of RESTORED_DB_PORTS) {
      this.verifierSecurityGroup.connections.allowTo(
        this.restoredDbSecurityGroup,
        ec2.Port.tcp(port),
        `verifier to throwaway DB on ${port}`,
      );
    }

    if (network.createSecretsManagerEndpoint) {
      const endpointSecurityGroup = new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
        vpc: this.vpc,
        description: `${appName}: Secrets Manager endpoint for the restore-drill verifier`,
        allowAllOutbound: false,
      });
      this.secretsManagerEndpoint = new ec2.InterfaceVpcEndpoint(this, 'SecretsManagerEndpoint', {
        vpc: this.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
        subnets: { subnets: this.subnets },
        securityGroups: [endpointSecurityGroup],
        privateDnsEnabled: true,
        // Not open to the whole VPC: only the verifier's security group below.
        open: false,
      });
      this.verifierSecurityGroup.connections.allowTo(endpointSecurityGroup, ec2.Port.tcp(443), 'verifier to Secrets Manager');
    } else {
      // The configured VPC provides Secrets Manager some other way (its own endpoint, a proxy): HTTPS out.
      this.verifierSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to Secrets Manager');
    }
  }

  /** Where the verifier Lambda runs. */
  get verifierPlacement(): VpcPlacement {
    return { vpc: this.vpc, subnets: this.subnets, securityGroups: [this.verifierSecurityGroup] };
  }
}
