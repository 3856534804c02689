import { type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RdsDrConfig } from './config/schema.js';
import { type ReportsBucketRef, toRuntimeSettings, type VerificationResources } from './config/runtime-settings.js';
import { BUNDLED_SETTINGS_FILE, SETTINGS_ENV, sliceSettings } from '../../lambdas/core/settings.js';
import { splitDeployTimeValues, writeBundledSettings } from './function-settings.js';
import { acknowledgeRule } from './nag.js';
import { repoPath } from './paths.js';
import { LAMBDA_SETTINGS, LAMBDAS, type LambdaName } from './registry.js';

/** A Lambda of the app, as listed in the registry (lib/platform/registry.ts). */
export type RdsDrFunctionName = LambdaName;

/** Where a function that must reach resources inside a VPC runs. */
export interface VpcPlacement {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.ISubnet[];
  readonly securityGroups: ec2.ISecurityGroup[];
}

export interface RdsDrFunctionProps {
  readonly name: RdsDrFunctionName;
  readonly config: RdsDrConfig;
  readonly description: string;
  /** @default 60 seconds */
  readonly timeout?: Duration;
  /** @default 256 MB */
  readonly memorySize?: number;
  /** Extra environment on top of the shared settings. */
  readonly environment?: Record<string, string>;
  /** Deployed names the restore-drill Lambdas read from RDSDR_SETTINGS.verification. */
  readonly verification?: VerificationResources;
  /** The reports bucket (DR region), when the function reads or writes reports: its name, or where to read it. */
  readonly reportsBucket?: ReportsBucketRef;
  /** The stack's work bucket (lib/platform/work-bucket.ts), when the function reads or writes run data. */
  readonly workBucket?: string;
  /** The coordination table's name (copy slots, work ledger), for functions in its stack. */
  readonly coordinationTable?: string;
  /** The backup workflow's deployment this function belongs to (lambdas/backup/backup-route.ts); unset elsewhere. */
  readonly backupRole?: 'primary' | 'dr';
  /** The RPO monitor's deployment this function is (lambdas/monitor/series-owner.ts); unset elsewhere. */
  readonly monitorRole?: 'primary' | 'dr';
  /** The prune workflow's deployment this function belongs to (lambdas/prune/prune-route.ts); unset elsewhere. */
  readonly pruneRole?: 'primary' | 'dr';
  /** Run inside these subnets with these security groups. */
  readonly vpc?: VpcPlacement;
}

/**
 * A bundled Node.js Lambda with the app's conventions: ARM, explicit log group with retention,
 * X-Ray tracing, Powertools env and the RDSDR_SETTINGS contract from lambdas/core/settings.ts.
 */
export function createRdsDrFunction(scope: Construct, id: string, props: RdsDrFunctionProps): NodejsFunction {
  const stack = Stack.of(scope);

  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });

  // An explicit role with write access to its own log group only, instead of the
  // AWSLambdaBasicExecutionRole managed policy (which allows writing to every log group).
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `rds-dr ${props.name} Lambda`,
  });
  logGroup.grantWrite(role);
  if (props.vpc) role.addToPolicy(vpcNetworkInterfaceStatement());

  // Only the sections this function reads (registry), split into what CloudFormation fills in at
  // deploy time (environment) and what is known now (a file bundled beside the handler).
  const runtimeSettings = {
    // The function's own stack region: the alert and warning topics it is given are that region's.
    ...toRuntimeSettings(
      props.config,
      { account: stack.account, region: stack.region },
      props.verification,
      props.reportsBucket ?? (props.verification?.reportsBucket || undefined),
      props.coordinationTable,
    ),
    ...(props.workBucket && { workBucket: props.workBucket }),
    ...(props.backupRole && { backupRole: props.backupRole }),
    ...(props.monitorRole && { monitorRole: props.monitorRole }),
    ...(props.pruneRole && { pruneRole: props.pruneRole }),
  };
  const { deployed, bundled } = splitDeployTimeValues(sliceSettings(runtimeSettings, LAMBDA_SETTINGS[props.name]));
  const settingsFile = writeBundledSettings(scope, bundled);

  const fn = new NodejsFunction(scope, id, {
    entry: repoPath(LAMBDAS[props.name]),
    handler: 'handler',
    projectRoot: repoPath(),
    depsLockFilePath: repoPath('package-lock.json'),
    description: props.description,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize ?? 256,
    timeout: props.timeout ?? Duration.seconds(60),
    role,
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
    ...(props.vpc && {
      vpc: props.vpc.vpc,
      vpcSubnets: { subnets: props.vpc.subnets },
      securityGroups: props.vpc.securityGroups,
    }),
    environment: {
      POWERTOOLS_SERVICE_NAME: 'rds-dr',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      // toJsonString keeps the references (Ref AWS::AccountId, a bucket's name) resolvable inside the JSON.
      [SETTINGS_ENV]: stack.toJsonString({ ...deployed, $bundled: BUNDLED_SETTINGS_FILE }),
      ...props.environment,
    },
    bundling: {
      // esbuild from node_modules, no Docker: synth must work offline on a laptop or CI runner.
      forceDockerBundling: false,
      minify: true,
      sourceMap: true,
      target: 'node22',
      format: OutputFormat.CJS,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir: string, outputDir: string) => [`cp "${settingsFile.path}" "${outputDir}/${BUNDLED_SETTINGS_FILE}"`],
      },
    },
  });

  // Where tests (and a curious reader of the template) find the bundled half.
  (fn.node.defaultChild as CfnResource).addMetadata('rds-dr:settings-file', settingsFile.relative);

  acknowledgeRule(
    role,
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray PutTraceSegments/PutTelemetryRecords (tracing: ACTIVE) do not support resource-level permissions; "*" is the only valid resource.' +
      (props.vpc
        ? ' In a VPC, Lambda also manages the function\'s network interfaces with ec2:*NetworkInterface* calls whose ' +
          'ENI ids only exist at run time (the same grant as AWS\'s AWSLambdaVPCAccessExecutionRole); ec2:Describe* has no resource-level permissions.'
        : ''),
  );

  acknowledgeRule(
    fn,
    'AwsSolutions-L1',
    'Pinned to nodejs22.x (supported LTS) to match the esbuild target node22 the handlers are built and tested ' +
      'for; moving to a newer runtime is a deliberate upgrade, not something a synth should do implicitly.',
  );

  return fn;
}

/**
 * What Lambda needs to attach a function to a VPC, inline instead of the AWSLambdaVPCAccessExecutionRole
 * managed policy (which CDK only adds to roles it creates itself).
 */
function vpcNetworkInterfaceStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ManageLambdaNetworkInterfaces',
    actions: [
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ],
    resources: ['*'],
  });
}
