// The local AWS for measuring the RPO monitor and `rds-dr status` at scale: moto with a fleet of N
// databases (test/local/fleet-at-scale.ts), the reports bucket found through its SSM parameter, RDS
// pages as RDS cuts them, and a meter on the clients the monitor uses. Lighter than LocalStack (no
// workflows, no IAM simulation): only what these readers touch.
import { RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { awsClients } from '../../lambdas/aws/clients.js';
import type { SettingsWith } from '../../lambdas/core/settings.js';
import { parseConfig, type RdsDrConfig } from '../../lib/platform/config/schema.js';
import { toRuntimeSettings } from '../../lib/platform/config/runtime-settings.js';
import { reportsBucketParameterName } from '../../lib/platform/reports-bucket.js';
import { DR, localConfig, PRIMARY } from '../state-machines/fixtures.js';
import { createScaleFleet, drilledDatabases, scaleFleet, scaleSnapshotLimit, writeDrillReports, type ScaleDatabase } from './fleet-at-scale.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig, startMoto, useMotoForSdk, type Moto } from './moto.js';
import { pageLikeRds, SdkCallMeter } from './rds-pages.js';

const GOLD = { 'rds-dr:policy': 'gold' };
export const REPORTS_BUCKET = 'rds-dr-reports-us-west-2-5ca1e000';
const REPORTS_PARAMETER = reportsBucketParameterName('rds-dr');

const drillConfig = (fleet: ScaleDatabase[]) =>
  parseConfig(
    localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: { gold: { selection: { tags: GOLD }, verify: { databases: drilledDatabases(fleet) } } },
    }),
    'scale config',
  );

export class ScaleStack {
  fleet: ScaleDatabase[] = [];
  /** What `rds-dr status` reads (set by grow). */
  config!: RdsDrConfig;
  /** What the deployed rpo-monitor is given: the reports bucket through its SSM parameter (set by grow). */
  settings!: SettingsWith<'policies' | 'verification'>;
  /** Calls of the monitor's clients: under the region for RDS, "s3" for the reports bucket, "cloudwatch" for metrics. */
  readonly meter = new SdkCallMeter();
  private readonly rds: { primary: RDSClient; dr: RDSClient };
  private readonly s3: S3Client;

  private constructor(
    readonly moto: Moto,
    private readonly now: Date,
  ) {
    this.rds = { primary: new RDSClient(motoClientConfig(moto, PRIMARY)), dr: new RDSClient(motoClientConfig(moto, DR)) };
    this.s3 = new S3Client({ ...motoClientConfig(moto, DR), forcePathStyle: true });
  }

  /**
   * moto with `count` databases (snapshots at `now`), their drill reports and the reports bucket's
   * parameter; room for `capacity` databases, for a bench that grows the fleet in the same moto (the
   * SDK clients the code under test keeps point at one endpoint per process).
   */
  static async start(count: number, now: Date, capacity = count): Promise<ScaleStack> {
    const moto = await startMoto({ env: { MOTO_RDS_SNAPSHOT_LIMIT: scaleSnapshotLimit(capacity) } });
    try {
      useMotoForSdk(moto, PRIMARY);
      process.env.AWS_S3_FORCE_PATH_STYLE = 'true';
      const stack = new ScaleStack(moto, now);
      await stack.s3.send(new CreateBucketCommand({ Bucket: REPORTS_BUCKET, CreateBucketConfiguration: { LocationConstraint: DR } }));
      await new SSMClient(motoClientConfig(moto, DR)).send(new PutParameterCommand({ Name: REPORTS_PARAMETER, Value: REPORTS_BUCKET, Type: 'String' }));
      // The monitor's clients and the CLI's (`rds-dr status` uses the interactive ones).
      for (const reach of ['healthy', 'interactive'] as const) {
        for (const region of [PRIMARY, DR]) {
          pageLikeRds([awsClients.rds(region, reach)]);
          stack.meter.watch(awsClients.rds(region, reach), region);
        }
        stack.meter.watch(awsClients.s3(DR, reach), 's3');
      }
      stack.meter.watch(awsClients.cloudwatch(PRIMARY), 'cloudwatch');
      await stack.grow(count);
      return stack;
    } catch (err) {
      await moto.stop();
      throw err;
    }
  }

  /** Adds databases (with their snapshots, copies and drill reports) up to `count` in all. */
  async grow(count: number): Promise<void> {
    const fleet = scaleFleet(count);
    const added = fleet.slice(this.fleet.length);
    await createScaleFleet(this.rds, added, GOLD, this.now);
    await writeDrillReports(this.s3, REPORTS_BUCKET, added, this.now);
    this.fleet = fleet;
    this.config = drillConfig(fleet);
    this.settings = this.settingsFor(this.config);
  }

  private settingsFor(config: RdsDrConfig): SettingsWith<'policies' | 'verification'> {
    return toRuntimeSettings(config, { account: LOCAL_ACCOUNT_ID, region: config.primaryRegion }, { subnetGroupName: 'unused', securityGroupIds: [], reportsBucket: REPORTS_BUCKET }, { parameter: REPORTS_PARAMETER });
  }

  stop(): Promise<void> {
    return this.moto.stop();
  }
}
