// The one list of rds-dr's workflows and Lambdas. CDK (the function factory and each workflow's
// state machine), the local AWS (test/local) and the ASL tests all read it: adding a Lambda is one
// entry here plus its handler file. Plain data: no aws-cdk-lib, so the test harness can import it.
import type { SettingsSection } from '../../lambdas/core/settings.js';

/** Where a workflow runs: the primary region, the DR region, or a deployment in each. */
export type RegionRole = 'primary' | 'dr';

/** Every Lambda: its handler file (exports `handler`), relative to the repository root. */
export const LAMBDAS = {
  // backup workflow (primary region; and DR region, for failed-over databases)
  'discover-databases': 'lambdas/backup/discover-databases.handler.ts',
  'check-pitr-readiness': 'lambdas/backup/check-pitr-readiness.handler.ts',
  'advance-backup-batch': 'lambdas/backup/advance-backup-batch.handler.ts',
  'backup-report': 'lambdas/backup/backup-report.handler.ts',
  // restore drill (DR region)
  'plan-drill': 'lambdas/drill/plan-drill.handler.ts',
  'throwaway-status': 'lambdas/drill/throwaway-status.handler.ts',
  'verify-restored-database': 'lambdas/drill/verify-restored-database.handler.ts',
  'drill-report': 'lambdas/drill/drill-report.handler.ts',
  'drill-summary': 'lambdas/drill/drill-summary.handler.ts',
  'sweep-drill-leftovers': 'lambdas/drill/sweep-drill-leftovers.handler.ts',
  // prune (primary region; and DR region, for the snapshots its backup takes of failed-over databases)
  'plan-prune': 'lambdas/prune/plan-prune.handler.ts',
  'delete-snapshot-batch': 'lambdas/prune/delete-snapshot-batch.handler.ts',
  'prune-report': 'lambdas/prune/prune-report.handler.ts',
  // point-in-time / snapshot restore (both regions)
  'plan-restore': 'lambdas/restore/plan-restore.handler.ts',
  'restore-database': 'lambdas/restore/restore-database.handler.ts',
  'rename-cutover': 'lambdas/restore/rename-cutover.handler.ts',
  // failover (DR region)
  'plan-failover': 'lambdas/failover/plan-failover.handler.ts',
  'failover-checks': 'lambdas/failover/failover-checks.handler.ts',
  'promote-standby': 'lambdas/failover/promote-standby.handler.ts',
  'standby-status': 'lambdas/failover/standby-status.handler.ts',
  'record-active-region': 'lambdas/failover/record-active-region.handler.ts',
  // failback (DR region)
  'plan-failback': 'lambdas/failback/plan-failback.handler.ts',
  'failback-checks': 'lambdas/failback/failback-checks.handler.ts',
  'create-failback-replica': 'lambdas/failback/create-failback-replica.handler.ts',
  'failback-replica-status': 'lambdas/failback/failback-replica-status.handler.ts',
  'promote-failback-replica': 'lambdas/failback/promote-failback-replica.handler.ts',
  'return-active-region': 'lambdas/failback/return-active-region.handler.ts',
  'global-failback-checks': 'lambdas/failback/global-failback-checks.handler.ts',
  'switchover-back': 'lambdas/failback/switchover-back.handler.ts',
  'global-writer-status': 'lambdas/failback/global-writer-status.handler.ts',
  // incident steps shared by failover, failback and restore
  'cutover-endpoint': 'lambdas/incident/cutover-endpoint.handler.ts',
  'incident-report': 'lambdas/incident/incident-report.handler.ts',
  // alerts and monitoring (EventBridge targets and schedules, no state machine)
  'failure-notifier': 'lambdas/alerts/failure-notifier.handler.ts',
  'rds-event-notifier': 'lambdas/alerts/rds-event-notifier.handler.ts',
  'rpo-monitor': 'lambdas/monitor/rpo-monitor.handler.ts',
} as const;

export type LambdaName = keyof typeof LAMBDAS;

/**
 * The settings sections (lambdas/core/settings.ts) each Lambda is given, beside the small common part
 * (app name, regions, topic ARNs, DR key, reports bucket). A handler names the same sections in its
 * `readSettings([...])` call; test/layout.test.ts holds both lists equal, and the local AWS gives
 * each handler only its slice, so a handler reading a section it was not given fails every test.
 */
