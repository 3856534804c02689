import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PolicySchedules } from '../backup/policy-schedules.js';
import type { RdsDrConfig } from '../config/schema.js';
import { repoPath } from '../paths.js';
import { createWorkflowStateMachine } from '../shared/workflow-state-machine.js';
import type { VerifyFunctions } from './verify-functions.js';

/** The workflow file deployed as-is; the local test runner executes the same file. */
export const VERIFY_ASL_PATH = repoPath('state-machines', 'verify.asl.json');

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
      stateMachineName: `${config.appName}-verify`,
      aslPath: VERIFY_ASL_PATH,
      substitutions: {
        PlanVerificationFunctionArn: functions.planVerification.functionArn,
        RestoreStatusFunctionArn: functions.restoreStatus.functionArn,
        VerifyRestoredDatabaseFunctionArn: functions.verifyRestoredDatabase.functionArn,
        VerificationReportFunctionArn: functions.verificationReport.functionArn,
        VerificationSummaryFunctionArn: functions.verificationSummary.functionArn,
      },
    });
    this.schedules = new PolicySchedules(this, 'Schedules', {
      config,
      stateMachine: this.stateMachine,
      workflow: 'verify',
    });
  }
}
