// Pure decision for one turn of the restore (or credentials) wait loop of a restored database: a
// drill's throwaway or an incident restore's target.
import { RestoreFailedError, RestoreNotFoundError, RestoreTimeoutError } from './errors.js';
import { finishedStep, nextStep, type PollState, type PollStep } from './wait-budget.js';

export interface RestoredDatabase {
  /** Instance status, or for a cluster the worse of the cluster's and its member's. */
  status: string;
  endpoint?: { host: string; port: number };
  secretArn?: string;
  secretStatus?: string;
  /** Aurora: the cluster's own status, and whether its member instance exists yet. */
  cluster?: { status: string; memberExists: boolean };
}

export type RestorePhase = 'restore' | 'credentials';

export interface RestorePollRequest {
  phase: RestorePhase;
  db: string;
  restoreId: string;
  timeoutSeconds: number;
  poll: PollState;
  /** How messages name the database (default "throwaway <restoreId> of <db>"). */
  label?: string;
}

export interface RestorePollResult extends PollStep {
  available: boolean;
  status: string;
  endpoint?: { host: string; port: number };
  secretArn?: string;
}

// Statuses an instance passes through on its way to `available` after a restore or a modify.
const TRANSIENT = new Set([
  'creating', 'backing-up', 'modifying', 'configuring-enhanced-monitoring', 'configuring-iam-database-auth',
  'configuring-log-exports', 'resetting-master-credentials', 'rebooting', 'renaming', 'starting', 'upgrading',
  'maintenance', 'storage-optimization', 'migrating', 'preparing-data-migration',
]);

export function evaluateRestorePoll(observed: RestoredDatabase | undefined, req: RestorePollRequest, now: Date): RestorePollResult {
  const what = req.label ?? `throwaway ${req.restoreId} of ${req.db}`;
  if (!observed) throw new RestoreNotFoundError(`${what} does not exist (deleted during the drill?)`);
  if (observed.status !== 'available' && !TRANSIENT.has(observed.status)) {
    throw new RestoreFailedError(`${what} is "${observed.status}": the restore failed`);
  }
  const ready =
    observed.status === 'available' &&
    observed.endpoint !== undefined &&
    (req.phase === 'restore' || (observed.secretArn !== undefined && observed.secretStatus === 'active'));
  const base = { status: observed.status, endpoint: observed.endpoint, secretArn: observed.secretArn };
  if (ready) return { ...base, available: true, ...finishedStep(req.poll, now) };
  const step = nextStep(req.poll, req.timeoutSeconds, now);
  if ('timedOut' in step) {
    const waitingFor = req.phase === 'restore' ? 'to become available' : 'to get its managed master password';
    throw new RestoreTimeoutError(`${what} still "${observed.status}" after ${step.elapsedSeconds} s waiting ${waitingFor} (limit ${req.timeoutSeconds} s)`);
  }
  return { ...base, available: false, ...step };
}
