import { Annotations, Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { FailoverPermissions } from './failover-permissions.js';
import { incidentFunctionFactory, incidentStepFunctions } from '../platform/incident-functions.js';
import { repoPath } from '../platform/paths.js';
import { WORKFLOWS } from '../platform/registry.js';
import { createWorkflowStateMachine } from '../platform/workflow-state-machine.js';
import type { ReportsBucket } from '../platform/reports-bucket.js';
import { hasFailover } from '../platform/config/features.js';

/** The workflow file deployed as-is; the local test runner executes the same file. */
export const FAILOVER_ASL_PATH = repoPath(WORKFLOWS.failover.asl);


export interface FailoverWorkflowProps {
  readonly config: RdsDrConfig;
  /** The DR stack's reports bucket: timelines go under incidents/failover/. */
  readonly reports: ReportsBucket;
}

/**
 * The failover workflow `<app>-failover` in the DR region (the primary region's Step Functions may
 * be down when it is needed): its seven Lambdas, least-privilege IAM (the DR stack's one DrAlerting pages on its failures).
 */
export class FailoverWorkflow extends Construct {
  readonly planFailover: NodejsFunction;
  readonly failoverChecks: NodejsFunction;
  readonly promoteStandby: NodejsFunction;
  readonly standbyStatus: NodejsFunction;
  readonly recordActiveRegion: NodejsFunction;
  readonly cutoverEndpoint: NodejsFunction;
  readonly incidentReport: NodejsFunction;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: FailoverWorkflowProps) {
    super(scope, id);
    const { config, reports } = props;
    if (!hasFailover(config)) throw new Error('FailoverWorkflow needs a database with incident.databases.<db>.standby');
    const fn = incidentFunctionFactory(this, config, reports);

    // Calls into the primary region give up within ~30 s (3 attempts, short timeouts); the timeouts leave room for that.
    this.planFailover = fn('PlanFailover', 'plan-failover', 'validates a failover request, checks the database is protected, resolves its standby', Duration.seconds(120));
    this.failoverChecks = fn('FailoverChecks', 'failover-checks', 'failover pre-checks (standby available, replica lag, primary state) and the decision');
    this.promoteStandby = fn('PromoteStandby', 'promote-standby', 'promotes the standby (read replica promotion / Aurora global switchover or forced failover); idempotent');
    this.standbyStatus = fn('StandbyStatus', 'standby-status', 'reports whether the promoted standby is available and writable');
    this.recordActiveRegion = fn('RecordActiveRegion', 'record-active-region', 'tags the promoted database and records the database as active in the DR region (SSM), so backups and the RPO monitor follow it', Duration.seconds(60));
    const steps = incidentStepFunctions(fn, 'failover', 'the new writer');
    this.cutoverEndpoint = steps.cutoverEndpoint;
    this.incidentReport = steps.incidentReport;

    this.stateMachine = createWorkflowStateMachine(new Construct(this, 'StateMachine'), {
      appName: config.appName,
      workflow: 'failover',
      functionArns: {
        'plan-failover': this.planFailover.functionArn,
        'failover-checks': this.failoverChecks.functionArn,
        'promote-standby': this.promoteStandby.functionArn,
        'standby-status': this.standbyStatus.functionArn,
        'record-active-region': this.recordActiveRegion.functionArn,
        'cutover-endpoint': this.cutoverEndpoint.functionArn,
        'incident-report': this.incidentReport.functionArn,
      },
    });
    new FailoverPermissions(this, 'Permissions', { config, workflow: this, reports });
    warnOfCutoversThatNeedUsEast1(this, config);
  }

  get functions(): NodejsFunction[] {
    return [this.planFailover, this.failoverChecks, this.promoteStandby, this.standbyStatus, this.recordActiveRegion, this.cutoverEndpoint, this.incidentReport];
  }
}

/**
 * Route 53 changes records through its control plane in us-east-1. With us-east-1 as the primary
 * region, the outage a failover answers may take that control plane with it: a cutover that can only
 * change a Route 53 record (private zone, or public without accelerated recovery) would promote the
 * standby and then fail to repoint anyone. Warned at synth, not refused: the team may accept it.
 */
function warnOfCutoversThatNeedUsEast1(scope: Construct, config: RdsDrConfig): void {
  if (config.primaryRegion !== 'us-east-1') return;
  for (const [db, spec] of Object.entries(config.incident?.databases ?? {})) {
    const route53 = spec.endpoint?.route53;
    if (!route53 || spec.endpoint?.ssmParameter || (route53.zone === 'public' && route53.acceleratedRecovery)) continue;
    Annotations.of(scope).addWarningV2(
      `rds-dr:cutoverNeedsUsEast1:${db}`,
      `incident.databases.${db}.endpoint: the failover can only repoint a Route 53 record in a ${route53.zone} zone${route53.zone === 'public' ? ' without accelerated recovery' : ''}, ` +
        'and Route 53 changes records through us-east-1, the primary region: in its outage the standby is promoted but applications are not repointed. ' +
        'Add endpoint.ssmParameter (written in the DR region first), or use a public zone with acceleratedRecovery: true.',
    );
  }
}
