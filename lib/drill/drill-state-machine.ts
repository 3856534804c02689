import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PolicySchedules } from '../platform/policy-schedules.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { repoPath } from '../platform/paths.js';
import { WORKFLOWS } from '../platform/registry.js';
import { createWorkflowStateMachine } from '../platform/workflow-state-machine.js';
import type { VerifyFunctions } from './drill-functions.js';

/** The workflow file deployed as-is; the local test runner executes the same file. */
export const DRILL_ASL_PATH = repoPath(WORKFLOWS.drill.asl);

export interface VerifyWorkflowProps {
  readonly config: RdsDrConfig;
  readonly functions: VerifyFunctions;
}

/** The restore-drill state machine and one schedule per policy with `verify`. */
export class VerifyWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly schedules: PolicySchedules;

  constructor(scope: Construct, id: string, props: VerifyWorkflowProps) {
    super(scope, id);
    const { config, functions } = props;

    this.stateMachine = createWorkflowStateMachine(new Construct(this, 'StateMachine'), {
      appName: config.appName,
      workflow: 'drill',
      functionArns: {
        'plan-drill': functions.planVerification.functionArn,
        'throwaway-status': functions.restoreStatus.functionArn,
        'verify-restored-database': functions.verifyRestoredDatabase.functionArn,
        'drill-report': functions.verificationReport.functionArn,
        'drill-summary': functions.verificationSummary.functionArn,
      },
    });
    this.schedules = new PolicySchedules(this, 'Schedules', {
      config,
      stateMachine: this.stateMachine,
      workflow: 'verify',
    });
  }
}