export const LAMBDA_SETTINGS: Record<LambdaName, readonly SettingsSection[]> = {
  'discover-databases': ['policies'],
  'check-pitr-readiness': ['incident'],
  'advance-backup-batch': [],
  'backup-report': [],
  'plan-drill': ['verification'],
  'throwaway-status': ['verification'],
  'verify-restored-database': [],
  'drill-report': ['verification'],
  'drill-summary': [],
  'sweep-drill-leftovers': ['verification'],
  'plan-prune': ['policies', 'pruning'],
  'delete-snapshot-batch': [],
  'prune-report': ['pruning'],
  'plan-restore': ['policies', 'verification', 'incident'],
  'restore-database': [],
  'rename-cutover': [],
  'plan-failover': ['policies', 'incident'],
  'failover-checks': [],
  'promote-standby': [],
  'standby-status': [],
  'record-active-region': ['policies'],
  'plan-failback': ['incident'],
  'failback-checks': [],
  'create-failback-replica': [],
  'failback-replica-status': [],
  'promote-failback-replica': [],
  'return-active-region': [],
  'global-failback-checks': [],
  'switchover-back': [],
  'global-writer-status': [],
  'cutover-endpoint': ['incident'],
  'incident-report': [],
  'failure-notifier': [],
  'rds-event-notifier': ['policies'],
  'rpo-monitor': ['policies', 'verification'],
};

export interface WorkflowEntry {
  /** The ASL file deployed as-is and run by the local runner, relative to the repository root. */
  readonly asl: string;
  /** Deployed as `<appName>-<workflow>` in each of these regions. */
  readonly regions: readonly RegionRole[];
  /** The Lambdas its Task states call; each is the `${<PascalName>FunctionArn}` placeholder of the ASL file. */
  readonly lambdas: readonly LambdaName[];
}

export const WORKFLOWS = {
  backup: {
    asl: 'state-machines/backup.asl.json',
    // The DR region's deployment backs up the databases a failover made active there (lib/backup/backup-workflow.ts).
    regions: ['primary', 'dr'],
    lambdas: ['discover-databases', 'check-pitr-readiness', 'advance-backup-batch', 'backup-report'],
  },
  drill: {
    asl: 'state-machines/drill.asl.json',
    regions: ['dr'],
    lambdas: ['plan-drill', 'throwaway-status', 'verify-restored-database', 'drill-report', 'drill-summary'],
  },
  prune: {
    asl: 'state-machines/prune.asl.json',
    // The DR region's deployment prunes the snapshots the DR backup takes there (lib/prune/prune-workflow.ts).
    regions: ['primary', 'dr'],
    lambdas: ['plan-prune', 'delete-snapshot-batch', 'prune-report'],
  },
  restore: {
    asl: 'state-machines/restore.asl.json',
    regions: ['primary', 'dr'],
    // verify-restored-database is the drills' verifier: only the DR deployment with drills has one.
    lambdas: ['plan-restore', 'restore-database', 'verify-restored-database', 'rename-cutover', 'cutover-endpoint', 'incident-report'],
  },
  failover: {
    asl: 'state-machines/failover.asl.json',
    regions: ['dr'],
    lambdas: ['plan-failover', 'failover-checks', 'promote-standby', 'standby-status', 'record-active-region', 'cutover-endpoint', 'incident-report'],
  },
  failback: {
    asl: 'state-machines/failback.asl.json',
    regions: ['dr'],
    lambdas: [
      'plan-failback',
      'failback-checks',
      'create-failback-replica',
      'failback-replica-status',
      'promote-failback-replica',
      'cutover-endpoint',
      'return-active-region',
      'incident-report',
      'global-failback-checks',
      'switchover-back',
      'global-writer-status',
    ],
  },
} as const satisfies Record<string, WorkflowEntry>;

export type WorkflowName = keyof typeof WORKFLOWS;

/** `plan-drill` -> `PlanDrill`. */
export const pascalCase = (name: string): string => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/** The ASL placeholder a Lambda's ARN is substituted for: `${PlanDrillFunctionArn}`. */
export const functionArnPlaceholder = (name: LambdaName): string => `${pascalCase(name)}FunctionArn`;

/** The deployed state machine's name. */
export const stateMachineName = (appName: string, workflow: WorkflowName): string => `${appName}-${workflow}`;
