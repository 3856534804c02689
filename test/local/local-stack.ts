// The whole local AWS for one test file or one `npm start`: moto (+ PostgreSQL and the data
// plane when asked), the DR key, each region's alert and warning topics with an SQS queue subscribed
// to each to read what arrived, the real Lambda handlers, and the workflows' ASL run by the local runner.
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBSubnetGroupCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resolve } from 'node:path';
import { parseConfig, type RdsDrConfig } from '../../lib/platform/config/schema.js';
import { alertTopicName, coordinationTableName, drKeyAliasName, toRuntimeSettings, type VerificationResources, warningTopicName } from '../../lib/platform/config/runtime-settings.js';
import { reportsBucketParameterName, reportsBucketPrefix } from '../../lib/platform/reports-bucket.js';
import { workBucketPrefix } from '../../lib/platform/work-bucket.js';
import { type FullSettings, SETTINGS_ENV, sliceSettings } from '../../lambdas/core/settings.js';
import { ALERTING_EXECUTION_STATUSES } from '../../lambdas/alerts/failure-alert.js';
import { awsClients } from '../../lambdas/aws/clients.js';
import { LocalDataPlane } from './data-plane.js';
import { RdsFaultBoard } from './faults.js';
import { enforceRdsContracts, enforceSnsContracts, followPromotions, placeCrossRegionReplicas } from './fidelity.js';
import { currentCaller, currentDeployment, inDeployment, runAs } from './iam/caller.js';
import { IamSimulator, startIamSimulation } from './iam/index.js';
import { functionArnPlaceholder, LAMBDA_SETTINGS, LAMBDAS, type LambdaName, stateMachineName, WORKFLOWS, type WorkflowName } from '../../lib/platform/registry.js';
import { LOCAL_ACCOUNT_ID, LOCAL_STACK_UUID, motoClientConfig, startMoto, useMotoForSdk, type Moto } from './moto.js';
import { startPostgres, type Postgres } from './postgres.js';
import { startMariadb, type Mariadb } from './mariadb.js';
import { SdkBridge, type SdkCall } from './sdk-bridge.js';
import { type OutageKind, regionOutages, type RegionOutage } from './region-outage.js';
import { type AlarmNotification, LocalAlarms } from './alarms.js';
import type { MonitorRun } from '../../lambdas/monitor/monitor-recovery.js';
import { executionStatusChangeEvent, type EventLog, runWorkflow, type LambdaHandler, type WorkflowRun } from './workflow-runner.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The name the DR stack gives its reports bucket in the local AWS (its stack id ends in LOCAL_STACK_UUID). */
const localReportsBucketName = (appName: string, drRegion: string): string => `${reportsBucketPrefix(appName, drRegion)}-${LOCAL_STACK_UUID.split('-')[0]}`;
/** The name a stack gives its work bucket in the local AWS. */
const localWorkBucketName = (appName: string, region: string): string => `${workBucketPrefix(appName, region)}-${LOCAL_STACK_UUID.split('-')[0]}`;

/** How much faster than deployed the local prune may call RDS (moto has no throttling to respect). */
export const LOCAL_RDS_BUDGET_SCALE = 1000;

