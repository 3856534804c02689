import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { repoPath } from '../platform/paths.js';
import { WORKFLOWS } from '../platform/registry.js';
import { createWorkflowStateMachine } from '../platform/workflow-state-machine.js';
import type { BackupFunctions } from './backup-functions.js';

/** The workflow file deployed as-is; the local test runner executes the same file. */
export const BACKUP_ASL_PATH = repoPath(WORKFLOWS.backup.asl);

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
      appName: props.config.appName,
      workflow: 'backup',
      functionArns: {
        'discover-databases': functions.discoverDatabases.functionArn,
        'advance-backup-batch': functions.advanceBatch.functionArn,
        'backup-report': functions.backupReport.functionArn,
        'check-pitr-readiness': functions.checkPitrReadiness.functionArn,
      },
    });
  }
}
