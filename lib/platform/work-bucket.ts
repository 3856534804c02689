import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { grantWithReasons, type WildcardReasons } from './grant.js';
import { acknowledgeRule } from './nag.js';

const RUN_DATA_WILDCARDS: WildcardReasons = [
  [/\/runs\/[a-z-]+\/\*$/, 'Run data keys (plans, Map results, reports) name the run, known only at run time; access is limited to this workflow\'s runs/<workflow>/ prefix.'],
  [
    /:execution:[^:/]+\/\*$/,
    'Distributed Map child executions are named by Step Functions at run time (<state machine>/<map state>:<map run>:<id>); the pattern covers only this state machine\'s map runs.',
  ],
];

/**
 * The fixed start of the bucket's name; the stack appends `-` and the first 8 hex digits of its stack
 * id, as the reports bucket does (the bucket is retained, so a fixed name would block the next
 * creation of the stack). At most 21 + 6 + 14 + 1 + 8 = 50 characters, within S3's 63.
 */
export const workBucketPrefix = (appName: string, region: string): string => `${appName}-work-${region}`;

/** Key prefix of everything a workflow run keeps here: its plan, its Map results, its full report. */
export const RUNS_PREFIX = 'runs/';
/** Run data expires after this many days: long enough to read a week-old run's full report. */
export const RUN_DATA_DAYS = 35;

/**
 * Where the workflows keep what grows with the fleet: plans (a Distributed Map's item source), the
 * per-database results its ResultWriter writes, and the full run reports. Between states only a
 * pointer and a summary travel, so no payload or history grows with the number of databases. The
 * bucket is in the same region as the state machines, as ItemReader and ResultWriter require
 * ("ItemReader (Map)", "ResultWriter (Map)", AWS Step Functions Developer Guide).
 */
export class WorkBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { appName: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    const stackIdSuffix = Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: Fn.join('-', [workBucketPrefix(props.appName, stack.region), stackIdSuffix]),
      // Plans and results name databases and snapshots, nothing secret: S3-managed keys keep Step
      // Functions' ItemReader/ResultWriter free of KMS grants.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-run-data', prefix: RUNS_PREFIX, expiration: Duration.days(RUN_DATA_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // A run's data may be read after a failed deployment rolled the stack back.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeRule(
      this.bucket,
      'AwsSolutions-S1',
      'Working data of rds-dr workflow runs (plans, per-database results), written and read only by the app\'s own ' +
        'Lambdas and state machines and expiring after ' + RUN_DATA_DAYS + ' days; API access is audited by CloudTrail. ' +
        'A server-access-log bucket would itself be an unlogged bucket and add nothing here.',
    );
  }

  /** Objects of one workflow's runs: `runs/<workflow>/…`. */
  objectsArn(workflow: string): string {
    return this.bucket.arnForObjects(`${RUNS_PREFIX}${workflow}/*`);
  }

  /** A Lambda reads and/or writes its workflow's run data (a planner only writes, a reporter only reads). */
  grantRunData(fn: IFunction, workflow: string, access: 'read' | 'write' | 'read-write' = 'read-write'): void {
    const actions = { read: ['s3:GetObject'], write: ['s3:PutObject'], 'read-write': ['s3:GetObject', 's3:PutObject'] }[access];
    const sid = { read: 'ReadRunData', write: 'WriteRunData', 'read-write': 'ReadWriteRunData' }[access];
    grantWithReasons(fn, [new iam.PolicyStatement({ sid, actions, resources: [this.objectsArn(workflow)] })], RUN_DATA_WILDCARDS);
  }

  /**
   * A state machine's Distributed Map reads its plan (ItemReader) and writes its results (ResultWriter)
   * here, and runs its child executions ("IAM policies for using Distributed Map states", AWS Step
   * Functions Developer Guide): StartExecution on itself, Describe/StopExecution on its map runs' executions.
   */
  grantDistributedMap(stateMachine: sfn.StateMachine, workflow: string, stateMachineName: string): void {
    const { account, region } = Stack.of(this);
    grantWithReasons(
      stateMachine,
      [
        new iam.PolicyStatement({
          sid: 'DistributedMapRunData',
          actions: ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
          resources: [this.objectsArn(workflow)],
        }),
        new iam.PolicyStatement({ sid: 'DistributedMapChildExecutions', actions: ['states:StartExecution'], resources: [`arn:aws:states:${region}:${account}:stateMachine:${stateMachineName}`] }),
        new iam.PolicyStatement({
          sid: 'DistributedMapChildExecutionStatus',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [`arn:aws:states:${region}:${account}:execution:${stateMachineName}/*`],
        }),
      ],
      RUN_DATA_WILDCARDS,
    );
  }
}
