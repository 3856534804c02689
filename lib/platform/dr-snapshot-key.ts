import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { drKeyAliasName } from './config/runtime-settings.js';
import type { RdsDrConfig } from './config/schema.js';

/**
 * Customer-managed key that encrypts the snapshot copies in the DR region.
 * The default key policy (account root) lets IAM decide; the copy Lambda gets kms:CreateGrant so
 * RDS can use the key through a grant. The primary stack finds the key by its alias.
 */
export class DrSnapshotKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, config: RdsDrConfig) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `${config.appName}: encrypts RDS/Aurora snapshot copies in the DR region (${config.drRegion})`,
      enableKeyRotation: true,
      alias: drKeyAliasName(config),
      // Deleting the key would make every DR copy unreadable; it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