export interface LocalStackOptions {
  /** Raw config (as in config/*.json); primary/DR regions and policies come from it. */
  config: Record<string, unknown>;
  motoEnv?: Record<string, string>;
  withPostgres?: boolean;
  /** A main MariaDB server behind MySQL-family resources (dataPlane.attach(…, 'mysql')); their restores get MariaDB servers of their own. */
  withMariadb?: boolean;
  /** Wait states last Seconds / timeScale (benchmarks with simulated RDS timings); default: a few ms each. */
  timeScale?: number;
  /** Creates what the config must name but moto generates (e.g. a Route 53 hosted zone id); returns the config to use. */
  prepare?: (moto: Moto, config: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

export interface Alert {
  subject: string;
  message: string;
}

/** Which stack's region: each has its own alert and warning topics. */
export type RegionRole = 'primary' | 'dr';

export class LocalStack {
  readonly rds: RDSClient;
  readonly rdsDr: RDSClient;
  private lambdas: Record<string, LambdaHandler> = {};
  /** The backup's Lambdas as the DR stack deploys them (backupRole 'dr'). */
  private drBackupLambdas: Record<string, LambdaHandler> = {};
  private sdk!: SdkBridge;
  private sdkDr!: SdkBridge;

  /** Every aws-sdk task call the workflows made, in both regions, answered or refused. */
  get workflowSdkCalls(): SdkCall[] {
    return [...this.sdk.calls, ...this.sdkDr.calls];
  }
  verification?: VerificationResources;
  /** Every topic of the templates (ARN → the region and URL of the SQS queue standing in for email/PagerDuty). */
  private inboxes = new Map<string, { region: string; queueUrl: string }>();
  drKeyArn = '';
  readonly dataPlane?: LocalDataPlane;
  /** Faults (held database statuses, refusals) on every RDS client here, the workflows' aws-sdk tasks' included. */
  readonly rdsFaults = new RdsFaultBoard();
  /** Sees every event of every workflow run (test/local/sfn-endpoint.ts builds execution histories from them). */
  onWorkflowEvent?: (executionArn: string, event: EventLog) => void;
  /** Judges every call a Lambda or a state machine makes against the synthesized policies (test/local/iam). */
  iam!: IamSimulator;
  private rawConfig: Record<string, unknown> = {};
  private timeScale?: number;

  private constructor(
    readonly moto: Moto,
    readonly config: RdsDrConfig,
    readonly pg?: Postgres,
    readonly mariadb?: Mariadb,
  ) {
    this.rds = new RDSClient(motoClientConfig(moto, config.primaryRegion));
    this.rdsDr = new RDSClient(motoClientConfig(moto, config.drRegion));
    if (pg || mariadb) this.dataPlane = new LocalDataPlane(pg, mariadb, mariadb ? startMariadb : undefined);
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const moto = await startMoto({ env: options.motoEnv });
    let pg: Postgres | undefined;
    let mariadb: Mariadb | undefined;
    try {
      pg = options.withPostgres ? await startPostgres() : undefined;
      mariadb = options.withMariadb ? await startMariadb() : undefined;
      const raw = options.prepare ? { ...(await options.prepare(moto, { ...options.config })) } : { ...options.config };
      const network = raw.verification ? await LocalStack.provisionVerificationNetwork(moto, String(raw.drRegion), String(raw.appName ?? 'rds-dr')) : undefined;
      if (network) raw.verification = { ...(raw.verification as object), vpcId: network.vpcId, subnetIds: network.subnetIds };
      const stack = new LocalStack(moto, parseConfig(raw, 'local config'), pg, mariadb);
      stack.rawConfig = raw;
      stack.timeScale = options.timeScale;
      if (network) stack.verification = network.resources;
      await stack.provision();
      return stack;
    } catch (err) {
      await pg?.stop();
      await mariadb?.stop();
      await moto.stop();
      throw err;
    }
  }

  /** The DR stack's reports bucket, when no drill network created it already. */
  private async createReportsBucket(): Promise<string> {
    const bucket = localReportsBucketName(this.config.appName, this.config.drRegion);
    await new S3Client({ ...motoClientConfig(this.moto, this.config.drRegion), forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: this.config.drRegion as never } }),
    );
    return bucket;
  }

