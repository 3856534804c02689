import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledgeRule } from './nag.js';
import { repoPath } from './paths.js';
import { functionArnPlaceholder, stateMachineName, WORKFLOWS, type LambdaName, type WorkflowName } from './registry.js';

export interface WorkflowStateMachineProps {
  readonly appName: string;
  /** The registry entry: its ASL file is deployed as-is (the local test runner executes the same file). */
  readonly workflow: WorkflowName;
  /** The ARN of every Lambda the registry lists for the workflow. */
  readonly functionArns: Partial<Record<LambdaName, string>>;
  /** Values for the file's other ${...} placeholders. */
  readonly substitutions?: Record<string, string>;
}

/**
 * A Standard state machine from an ASL file, with the app's conventions: full execution logging
 * and X-Ray tracing. Creates `Logs` and `Resource` in the given scope.
 */
export function createWorkflowStateMachine(scope: Construct, props: WorkflowStateMachineProps): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });

  const entry = WORKFLOWS[props.workflow];
  const functionSubstitutions = Object.fromEntries(
    entry.lambdas.map((name) => {
      const arn = props.functionArns[name];
      if (!arn) throw new Error(`workflow ${props.workflow}: no function ARN for ${name} (lib/platform/registry.ts lists it)`);
      return [functionArnPlaceholder(name), arn];
    }),
  );
  const stateMachine = new sfn.StateMachine(scope, 'Resource', {
    stateMachineName: stateMachineName(props.appName, props.workflow),
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromFile(repoPath(entry.asl)),
    definitionSubstitutions: { ...props.substitutions, ...functionSubstitutions },
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
