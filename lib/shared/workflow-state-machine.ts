import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledgeRule } from '../nag/acknowledge.js';

export interface WorkflowStateMachineProps {
  readonly stateMachineName: string;
  /** ASL file deployed as-is; the local test runner executes the same file. */
  readonly aslPath: string;
  /** Values for the file's ${...} placeholders. */
  readonly substitutions: Record<string, string>;
}

/**
 * A Standard state machine from an ASL file, with the app's conventions: full execution logging
 * and X-Ray tracing. Creates `Logs` and `Resource` in the given scope.
 */
export function createWorkflowStateMachine(scope: Construct, props: WorkflowStateMachineProps): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });

  const stateMachine = new sfn.StateMachine(scope, 'Resource', {
    stateMachineName: props.stateMachineName,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromFile(props.aslPath),
    definitionSubstitutions: props.substitutions,
    // ALL + execution data: a failed run must be diagnosable from the logs alone.
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    tracingEnabled: true,
  });

  acknowledgeRule(
    stateMachine,
    'AwsSolutions-IAM5[Resource::*]',
    'Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy, ...) and X-Ray (PutTraceSegments, ' +
      'GetSamplingRules, ...) do not support resource-level permissions; "*" is the only valid resource.',
  );
  return stateMachine;
}
