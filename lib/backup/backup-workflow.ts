import { Annotations } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { PolicySchedules } from '../platform/policy-schedules.js';
import { BackupFunctions } from './backup-functions.js';
import { BackupPermissions } from './backup-permissions.js';
import { BackupStateMachine } from './backup-state-machine.js';
import type { CoordinationTable } from '../platform/coordination-table.js';
import type { WorkBucket } from '../platform/work-bucket.js';

/**
 * The backup workflow: its Lambdas, `<app>-backup` state machine, IAM and one schedule per policy.
 * It adds them to `scope` under their long-standing ids (BackupFunctions, BackupStateMachine,
 * BackupPermissions, Schedules) rather than one level deeper, so the named resources (state machine,
 * schedules) keep their logical ids and an upgrade updates them in place instead of replacing them.
 */
export class BackupWorkflow {
  readonly functions: BackupFunctions;
  readonly stateMachine: sfn.StateMachine;
  readonly schedules: PolicySchedules;

  /**
   * `coordination`: copy slots and work claims; `work`: plans, Map results and reports (both in this stack).
   * `role`: 'primary' (the primary stack: snapshots there, copies to the DR region) or 'dr' (the DR
   * stack: snapshots the databases a failover made active there, copies them back to the primary
   * region), same Lambdas and ASL, its own schedules (the policies' schedules), bucket and table.
   */
  constructor(scope: Construct, config: RdsDrConfig, platform: { coordination: CoordinationTable; work: WorkBucket }, role: 'primary' | 'dr' = 'primary') {
    this.functions = new BackupFunctions(scope, 'BackupFunctions', config, { coordinationTable: platform.coordination.table.tableName, workBucket: platform.work.bucket.bucketName, role });
    this.stateMachine = new BackupStateMachine(scope, 'BackupStateMachine', { config, functions: this.functions }).stateMachine;
    new BackupPermissions(scope, 'BackupPermissions', { config, stateMachine: this.stateMachine, functions: this.functions, role, ...platform });
    this.schedules = new PolicySchedules(scope, 'Schedules', { config, stateMachine: this.stateMachine });
    for (const [name, policy] of Object.entries(config.policies)) {
      if (role === 'dr') break; // warned once, by the primary deployment
      if (policy.maxCopiesInFlight !== undefined) {
        Annotations.of(scope).addWarningV2(
          `rds-dr:maxCopiesInFlight:${name}`,
          `policies.${name}.maxCopiesInFlight is no longer read: every policy's copies are held together to the account-wide copySlots (${config.copySlots.instance} DB / ${config.copySlots.cluster} cluster snapshot copies in progress). Remove it.`,
        );
      }
    }
  }
}
