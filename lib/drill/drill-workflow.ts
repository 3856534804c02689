import { Construct } from 'constructs';
import type { VerificationResources } from '../platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { VerifyPermissions } from './drill-permissions.js';
import type { ReportsBucket } from '../platform/reports-bucket.js';
import { VerificationNetwork } from './drill-network.js';
import { VerificationSweeper } from './sweeper.js';
import { VerifyFunctions } from './drill-functions.js';
import { VerifyWorkflow } from './drill-state-machine.js';
import { hasRestoreDrills } from '../platform/config/features.js';
import type { WorkBucket } from '../platform/work-bucket.js';


export interface RestoreDrillsProps {
  readonly config: RdsDrConfig;
  /** The key that encrypts the DR copies the drills restore. */
  readonly drKeyArn: string;
  /** The DR stack's reports bucket (shared with the prune audits). */
  readonly reports: ReportsBucket;
  /** The DR stack's work bucket: each run's plan (the Distributed Map's items) and the Map's results. */
  readonly work: WorkBucket;
}

/** Scheduled restore drills in the DR region: network, reports, Lambdas, workflow, sweeper, alerts, IAM. */
export class RestoreDrills extends Construct {
  readonly network: VerificationNetwork;
  readonly reports: ReportsBucket;
  readonly functions: VerifyFunctions;
  readonly workflow: VerifyWorkflow;
  readonly sweeper: VerificationSweeper;

  constructor(scope: Construct, id: string, props: RestoreDrillsProps) {
    super(scope, id);
    const { config } = props;
    if (!hasRestoreDrills(config)) throw new Error('RestoreDrills needs config.verification and a policy with verify');

    this.network = new VerificationNetwork(this, 'Network', { appName: config.appName, network: config.verification! });
    this.reports = props.reports;
    const verification: VerificationResources = {
      subnetGroupName: this.network.subnetGroupName,
      securityGroupIds: [this.network.restoredDbSecurityGroup.securityGroupId],
      reportsBucket: this.reports.bucket.bucketName,
    };

    this.functions = new VerifyFunctions(this, 'Functions', {
      config,
      verification,
      verifierPlacement: this.network.verifierPlacement,
      workBucket: props.work.bucket.bucketName,
    });
    this.workflow = new VerifyWorkflow(this, 'Workflow', { config, functions: this.functions });
    this.sweeper = new VerificationSweeper(this, 'Sweeper', { config, verification });

    new VerifyPermissions(this, 'Permissions', {
      config,
      stateMachine: this.workflow.stateMachine,
      functions: this.functions,
      sweeper: this.sweeper.function,
      subnetGroupName: this.network.subnetGroupArnName,
      reports: this.reports,
      work: props.work,
      drKeyArn: props.drKeyArn,
    });
  }
}