  /** A DynamoDB table of the synthesized app, created as its template declares it (keys, billing, TTL). */
  private async createTable(name: string, region: string): Promise<void> {
    const declared = this.iam.policies.regionalTables[`${name}@${region}`];
    if (declared?.region !== region) {
      throw new Error(`table ${name} is not a table of the synthesized stack in ${region} (${JSON.stringify(this.iam.policies.tables)})`);
    }
    const { KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification } = declared;
    const db = new DynamoDBClient(motoClientConfig(this.moto, region));
    await db.send(new CreateTableCommand({ TableName: name, KeySchema, AttributeDefinitions, BillingMode }));
    if (TimeToLiveSpecification) await db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification }));
  }

  /** The primary stack's coordination table (copy slots, work claims), and a client for tests to look into it. */
  coordinationTable = '';
  dynamodb!: DynamoDBClient;

  /** The settings CDK would build for this deployment, before each function gets its slice. */
  settings?: FullSettings;

  get reportsBucket(): string {
    return this.settings?.reportsBucket ?? '';
  }

  /** The primary stack's work bucket (run data of the backup and prune workflows). */
  get workBucket(): string {
    return this.settings?.workBucket ?? '';
  }

  /** The DR stack's work bucket (run data of the drills), when the config has drills. */
  drWorkBucket = '';

  /** What the DR stack deploys for drills: (an existing VPC,) a DB subnet group, the restored-DB security group, the reports bucket. */
  private static async provisionVerificationNetwork(moto: Moto, region: string, appName: string) {
    const ec2 = new EC2Client(motoClientConfig(moto, region));
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }))).Vpc?.VpcId ?? '';
    const subnetIds: string[] = [];
    for (const [i, az] of ['a', 'b'].entries()) {
      const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.42.${i}.0/24`, AvailabilityZone: `${region}${az}` }));
      subnetIds.push(subnet.Subnet?.SubnetId ?? '');
    }
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'rds-dr-restored-db', Description: 'throwaway drill instances', VpcId: vpcId }));
    const subnetGroupName = 'rds-dr-verification';
    await new RDSClient(motoClientConfig(moto, region)).send(
      new CreateDBSubnetGroupCommand({ DBSubnetGroupName: subnetGroupName, DBSubnetGroupDescription: 'rds-dr drills', SubnetIds: subnetIds }),
    );
    const reportsBucket = localReportsBucketName(appName, region);
    await new S3Client({ ...motoClientConfig(moto, region), forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: reportsBucket, CreateBucketConfiguration: { LocationConstraint: region as never } }),
    );
    return { vpcId, subnetIds, resources: { subnetGroupName, securityGroupIds: [sg.GroupId ?? ''], reportsBucket } };
  }

  private async provision(): Promise<void> {
    const { primaryRegion, drRegion } = this.config;
    useMotoForSdk(this.moto, primaryRegion);
    // What the DR stack deploys: a customer-managed key with the app's alias.
    const kms = new KMSClient(motoClientConfig(this.moto, drRegion));
    const key = await kms.send(new CreateKeyCommand({ Description: 'rds-dr DR snapshot copies (local)' }));
    this.drKeyArn = key.KeyMetadata?.Arn ?? '';
    await kms.send(new CreateAliasCommand({ AliasName: drKeyAliasName(this.config), TargetKeyId: this.drKeyArn }));
    // The primary stack's work bucket (plans and Distributed Map results of the backup and prune runs).
    const workBucket = localWorkBucketName(this.config.appName, primaryRegion);
    await new S3Client({ ...motoClientConfig(this.moto, primaryRegion), forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: workBucket, ...(primaryRegion === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: primaryRegion as never } }) }),
    );
    // The DR stack's work bucket (plans and Map results of the drills and of the DR region's backup).
    {
      this.drWorkBucket = localWorkBucketName(this.config.appName, drRegion);
      await new S3Client({ ...motoClientConfig(this.moto, drRegion), forcePathStyle: true }).send(
        new CreateBucketCommand({ Bucket: this.drWorkBucket, CreateBucketConfiguration: { LocationConstraint: drRegion as never } }),
      );
    }
    // Lambda environment, as CDK sets it; the key is named by ARN so tests can check it was used.
    const reportsBucket = this.verification?.reportsBucket ?? (await this.createReportsBucket());
    // Where the DR stack publishes the bucket's name for the primary region.
    await new SSMClient(motoClientConfig(this.moto, drRegion)).send(
      new PutParameterCommand({ Name: reportsBucketParameterName(this.config.appName), Value: reportsBucket, Type: 'String' }),
    );
    // The primary stack's coordination table (created below, as the synthesized template declares it).
    const coordinationTable = coordinationTableName(this.config);
    // Locally the restored servers speak plain TCP; in AWS the verifier verifies RDS's certificate.
    const deployed = toRuntimeSettings(this.config, { account: LOCAL_ACCOUNT_ID, region: primaryRegion }, this.verification, reportsBucket, coordinationTable);
    // moto does not throttle: the prune's and the backup's RDS request budgets are raised LOCAL_RDS_BUDGET_SCALE-fold, so
    // its paced deletions take milliseconds, as Wait states are shortened, not skipped.
    const pruning = { ...deployed.pruning, rdsRequestsPerSecond: deployed.pruning.rdsRequestsPerSecond * LOCAL_RDS_BUDGET_SCALE };
    const backupRdsWritesPerSecond = (deployed.backupRdsWritesPerSecond ?? 4) * LOCAL_RDS_BUDGET_SCALE;
    const settings = { ...deployed, pruning, backupRdsWritesPerSecond, drKmsKeyId: this.drKeyArn, verifierSslMode: 'disable' as const, workBucket };
    this.settings = settings;
    this.iam = await startIamSimulation({
      rawConfig: this.rawConfig,
      local: {
        account: LOCAL_ACCOUNT_ID,
        appName: this.config.appName,
        primaryRegion,
        drKeyArn: this.drKeyArn,
        drKeyAlias: drKeyAliasName(this.config),
        restoredDbSecurityGroupId: this.verification?.securityGroupIds[0],
      },
      clientConfig: (region) => motoClientConfig(this.moto, region),
    });
    // The local bucket is the one the DR stack's template creates (its name resolved for the local stack id).
    if (!(reportsBucket in this.iam.policies.bucketKeys)) {
      throw new Error(`local reports bucket ${reportsBucket} is not a bucket of the synthesized DR stack (${Object.keys(this.iam.policies.bucketKeys).join(', ')})`);
    }
    await this.createTopics();
    // A function gets its own region's topics (toRuntimeSettings with its stack's region), as deployed.
    const topicsIn = (region: string) => {
      const { alertTopicArn, warningTopicArn } = toRuntimeSettings(this.config, { account: LOCAL_ACCOUNT_ID, region });
      for (const arn of [alertTopicArn, warningTopicArn]) {
        // The Lambdas build nothing from names: each topic their settings name must be one the templates declare.
        if (!this.inboxes.has(arn)) throw new Error(`settings name topic ${arn}; the synthesized stacks declare ${[...this.inboxes.keys()].join(', ')}`);
      }
      return { alertTopicArn, warningTopicArn };
    };
    await this.createTable(coordinationTable, primaryRegion);
    // The DR stack's own, for the DR region's backup (copies back to the primary region).
    await this.createTable(coordinationTable, drRegion);
    this.coordinationTable = coordinationTable;
    this.dynamodb = new DynamoDBClient(motoClientConfig(this.moto, primaryRegion));
    evaluateHandlerClients();
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    process.env.AWS_S3_FORCE_PATH_STYLE = 'true';
    // Every Lambda the registry lists, loaded from the same handler file CDK bundles.
    // Each invocation runs as its Lambda: in the deployment whose workflow runs it, else where it is deployed.
    // Each handler is loaded with only the settings sections CDK gives it (handlers read them once, when loaded).
    // Functions deployed only outside the DR stack find the reports bucket by its SSM parameter, as deployed
    // (one handler serves both regions here, so a function the DR stack deploys too keeps the bucket's name).
    const inDrStack = (name: LambdaName) => Object.keys(this.iam.policies.principals).some((id) => id.startsWith(`lambda:${name}@${drRegion}`));
    // Only the backup functions are given the coordination table's name (lib/backup/backup-functions.ts).
    const coordinated = (name: LambdaName) => (WORKFLOWS.backup.lambdas as readonly string[]).includes(name);
    // A function both stacks deploy is loaded once per region (a module per region, as each region has
    // its own deployment): its settings name that region's topics.
    const regionsOf = (name: LambdaName) =>
      [primaryRegion, drRegion].filter((r) => Object.keys(this.iam.policies.principals).some((id) => id === `lambda:${name}@${r}` || id.startsWith(`lambda:${name}@${r}/`)));
    // The prune is in both stacks (lib/prune/prune-workflow.ts): each deployment its role, its stack's work bucket and its way to the reports bucket.
    const pruneDeployment = (name: LambdaName, region: string) =>
      !(WORKFLOWS.prune.lambdas as readonly string[]).includes(name)
        ? {}
        : region === drRegion
          ? { pruneRole: 'dr' as const, workBucket: this.drWorkBucket, reportsBucket, reportsBucketParameter: undefined }
          : { pruneRole: 'primary' as const, workBucket, reportsBucket: undefined, reportsBucketParameter: reportsBucketParameterName(this.config.appName) };
    for (const [name, entry] of Object.entries(LAMBDAS) as [LambdaName, string][]) {
      // The backup's functions are in both stacks, each deployment with its own settings (loaded twice, below).
      const drOnly = inDrStack(name) && !coordinated(name);
      const reports = drOnly ? {} : { reportsBucket: undefined, reportsBucketParameter: reportsBucketParameterName(this.config.appName) };
      const coordination = { coordinationTable: coordinated(name) ? coordinationTable : undefined, ...(coordinated(name) && { backupRole: 'primary' as const }) };
      // A function of the DR stack is given the DR stack's work bucket (lib/drill), the others the primary's.
      const work = { workBucket: drOnly ? this.drWorkBucket || undefined : workBucket };
      // The backup's DR deployment is loaded on its own below, with its role's settings.
      const deployedIn = coordinated(name) ? [primaryRegion] : regionsOf(name);
      const handlers: Record<string, LambdaHandler> = {};
      for (const [i, region] of (deployedIn.length > 0 ? deployedIn : [primaryRegion]).entries()) {
        // The RPO monitor's deployment in each stack has its role (lib/observability/rpo-monitoring.ts).
        // The primary's finds the reports bucket by its parameter, as deployed (the DR stack's reads no reports).
        const monitor = name === 'rpo-monitor' ? { monitorRole: region === drRegion ? ('dr' as const) : ('primary' as const), ...(region === primaryRegion && { reportsBucket: undefined, reportsBucketParameter: reportsBucketParameterName(this.config.appName) }) } : {};
        process.env[SETTINGS_ENV] = JSON.stringify(sliceSettings({ ...settings, ...topicsIn(region), ...reports, ...coordination, ...work, ...monitor, ...pruneDeployment(name, region) }, LAMBDA_SETTINGS[name]));
        // A query makes a separate module instance (handlers read their settings once, when loaded); its imports are shared.
        handlers[region] = (await import(`${resolve(REPO_ROOT, entry)}${i === 0 ? '' : `?region=${region}`}`)).handler as LambdaHandler;
      }
      this.lambdas[name] = (event) => {
        const deployment = currentDeployment();
        const region = deployment?.region ?? this.iam.homeRegionOf(name) ?? primaryRegion;
        const handler = handlers[region] ?? Object.values(handlers)[0];
        return runAs({ kind: 'lambda', name, region, workflow: deployment?.workflow }, () => handler(event));
      };
      if (!coordinated(name)) continue;
      // The DR stack's deployment of the backup (lib/backup/backup-workflow.ts, role 'dr'): a second
      // instance of the same module (a query makes it a new module), read with the DR stack's settings.
      process.env[SETTINGS_ENV] = JSON.stringify(sliceSettings({ ...settings, ...topicsIn(drRegion), ...reports, coordinationTable, backupRole: 'dr', workBucket: this.drWorkBucket }, LAMBDA_SETTINGS[name]));
      const drHandler = (await import(`${resolve(REPO_ROOT, entry)}?deployment=dr`)).handler as LambdaHandler;
      this.drBackupLambdas[name] = (event) => runAs({ kind: 'lambda', name, region: drRegion, workflow: 'backup' }, () => drHandler(event));
    }
    const installFaults = (client: RDSClient) => this.rdsFaults.install([client]);
    this.sdk = new SdkBridge(primaryRegion, installFaults);
    this.sdkDr = new SdkBridge(drRegion, installFaults);
    if (this.dataPlane) {
      this.sdk.onCall(this.dataPlane.onSdkCall);
      this.sdkDr.onCall(this.dataPlane.onSdkCall);
      // Every Lambda reads RDS through one client per region and reach (restores happen in either region;
      // the incident workflows read the region that may be impaired, e.g. the failback's new primary, through the impaired one).
      for (const region of [primaryRegion, drRegion]) for (const impaired of [false, true]) this.dataPlane.exposeRestoredEndpoints(awsClients.rds(region, impaired));
      // Tests set up (and game days tear down) replicas with the local AWS's own clients.
      for (const client of [this.rds, this.rdsDr]) this.dataPlane.followReplicaCalls(client);
    }
    this.recordLambdaRdsCalls([primaryRegion, drRegion].flatMap((r) => [awsClients.rds(r), awsClients.rds(r, true)]));
    const rdsClients = [this.rds, this.rdsDr, ...[primaryRegion, drRegion].flatMap((r) => [awsClients.rds(r), awsClients.rds(r, true)])];
    followPromotions(rdsClients);
    enforceRdsContracts(rdsClients);
    placeCrossRegionReplicas(rdsClients);
    this.rdsFaults.install(rdsClients);
    enforceSnsContracts([primaryRegion, drRegion].flatMap((r) => [awsClients.sns(r), awsClients.sns(r, true)]) as never);
  }

  /**
   * Runs one workflow's ASL through the local runner in `region`, with its `${Name}FunctionArn`
   * placeholders bound to the local handlers; a failed run goes through the alerting path like in AWS.
   */
  private runAslWorkflow(workflow: WorkflowName, region: string, input: unknown, executionName?: string): Promise<WorkflowRun> {
    return inDeployment(region, workflow, () => this.runInDeployment(workflow, region, input, executionName));
  }

  private async runInDeployment(workflow: WorkflowName, region: string, input: unknown, executionName?: string): Promise<WorkflowRun> {
    const entry = WORKFLOWS[workflow];
    const stateMachine = { kind: 'state-machine' as const, workflow, region };
    // Step Functions invokes each Lambda task with the state machine's role.
    const deployed = workflow === 'backup' && region === this.config.drRegion ? { ...this.lambdas, ...this.drBackupLambdas } : this.lambdas;
    const lambdas = Object.fromEntries(
      Object.keys(deployed).map((name) => [
        name,
        async (event: never) => {
          await this.iam.authorizeInvoke(stateMachine, `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`);
          return deployed[name](event);
        },
      ]),
    );
    const run = await runWorkflow({
      aslPath: resolve(REPO_ROOT, entry.asl),
      stateMachineName: stateMachineName(this.config.appName, workflow),
      region,
      accountId: LOCAL_ACCOUNT_ID,
      substitutions: { Region: region, ...Object.fromEntries(entry.lambdas.map((f) => [functionArnPlaceholder(f), `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${f}`])) },
      lambdas,
      sdk: region === this.config.drRegion ? this.sdkDr : this.sdk,
      sdkCaller: stateMachine,
      input,
      executionName,
      timeScale: this.timeScale,
      onLambda: this.dataPlane?.onLambda,
      onEvent: (arn, event) => this.onWorkflowEvent?.(arn, event),
    });
    if (ALERTING_EXECUTION_STATUSES.includes(run.status)) {
      // What the EventBridge rule does: hand the status-change event to the notifier Lambda.
      await this.lambdas['failure-notifier'](executionStatusChangeEvent(run, region, LOCAL_ACCOUNT_ID) as never);
    }
    return run;
  }

  /** Runs the backup workflow once, as deployed in the primary region, or in the DR region (failed-over databases). */
  runBackup(input: unknown, executionName?: string, region = this.config.primaryRegion): Promise<WorkflowRun> {
    return this.runAslWorkflow('backup', region, input, executionName);
  }

  /** Runs the restore-drill workflow once, in the DR region (as deployed). */
  runDrill(input: unknown, executionName?: string): Promise<WorkflowRun> {
    return this.runAslWorkflow('drill', this.config.drRegion, input, executionName);
  }

  /** Runs the prune workflow once, as deployed in the primary region, or in the DR region (the DR backup's own snapshots). */
  runPrune(input: unknown, executionName?: string, region = this.config.primaryRegion): Promise<WorkflowRun> {
    return this.runAslWorkflow('prune', region, input, executionName);
  }

  /** Runs the failover workflow once, in the DR region (as deployed: the primary region may be down). */
  runFailover(input: unknown, executionName?: string): Promise<WorkflowRun> {
    return this.runAslWorkflow('failover', this.config.drRegion, input, executionName);
  }

  /** Runs the failback workflow once, in the DR region (as deployed, next to the failover). */
  runFailback(input: unknown, executionName?: string): Promise<WorkflowRun> {
    return this.runAslWorkflow('failback', this.config.drRegion, input, executionName);
  }

  /** Runs the point-in-time / snapshot restore workflow as deployed in `region` (primary by default). */
  runRestore(input: unknown, region = this.config.primaryRegion, executionName?: string): Promise<WorkflowRun> {
    return this.runAslWorkflow('restore', region, input, executionName);
  }

  /** The verification reports a drill execution wrote to the reports bucket. */
  async drillReports(executionArn: string): Promise<{ key: string; report: Record<string, unknown> }[]> {
    const s3 = new S3Client({ ...motoClientConfig(this.moto, this.config.drRegion), forcePathStyle: true });
    const bucket = this.verification?.reportsBucket ?? '';
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/verification/' }));
    const reports = await Promise.all(
      (listed.Contents ?? []).map(async (o) => ({
        key: o.Key ?? '',
        report: JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }))).Body!.transformToString()) as Record<string, unknown>,
      })),
    );
    return reports.filter((r) => r.report.executionArn === executionArn);
  }

  /** Invokes the scheduled RPO monitor once, as deployed in the primary (default) or the DR stack; returns what it published. */
  async runRpoMonitor(where: RegionRole = 'primary'): Promise<MonitorRun> {
    return (await inDeployment(this.regionOf(where), undefined, () => this.lambdas['rpo-monitor']({ id: 'local' } as never))) as never;
  }

  /** The CloudWatch alarms of the synthesized stacks, evaluated on the local metrics (test/local/alarms.ts). */
  private localAlarms?: LocalAlarms;

  /**
   * One evaluation period of every alarm of the primary (default) or DR stack, on that region's metrics;
   * a change to ALARM publishes to the alarm's topics (read them with receiveAlerts / receiveWarnings).
   */
  evaluateAlarms(where: RegionRole = 'primary'): Promise<AlarmNotification[]> {
    const { alarms, account, resourcePolicies, topicKeys } = this.iam.policies;
    this.localAlarms ??= new LocalAlarms({ alarms, account, resourcePolicies, topicKeys, clientConfig: (region) => motoClientConfig(this.moto, region), isDown: (region) => regionOutages.isDown(region) });
    return this.localAlarms.evaluate(this.regionOf(where));
  }

  /** Invokes the hourly sweeper once. */
  async runSweeper(): Promise<{ deleted: string[]; failed: { id: string; error: string }[] }> {
    return (await this.lambdas['sweep-drill-leftovers']({ id: 'local' } as never)) as never;
  }

  /** Every SNS topic the synthesized stacks declare, created in its region, each with an SQS queue subscribed (the SNS envelope kept). */
  private async createTopics(): Promise<void> {
    for (const [arn, { region, name }] of Object.entries(this.iam.policies.topics)) {
      const sns = new SNSClient(motoClientConfig(this.moto, region));
      const sqs = new SQSClient(motoClientConfig(this.moto, region));
      const made = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn;
      if (made !== arn) throw new Error(`moto made topic ${made}; the template declares ${arn}`);
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox` }))).QueueUrl ?? '';
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
      await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'false' } }));
      this.inboxes.set(arn, { region, queueUrl });
    }
  }

  private regionOf(where: RegionRole): string {
    return where === 'dr' ? this.config.drRegion : this.config.primaryRegion;
  }

  /** The `<app>-alerts` topic (email + PagerDuty when deployed) of the primary stack, or of the DR stack. */
  alertTopicArnOf(where: RegionRole): string {
    return `arn:aws:sns:${this.regionOf(where)}:${LOCAL_ACCOUNT_ID}:${alertTopicName(this.config)}`;
  }

  /** The `<app>-warnings` topic (email only when deployed) of the primary stack, or of the DR stack. */
  warningTopicArnOf(where: RegionRole): string {
    return `arn:aws:sns:${this.regionOf(where)}:${LOCAL_ACCOUNT_ID}:${warningTopicName(this.config)}`;
  }

  /** The primary stack's alert topic. */
  get alertTopicArn(): string {
    return this.alertTopicArnOf('primary');
  }

  /** The primary stack's warning topic. */
  get warningTopicArn(): string {
    return this.warningTopicArnOf('primary');
  }

  /** Alerts delivered to the SQS queue subscribed to the alert topic of the primary (default) or DR stack (drains them). */
  async receiveAlerts(where: RegionRole = 'primary'): Promise<Alert[]> {
    return this.drainInbox(this.alertTopicArnOf(where));
  }

  /** Warnings delivered to the SQS queue subscribed to the `<app>-warnings` topic of the primary (default) or DR stack (drains them). */
  async receiveWarnings(where: RegionRole = 'primary'): Promise<Alert[]> {
    return this.drainInbox(this.warningTopicArnOf(where));
  }

  private async drainInbox(topicArn: string): Promise<Alert[]> {
    const inbox = this.inboxes.get(topicArn);
    if (!inbox) throw new Error(`no topic ${topicArn} in the synthesized stacks (${[...this.inboxes.keys()].join(', ')})`);
    const { region, queueUrl } = inbox;
    const sqs = new SQSClient(motoClientConfig(this.moto, region));
    const alerts: Alert[] = [];
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!out.Messages?.length) return alerts;
      for (const m of out.Messages) {
        const envelope = JSON.parse(m.Body ?? '{}') as { Subject?: string; Message?: string };
        alerts.push({ subject: envelope.Subject ?? '', message: envelope.Message ?? '' });
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
  }

  /**
   * A Lambda's handler as the local AWS runs it: its calls are judged by its role's policies. `where`:
   * the deployment of that stack (a function both stacks deploy; default: the primary's, if it has one).
   */
  handler(name: keyof typeof LAMBDAS, where?: RegionRole): LambdaHandler {
    return (event) => (where ? inDeployment(this.regionOf(where), undefined, () => this.lambdas[name](event)) : this.lambdas[name](event));
  }

  /** Wraps one Lambda handler (e.g. to change the world between two states); returns the undo. */
  wrapLambda(name: string, wrap: (original: LambdaHandler) => LambdaHandler): () => void {
    const original = this.lambdas[name];
    if (!original) throw new Error(`no local Lambda ${name}`);
    this.lambdas[name] = wrap(original);
    return () => {
      this.lambdas[name] = original;
    };
  }

  /**
   * Runs `sql` on the database behind RDS resource `id` (a read replica's: its source's, read-only) and
   * returns the rows: PostgreSQL (needs `withPostgres`) or, for MySQL-family resources, MariaDB (`withMariadb`).
   */
  sql(kind: 'instance' | 'cluster', id: string, sql: string): Promise<Record<string, unknown>[]> {
    if (!this.dataPlane) throw new Error('no data plane: start the local AWS withPostgres (or withMariadb)');
    return this.dataPlane.sql(kind, id, sql);
  }

  get sdkCalls() {
    return this.sdk.calls;
  }

  /**
   * Runs one aws-sdk Task as a workflow in `role`'s Region would (through that Region's bridge, so the
   * data plane follows it), with no state machine around it: for tests of the local AWS itself.
   */
  sdkTask(role: RegionRole, service: string, action: string, input: Record<string, unknown>): Promise<unknown> {
    return (role === 'dr' ? this.sdkDr : this.sdk).invoke(service, action, input);
  }

  /** Every RDS request the Lambdas made (their clients in both regions), in order, with the error if it failed. */
  readonly lambdaRdsCalls: { region: string; command: string; input: Record<string, unknown>; at: number; error?: string }[] = [];

  private recordLambdaRdsCalls(clients: RDSClient[]): void {
    for (const client of clients) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          // The harness's own lookups (fidelity checks, test setup) run as nobody: not the Lambdas' calls.
          if (!currentCaller()) return next(args);
          const call = { region: await client.config.region(), command: context.commandName ?? '', input: args.input as Record<string, unknown>, at: Date.now() } as LocalStack['lambdaRdsCalls'][number];
          try {
            const result = await next(args);
            await this.dataPlane?.onLambdaRdsCall(call.command, call.input, result.output);
            await this.dataPlane?.followLambdaDelete(call.command, call.input);
            return result;
          } catch (err) {
            call.error = (err as Error).name;
            await this.dataPlane?.followLambdaDelete(call.command, call.input, call.error);
            throw err;
          } finally {
            this.lambdaRdsCalls.push(call);
          }
        },
        // Outermost: one record per request the handler made, whatever the fault board or the contracts answered.
        { step: 'initialize', priority: 'high', name: `record-lambda-rds-calls-${Math.random()}` },
      );
    }
  }

  /** The full report a backup run kept in the work bucket (its verdict names the key). */
  async backupReport(run: WorkflowRun, reportKey?: string): Promise<{ succeeded: { db: string }[]; failed: { db: string; error: string; cause: string }[]; skipped: { db: string }[]; warnings: string[] }> {
    const dr = run.executionArn.split(':')[3] === this.config.drRegion;
    const s3 = new S3Client({ ...motoClientConfig(this.moto, dr ? this.config.drRegion : this.config.primaryRegion), forcePathStyle: true });
    // A failed run has no output: its key is in the failure's message (and the alert).
    const key = reportKey ?? (run.output as { reportKey: string }).reportKey;
    return JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: dr ? this.drWorkBucket : this.settings?.workBucket, Key: key }))).Body!.transformToString());
  }

  get sdkCallsDr() {
    return this.sdkDr.calls;
  }

  /**
   * Makes `region` unreachable at the network level for every client of this local AWS (the Lambdas',
   * the workflows' aws-sdk tasks', the CLI's, the alerting's) until the outage ends: see region-outage.ts.
   */
  regionOutage(region: string, kind: OutageKind = 'refused'): Promise<RegionOutage> {
    return regionOutages.fail(region, kind);
  }

  async stop(): Promise<void> {
    await regionOutages.endAll();
    this.iam?.deactivate();
    await this.dataPlane?.dispose();
    await this.pg?.stop();
    await this.mariadb?.stop();
    await this.moto.stop();
  }
}

/**
 * Every client a handler (or the CLI) gets from awsClients (lambdas/aws/clients.ts, the only place
 * that makes one) carries the IAM simulation middleware and the region outages (region-outage.ts),
 * whatever service or region it is for.
 */
let handlerClientsEvaluated = false;
function evaluateHandlerClients(): void {
  if (handlerClientsEvaluated) return;
  handlerClientsEvaluated = true;
  const clients = awsClients as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [service, make] of Object.entries(clients)) {
    clients[service] = (...args: unknown[]) => {
      const client = make(...args);
      IamSimulator.install(client);
      regionOutages.install(client);
      return client;
    };
  }
}
