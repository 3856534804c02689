import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { VerificationResources } from '../platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { createRdsDrFunction, type VpcPlacement } from '../platform/rds-dr-function.js';

export interface VerifyFunctionsProps {
  readonly config: RdsDrConfig;
  readonly verification: VerificationResources;
  /** The verifier runs here: the only client the throwaway instances admit. */
  readonly verifierPlacement: VpcPlacement;
  /** The DR work bucket: plan-drill writes the run's items, drill-summary reads the Map's results. */
  readonly workBucket: string;
}

/** The five Lambdas the verify state machine calls (see state-machines/drill.asl.json). */
export class VerifyFunctions extends Construct {
  readonly planVerification: NodejsFunction;
  readonly restoreStatus: NodejsFunction;
  readonly verifyRestoredDatabase: NodejsFunction;
  readonly verificationReport: NodejsFunction;
  readonly verificationSummary: NodejsFunction;

  constructor(scope: Construct, id: string, props: VerifyFunctionsProps) {
    super(scope, id);
    const { config, verification } = props;

    this.planVerification = createRdsDrFunction(this, 'PlanVerification', {
      name: 'plan-drill',
      config,
      verification,
      description: 'rds-dr: validates a restore-drill request, picks the databases of the run and the snapshot to restore per database',
      // Paginates every manual snapshot of the DR region.
      timeout: Duration.seconds(120),
      workBucket: props.workBucket,
    });
    this.restoreStatus = createRdsDrFunction(this, 'RestoreStatus', {
      name: 'throwaway-status',
      config,
      verification,
      description: 'rds-dr: reports whether a throwaway restore (and its managed password) is ready, and the next poll interval',
    });
    this.verifyRestoredDatabase = createRdsDrFunction(this, 'VerifyRestoredDatabase', {
      name: 'verify-restored-database',
      config,
      verification,
      description: 'rds-dr: connects to a throwaway restore over TLS and runs the configured SQL checks',
      // Matches the RunChecks task timeout: row counts on large tables take a while.
      timeout: Duration.minutes(15),
      memorySize: 512,
      vpc: props.verifierPlacement,
      environment: {
        // The Lambda runtime ships the RDS CA bundle here; Node trusts it only when told to.
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      },
    });
    this.verificationReport = createRdsDrFunction(this, 'VerificationReport', {
      name: 'drill-report',
      config,
      verification,
      description: 'rds-dr: writes the restore-drill report to S3 and the VerificationPassed / RestoreSeconds metrics',
    });
    this.verificationSummary = createRdsDrFunction(this, 'VerificationSummary', {
      name: 'drill-summary',
      config,
      verification,
      description: 'rds-dr: reads every drill outcome of a run, records the rotation, summarises and decides whether it failed',
      workBucket: props.workBucket,
    });
  }

  get all(): NodejsFunction[] {
    return [
      this.planVerification,
      this.restoreStatus,
      this.verifyRestoredDatabase,
      this.verificationReport,
      this.verificationSummary,
    ];
  }
}
