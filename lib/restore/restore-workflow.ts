import { Duration, Stack } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { VerificationResources } from '../platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { RestorePermissions } from './restore-permissions.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';
import { repoPath } from '../platform/paths.js';
import { WORKFLOWS } from '../platform/registry.js';
import { createWorkflowStateMachine } from '../platform/workflow-state-machine.js';
import { remoteReportsBucket, type ReportsBucket } from '../platform/reports-bucket.js';

/** The workflow file deployed as-is (in both regions); the local test runner executes the same file. */
export const RESTORE_ASL_PATH = repoPath(WORKFLOWS.restore.asl);

export interface RestoreWorkflowProps {
  readonly config: RdsDrConfig;
  /** The DR stack's reports bucket (DR deployment); the primary deployment reads its name from the DR region (SSM). */
  readonly reports?: ReportsBucket;
  /** The drills' verifier and network (DR deployment with drills): `verify: true` runs its checks. */
  readonly verifier?: { readonly fn: NodejsFunction; readonly resources: VerificationResources };
}

/**
 * The point-in-time / snapshot restore workflow `<app>-restore`, deployed in each region and
 * restoring where it runs: the primary one for corruption and failed migrations, the DR one when the
 * primary region is impaired (DR copies, replicated automated backups).
 */
export class RestoreWorkflow extends Construct {
  readonly planRestore: NodejsFunction;
  readonly restoreDatabase: NodejsFunction;
  readonly renameCutover: NodejsFunction;
  readonly cutoverEndpoint: NodejsFunction;
  readonly incidentReport: NodejsFunction;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RestoreWorkflowProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    // Beside the bucket (DR deployment) by reference; elsewhere by the name the DR stack publishes.
    const reportsBucket = props.reports?.bucket.bucketName ?? remoteReportsBucket(this, config).ref;
    // plan-restore needs the drill checks (verify) even where no verifier runs, to say where to verify instead
    // (drill reports are written only by the drill workflow, so no bucket here).
    const verification = props.verifier?.resources ?? (config.verification ? { subnetGroupName: '', securityGroupIds: [], reportsBucket: '' } : undefined);
    // Only incident-report uses the reports bucket.
    const fn = (cid: string, name: Parameters<typeof createRdsDrFunction>[2]['name'], description: string, timeout = Duration.seconds(60)) =>
      createRdsDrFunction(this, cid, { name, config, description: `rds-dr: ${description}`, timeout, verification, ...(name === 'incident-report' && { reportsBucket }) });

    this.planRestore = fn('PlanRestore', 'plan-restore', 'validates a restore request (window, snapshot, target, protection) before anything is written', Duration.seconds(120));
    this.restoreDatabase = fn('RestoreDatabase', 'restore-database', 'restores a database to a point in time or from a snapshot into a new identifier, and polls it');
    this.renameCutover = fn('RenameCutover', 'rename-cutover', 'swaps a restored database in by renaming (the replaced one is kept)');
    this.cutoverEndpoint = fn('CutoverEndpoint', 'cutover-endpoint', 'points the writer endpoint (Route 53 CNAME, SSM parameter) at the restored database', Duration.seconds(120));
    this.incidentReport = fn('IncidentReport', 'incident-report', 'writes the restore timeline to S3 and a notice to the warnings topic');

    // Only the DR deployment with drills has a verifier; elsewhere plan-restore refuses verify: true
    // first, so this state is unreachable and the name below only satisfies the definition.
    const verifierArn = props.verifier?.fn.functionArn ?? `arn:aws:lambda:${stack.region}:${stack.account}:function:${config.appName}-no-verifier-in-this-region`;
    this.stateMachine = createWorkflowStateMachine(new Construct(this, 'StateMachine'), {
      appName: config.appName,
      workflow: 'restore',
      substitutions: { Region: stack.region },
      functionArns: {
        'plan-restore': this.planRestore.functionArn,
        'restore-database': this.restoreDatabase.functionArn,
        'verify-restored-database': verifierArn,
        'rename-cutover': this.renameCutover.functionArn,
        'cutover-endpoint': this.cutoverEndpoint.functionArn,
        'incident-report': this.incidentReport.functionArn,
      },
    });
    new RestorePermissions(this, 'Permissions', { config, workflow: this, reports: props.reports, verifier: props.verifier?.fn });
  }

  get functions(): NodejsFunction[] {
    return [this.planRestore, this.restoreDatabase, this.renameCutover, this.cutoverEndpoint, this.incidentReport];
  }
}
