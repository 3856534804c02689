// The PITR readiness check of one backup run: three listings instead of per-database calls, the pure
// assessment, at most MAX_REPLICATION_STARTS_PER_RUN paced replication starts, the full report in the
// run's work-bucket prefix and a bounded output and warning.
import type { AlertPublisher } from '../core/alert.js';
import {
  assessPitr,
  matchPitrFacts,
  neededListings,
  requirementFor,
  shouldStartReplication,
  worstFirst,
  type Listing,
  type PitrGateway,
  type PitrInventory,
  type ProtectedDatabase,
  type Shortfall,
} from '../core/pitr-readiness.js';
import { formatPitrWarning, pitrCheckOutput, pitrReportKey, type PitrCheckOutput, type PitrReport } from '../core/pitr-report.js';
import type { RunDataStore } from '../core/run-data.js';
import type { RuntimeSettings } from '../core/settings.js';

/**
 * Replication starts one run makes; the rest wait for the next run (reported). Each start is one
 * StartDBInstanceAutomatedBackupsReplication in the DR region, paced by the gateway: 50 at 2 per second
 * take 25 s of the function's 5 minutes.
 */
export const MAX_REPLICATION_STARTS_PER_RUN = 50;

export interface PitrCheckRequest {
  policy: string;
  databases: ProtectedDatabase[];
  /** The run's work-bucket prefix: the full report goes to `${prefix}pitr.json`. */
  runData?: { bucket: string; prefix: string };
}

export interface PitrLog {
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface PitrCheckDeps {
  settings: Pick<RuntimeSettings, 'incident' | 'appName' | 'primaryRegion' | 'drRegion'>;
  gateway: PitrGateway;
  warnings: AlertPublisher;
  store: Pick<RunDataStore, 'putJson'>;
  log: PitrLog;
  maxStartsPerRun?: number;
}

/**
 * A listing that fails makes its databases 'unreadable' shortfalls, never the backup's failure (the
 * workflow catches the check's own errors too). Publishes one warning when anything falls short.
 */
export async function checkPitrReadiness(request: PitrCheckRequest, deps: PitrCheckDeps): Promise<PitrCheckOutput> {
  const requirement = (db: string) => requirementFor(deps.settings, db);
  const inventory = await readInventory(deps.gateway, neededListings(request.databases, requirement));

  const shortfalls: Shortfall[] = [];
  const toStart: { db: ProtectedDatabase; days: number; remedies: Shortfall[] }[] = [];
  for (const finding of matchPitrFacts(request.databases, inventory, deps.settings.drRegion)) {
    if ('problem' in finding) {
      shortfalls.push(finding.problem);
      continue;
    }
    const req = requirement(finding.db.id);
    const found = assessPitr(finding.db, finding.facts, req);
    shortfalls.push(...found);
    if (shouldStartReplication(finding.db, finding.facts, req)) {
      toStart.push({ db: finding.db, days: Math.max(req.minRetentionDays, finding.facts.backupRetentionPeriod), remedies: found.filter((s) => s.kind === 'not-replicated') });
    }
  }

  const { started, deferred } = await startReplications(toStart, deps);
  const report: PitrReport = { policy: request.policy, checked: request.databases.length, shortfalls: worstFirst(shortfalls), started, startsDeferred: deferred };
  const written = await writeReport(report, request.runData, deps);
  const output = pitrCheckOutput(report, written.reportKey);
  if (report.shortfalls.length === 0) return output;
  const warningId = await deps.warnings.publish(formatPitrWarning(report, { ...deps.settings, policy: request.policy, reportUri: written.reportUri, reportProblem: written.problem }));
  return { ...output, warningId };
}

const describeError = (err: unknown) => `${(err as Error).name}: ${(err as Error).message}`;

async function listing<T>(read: () => Promise<T[]>): Promise<Listing<T>> {
  try {
    return { items: await read() };
  } catch (err) {
    return { error: describeError(err) };
  }
}

/** The needed listings at once: the two regions have separate budgets, and the gateway paces each region. */
async function readInventory(gateway: PitrGateway, needed: Record<keyof PitrInventory, boolean>): Promise<PitrInventory> {
  const [instances, clusters, drBackups] = await Promise.all([
    needed.instances ? listing(() => gateway.listInstances()) : undefined,
    needed.clusters ? listing(() => gateway.listClusters()) : undefined,
    needed.drBackups ? listing(() => gateway.listDrAutomatedBackups()) : undefined,
  ]);
  return { instances, clusters, drBackups };
}

/** One start after another (the gateway paces them); beyond the per-run bound, left for the next run. */
async function startReplications(toStart: { db: ProtectedDatabase; days: number; remedies: Shortfall[] }[], deps: PitrCheckDeps): Promise<{ started: string[]; deferred: string[] }> {
  const max = deps.maxStartsPerRun ?? MAX_REPLICATION_STARTS_PER_RUN;
  const started: string[] = [];
  const deferred: string[] = [];
  const remedy = (remedies: Shortfall[], text: string) => remedies.forEach((s) => (s.remedied = text));
  for (const [n, { db, days, remedies }] of toStart.entries()) {
    if (n >= max) {
      deferred.push(db.id);
      remedy(remedies, `not started in this run (at most ${max} replication starts per run); the next run continues`);
      continue;
    }
    try {
      await deps.gateway.startReplication(db, days);
      started.push(db.id);
      remedy(remedies, `started replication to ${deps.settings.drRegion} (pitr.enforce, retention ${days} days)`);
      deps.log.warn('started automated backup replication', { db: db.id, who: 'rds-dr backup', what: `StartDBInstanceAutomatedBackupsReplication ${db.arn}`, why: 'pitr.enforce', region: deps.settings.drRegion });
    } catch (err) {
      remedy(remedies, `could NOT start replication: ${describeError(err)}`);
    }
  }
  return { started, deferred };
}

/** The full report, when the run has a prefix; a failed write is said in the warning, not thrown (the warning matters more). */
async function writeReport(report: PitrReport, runData: PitrCheckRequest['runData'], deps: PitrCheckDeps): Promise<{ reportKey?: string; reportUri?: string; problem?: string }> {
  if (!runData) return {};
  const key = pitrReportKey(runData.prefix);
  try {
    await deps.store.putJson(runData.bucket, key, report);
    return { reportKey: key, reportUri: `s3://${runData.bucket}/${key}` };
  } catch (err) {
    deps.log.warn('could not write the PITR readiness report', { bucket: runData.bucket, key, error: describeError(err) });
    return { problem: describeError(err) };
  }
}
