import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeRule } from './nag.js';

export interface ReportsBucketProps {
  readonly appName: string;
  /** Reports (and superseded versions of them) are deleted after this many days. */
  readonly retentionDays: number;
}

/** Key prefix the restore-drill reports are written under (lambdas/drill/drill-report.handler.ts). */
export const VERIFICATION_REPORTS_PREFIX = 'reports/verification/';
/** Key prefix of the prune plans and audits (lambdas/plan-prune, lambdas/prune-report). */
export const PRUNE_REPORTS_PREFIX = 'reports/prune/';

/**
 * The bucket's name is fixed (app, account, DR region) so the prune workflow in the primary region
 * can write to it without a cross-region stack reference.
 */
export function reportsBucketName(appName: string, account: string, drRegion: string): string {
  return `${appName}-reports-${account}-${drRegion}`;
}

/** Alias of the reports key; primary-region writers are granted the key by this alias. */
export const reportsKeyAliasName = (appName: string): string => `alias/${appName}/reports`;

/**
 * Private, versioned, KMS-encrypted bucket for drill reports and prune audits: the audit evidence that restores
 * work, so it outlives the stack and only expires by the configured retention.
 */
export class ReportsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReportsBucketProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `${props.appName}: encrypts restore-drill and prune reports`,
      alias: reportsKeyAliasName(props.appName),
      enableKeyRotation: true,
      // Deleting the key would make every kept report unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stack = Stack.of(this);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: reportsBucketName(props.appName, stack.account, stack.region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket instead of per object: far fewer KMS calls.
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: 'expire-reports',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeRule(
      this.bucket,
      'AwsSolutions-S1',
      'Reports are written only by rds-dr Lambdas (IAM: PutObject on the verification/prune prefixes) and are ' +
        'versioned, so an overwrite cannot erase evidence; API access is audited by CloudTrail. A server-access-log ' +
        'bucket would itself be an unlogged bucket and add nothing for a single-writer bucket.',
    );
  }
}
