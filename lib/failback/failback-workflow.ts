import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { hasFailback } from '../platform/config/features.js';
import { incidentFunctionFactory, incidentStepFunctions } from '../platform/incident-functions.js';
import { repoPath } from '../platform/paths.js';
import { WORKFLOWS } from '../platform/registry.js';
import type { ReportsBucket } from '../platform/reports-bucket.js';
import { createWorkflowStateMachine } from '../platform/workflow-state-machine.js';
import { FailbackPermissions } from './failback-permissions.js';

/** The workflow file deployed as-is; the local test runner executes the same file. */
export const FAILBACK_ASL_PATH = repoPath(WORKFLOWS.failback.asl);

export interface FailbackWorkflowProps {
  readonly config: RdsDrConfig;
  /** The DR stack's reports bucket: timelines go under incidents/failback/. */
  readonly reports: ReportsBucket;
}

/**
 * The failback workflow `<app>-failback` in the DR region, next to the failover whose promotion it
 * undoes (a read replica back, or an Aurora global switchover back): its eleven Lambdas and
 * least-privilege IAM (the DR stack's one DrAlerting pages on its failures).
 */
export class FailbackWorkflow extends Construct {
  readonly planFailback: NodejsFunction;
  readonly failbackChecks: NodejsFunction;
  readonly createFailbackReplica: NodejsFunction;
  readonly failbackReplicaStatus: NodejsFunction;
  readonly promoteFailbackReplica: NodejsFunction;
  readonly returnActiveRegion: NodejsFunction;
  readonly cutoverEndpoint: NodejsFunction;
  readonly incidentReport: NodejsFunction;
  readonly globalFailbackChecks: NodejsFunction;
  readonly switchoverBack: NodejsFunction;
  readonly globalWriterStatus: NodejsFunction;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: FailbackWorkflowProps) {
    super(scope, id);
    const { config, reports } = props;
    if (!hasFailback(config)) throw new Error('FailbackWorkflow needs a database with incident.databases.<db>.standby');
    const fn = incidentFunctionFactory(this, config, reports);

    this.planFailback = fn('PlanFailback', 'plan-failback', 'validates a failback request and resolves the DR writer, the primary-region replica and the new standby');
    this.failbackChecks = fn('FailbackChecks', 'failback-checks', 'failback pre-checks (DR writer, primary region, replica and standby names, placement)', Duration.seconds(120));
    this.createFailbackReplica = fn('CreateFailbackReplica', 'create-failback-replica', 'creates the failback replica in the primary region or the new DR standby; idempotent', Duration.seconds(120));
    this.failbackReplicaStatus = fn('FailbackReplicaStatus', 'failback-replica-status', 'reports whether the failback replica is in sync, caught up or writable');
    this.promoteFailbackReplica = fn('PromoteFailbackReplica', 'promote-failback-replica', 'promotes the failback replica in the primary region; idempotent');
    this.returnActiveRegion = fn('ReturnActiveRegion', 'return-active-region', 'sets the active-region record of a database back to the primary region');
    this.globalFailbackChecks = fn('GlobalFailbackChecks', 'global-failback-checks', 'Aurora global database failback pre-checks (global cluster, original cluster a member and available, lag)', Duration.seconds(120));
    this.switchoverBack = fn('SwitchoverBack', 'switchover-back', 'switches an Aurora global database over back to its original primary-region cluster; idempotent');
    this.globalWriterStatus = fn('GlobalWriterStatus', 'global-writer-status', 'reports whether the original primary-region cluster is the available writer of its global cluster');
    const steps = incidentStepFunctions(fn, 'failback', 'the failback replica or the original cluster');
    this.cutoverEndpoint = steps.cutoverEndpoint;
    this.incidentReport = steps.incidentReport;

    this.stateMachine = createWorkflowStateMachine(new Construct(this, 'StateMachine'), {
      appName: config.appName,
      workflow: 'failback',
      functionArns: {
        'plan-failback': this.planFailback.functionArn,
        'failback-checks': this.failbackChecks.functionArn,
        'create-failback-replica': this.createFailbackReplica.functionArn,
        'failback-replica-status': this.failbackReplicaStatus.functionArn,
        'promote-failback-replica': this.promoteFailbackReplica.functionArn,
        'return-active-region': this.returnActiveRegion.functionArn,
        'cutover-endpoint': this.cutoverEndpoint.functionArn,
        'incident-report': this.incidentReport.functionArn,
        'global-failback-checks': this.globalFailbackChecks.functionArn,
        'switchover-back': this.switchoverBack.functionArn,
        'global-writer-status': this.globalWriterStatus.functionArn,
      },
    });
    new FailbackPermissions(this, 'Permissions', { config, workflow: this, reports });
  }

  get functions(): NodejsFunction[] {
    return [
      this.planFailback,
      this.failbackChecks,
      this.createFailbackReplica,
      this.failbackReplicaStatus,
      this.promoteFailbackReplica,
      this.returnActiveRegion,
      this.cutoverEndpoint,
      this.incidentReport,
      this.globalFailbackChecks,
      this.switchoverBack,
      this.globalWriterStatus,
    ];
  }
}
