import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { VerificationNetwork as NetworkConfig } from '../platform/config/verification-schema.js';
import type { VpcPlacement } from '../platform/rds-dr-function.js';
import { acknowledgeRule } from '../platform/nag.js';

/**
 * The ports the verifier may reach on a restored database: RDS's whole valid port range (every engine
 * accepts 1150-65535; the defaults 1433, 1521, 3306, 5432 lie inside it). A restore keeps the source's
 * port, which can be any of these, and a security group cannot follow a per-database port. The range
 * stays least privilege because both ends are ours alone: the peer is only the verifier's security
 * group (never a CIDR), and the target group holds only restored databases, each listening on its
 * one database port. Passing an explicit Port to every restore instead would change the port the
 * restored database (and, after an incident cutover, production) listens on.
 */
export const RESTORED_DB_PORTS = { from: 1150, to: 65535 } as const;

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
    // One rule pair: ingress on the restored-DB group from the verifier group, and the verifier's egress to it.
    this.verifierSecurityGroup.connections.allowTo(
      this.restoredDbSecurityGroup,
      ec2.Port.tcpRange(RESTORED_DB_PORTS.from, RESTORED_DB_PORTS.to),
      `verifier to restored DB on its engine port (RDS range ${RESTORED_DB_PORTS.from}-${RESTORED_DB_PORTS.to})`,
    );

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
