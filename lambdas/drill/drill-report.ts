// Turns one drill branch's state into the verification report and its two metrics.
import type { VerificationItem } from './drill-plan.js';
import type { CheckResult, Verdict } from './sql-checks.js';
import { readableCause } from '../core/alert.js';

export interface DrillBranch {
  item: VerificationItem;
  executionArn: string;
  /** startedAt is set by the first poll, issued right after the restore call: the restore's start. */
  restorePoll?: { available?: boolean; startedAt?: string; checkedAt?: string };
  verdict: Verdict | null;
  failure: { Error: string; Cause: string } | null;
  /** { status: 'DELETING' } after a delete call, an { Error, Cause } when it failed, null when there was nothing to delete. */
  cleanup: { status?: string; Error?: string; Cause?: string } | null;
}

export interface VerificationReport {
  database: string;
  kind: string;
  engine: string;
  region: string;
  snapshot: { id: string; arn: string; time: string };
  throwaway: { id: string; instanceClass: string; cleanup: string };
  restoreStartedAt?: string;
  restoreAvailableAt?: string;
  verifiedAt?: string;
  /** Measured RTO: restore start until the data was proven readable. */
  restoreSeconds?: number;
  availableSeconds?: number;
  passed: boolean;
  checks: CheckResult[];
  error?: string;
  executionArn: string;
  reportedAt: string;
}

const seconds = (from?: string, to?: string) =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10) : undefined;

export function buildReport(branch: DrillBranch, region: string, reportedAt: string): VerificationReport {
  const { item } = branch;
  const started = branch.restorePoll?.startedAt;
  const availableAt = branch.restorePoll?.available ? branch.restorePoll.checkedAt : undefined;
  const verifiedAt = branch.verdict?.finishedAt;
  const cleanup = branch.cleanup?.Error
    ? `FAILED: ${branch.cleanup.Error}: ${readableCause(branch.cleanup.Cause)} (the hourly sweeper will retry)`
    : branch.cleanup?.status === 'DELETING'
      ? 'deleted'
      : item.restoreId.startsWith('rdsdr-verify-')
        ? 'nothing to delete'
        : 'REFUSED: not a throwaway identifier';
  const checks = branch.verdict?.checks ?? [];
  const error = branch.failure ? `${branch.failure.Error}: ${readableCause(branch.failure.Cause)}` : undefined;
  return {
    database: item.db,
    kind: item.kind,
    engine: item.engine,
    region,
    snapshot: { id: item.snapshotId, arn: item.snapshotArn, time: item.snapshotTime },
    throwaway: { id: item.restoreId, instanceClass: item.instanceClass, cleanup },
    restoreStartedAt: started,
    restoreAvailableAt: availableAt,
    verifiedAt,
    restoreSeconds: branch.verdict ? seconds(started, verifiedAt) : undefined,
    availableSeconds: seconds(started, availableAt),
    passed: !branch.failure && branch.verdict?.passed === true,
    checks,
    error,
    executionArn: branch.executionArn,
    reportedAt,
  };
}

export interface BranchOutcome {
  db: string;
  passed: boolean;
  failures: string[];
  reportKey: string;
  restoreSeconds?: number;
  cleanup: string;
  /** Checks that passed with something to say (restore-only, index not verified, drift below critical), one line each. */
  warnings?: string[];
}

/** reports/verification/<db>/<yyyy>/<mm>/<dd>/<throwaway id>.json */
export function reportKey(report: VerificationReport): string {
  const day = report.reportedAt.slice(0, 10).replace(/-/g, '/');
  return `reports/verification/${report.database}/${day}/${report.throwaway.id}.json`;
}

/** One line per failed check, for the alert. */
export function failureLines(report: VerificationReport): string[] {
  const lines = report.checks
    .filter((c) => !c.passed)
    .map((c) => `${c.name}: ${c.error ?? `observed ${JSON.stringify(c.observed)}, expected ${JSON.stringify(c.expected)}`}`);
  if (report.error) lines.unshift(report.error);
  if (report.throwaway.cleanup.startsWith('FAILED') || report.throwaway.cleanup.startsWith('REFUSED')) lines.push(`cleanup ${report.throwaway.cleanup}`);
  return lines;
}

/** One line per check that passed with a warning. */
export function warningLines(report: VerificationReport): string[] {
  return report.checks.filter((c) => c.passed && c.warning).map((c) => `${c.name}: ${c.warning}`);
}
