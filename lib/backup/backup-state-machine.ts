import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../config/schema.js';
import { acknowledgeRule } from '../nag/acknowledge.js';
import { repoPath } from '../paths.js';
import type { BackupFunctions } from './backup-functions.js';

/** The workflow file deployed as-is; the local test runner executes the same file. */
export const BACKUP_ASL_PATH = repoPath('state-machines', 'backup.asl.json');

export interface BackupStateMachineProps {
  readonly config: RdsDrConfig;
  readonly functions: BackupFunctions;
}

/** Standard state machine from backup.asl.json, with every ${...}FunctionArn substituted. */
export class BackupStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: BackupStateMachineProps) {
    super(scope, id);
    const { functions } = props;

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });

    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      stateMachineName: `${props.config.appName}-backup`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(BACKUP_ASL_PATH),
      definitionSubstitutions: {
        DiscoverDatabasesFunctionArn: functions.discoverDatabases.functionArn,
        SnapshotStatusFunctionArn: functions.snapshotStatus.functionArn,
        CopySnapshotFunctionArn: functions.copySnapshot.functionArn,
        BackupReportFunctionArn: functions.backupReport.functionArn,
      },
      // ALL + execution data: a failed backup must be diagnosable from the logs alone.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    acknowledgeRule(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy, ...) and X-Ray (PutTraceSegments, ' +
        'GetSamplingRules, ...) do not support resource-level permissions; "*" is the only valid resource.',
    );
  }
}
