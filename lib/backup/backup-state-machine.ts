import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../config/schema.js';
import { repoPath } from '../paths.js';
import { createWorkflowStateMachine } from '../shared/workflow-state-machine.js';
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
    this.stateMachine = createWorkflowStateMachine(this, {
      stateMachineName: `${props.config.appName}-backup`,
      aslPath: BACKUP_ASL_PATH,
      substitutions: {
        DiscoverDatabasesFunctionArn: functions.discoverDatabases.functionArn,
        SnapshotStatusFunctionArn: functions.snapshotStatus.functionArn,
        CopySnapshotFunctionArn: functions.copySnapshot.functionArn,
        BackupReportFunctionArn: functions.backupReport.functionArn,
        CheckPitrReadinessFunctionArn: functions.checkPitrReadiness.functionArn,
      },
    });
  }
}
