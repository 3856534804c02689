import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, type IConstruct } from 'constructs';
import type { RdsDrConfig } from './config/schema.js';
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
 * The fixed start of the bucket's name; the DR stack appends `-` and the first 8 hex digits of its
 * stack id (REPORTS_BUCKET_SUFFIX_LENGTH), which are new each time the stack is created. The bucket is
 * retained when the stack is deleted (it holds the audit trail), so a fixed name would make the next
 * deployment fail: S3 refuses to create a bucket whose name exists. At most 21 + 9 + 14 + 1 + 8 = 53
 * characters (appName, "-reports-", the longest region, "-", suffix), within S3's 63.
 */
export function reportsBucketPrefix(appName: string, drRegion: string): string {
  return `${appName}-reports-${drRegion}`;
}

/** Length of the per-creation suffix of the bucket's name (the first group of the stack id's UUID). */
export const REPORTS_BUCKET_SUFFIX_LENGTH = 8;

/**
 * SSM String parameter (DR region) the DR stack publishes the bucket's name in: the primary region's
 * functions and the CLI read it there, since no stack reference crosses regions.
 */
export const reportsBucketParameterName = (appName: string): string => `/${appName}/reports-bucket`;

/** ARN of that parameter. */
export function reportsBucketParameterArn(config: Pick<RdsDrConfig, 'appName' | 'drRegion'>, account: string): string {
  return `arn:aws:ssm:${config.drRegion}:${account}:parameter${reportsBucketParameterName(config.appName)}`;
}

/**
 * ARN matching every bucket the DR stack can create, whatever its stack id: the prefix and exactly
 * REPORTS_BUCKET_SUFFIX_LENGTH more characters ("?" matches one character; no "*", so an object
 * pattern after it cannot reach other keys of the bucket). Use it with `reportsBucketInAccount`:
 * bucket names are global and the ARN has no account.
 */
export function reportsBucketArnPattern(config: Pick<RdsDrConfig, 'appName' | 'drRegion'>): string {
  return `arn:aws:s3:::${reportsBucketPrefix(config.appName, config.drRegion)}-${'?'.repeat(REPORTS_BUCKET_SUFFIX_LENGTH)}`;
}

/** Condition that limits an S3 grant to buckets owned by this account (s3:ResourceAccount). */
export const reportsBucketInAccount = (account: string) => ({ StringEquals: { 's3:ResourceAccount': account } });

export interface RemoteReportsBucket {
  /** For the function's settings (createRdsDrFunction `reportsBucket`). */
  readonly ref: { readonly parameter: string };
  /** Every bucket the DR stack can create (with `inAccount`). */
  readonly bucketArn: string;
  /** Objects under `keyPattern` in that bucket. */
  readonly objectsArn: (keyPattern: string) => string;
  /** Condition for every S3 statement on bucketArn / objectsArn. */
  readonly inAccount: { StringEquals: Record<string, string> };
  /** ssm:GetParameter on the parameter holding the bucket's name. */
  readonly readName: iam.PolicyStatement;
}

/**
 * How a function deployed outside the DR stack (the primary region) reaches the reports bucket: the
 * settings name the SSM parameter to read the bucket's name from, and the statement lets it read it.
 */
export function remoteReportsBucket(scope: IConstruct, config: Pick<RdsDrConfig, 'appName' | 'drRegion'>): RemoteReportsBucket {
  const account = Stack.of(scope).account;
  return {
    ref: { parameter: reportsBucketParameterName(config.appName) },
    bucketArn: reportsBucketArnPattern(config),
    objectsArn: (keyPattern: string) => `${reportsBucketArnPattern(config)}/${keyPattern}`,
    inAccount: reportsBucketInAccount(account),
    readName: new iam.PolicyStatement({
      sid: 'ReadReportsBucketName',
      actions: ['ssm:GetParameter'],
      resources: [reportsBucketParameterArn(config, account)],
    }),
  };
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
  /** The bucket's name, for the primary region (reportsBucketParameterName). */
  readonly nameParameter: ssm.StringParameter;

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
    // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>: the UUID's first group, new per stack creation
    // and unchanged by updates (so updates keep the bucket).
    const stackIdSuffix = Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: Fn.join('-', [reportsBucketPrefix(props.appName, stack.region), stackIdSuffix]),
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
      // Reports outlive the stack (audit trail); the name above lets a later deployment create a new bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Deleted with the stack (unlike the bucket), so the next deployment can create it again.
    this.nameParameter = new ssm.StringParameter(this, 'NameParameter', {
      parameterName: reportsBucketParameterName(props.appName),
      stringValue: this.bucket.bucketName,
      description: `${props.appName}: name of the reports bucket (drill reports, prune plans and audits, incident timelines)`,
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
