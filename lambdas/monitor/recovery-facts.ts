// Everything the RPO monitor (and `rds-dr status`) needs about every protected database, read
// through the shared RDS and S3 readers.
import { awsClients } from '../aws/clients.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { listAutomatedBackups } from '../aws/rds-automated-backups.js';
import { orUndefined } from '../aws/rds-not-found.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { reportsFromSettings } from '../aws/reports.js';
import { TAG } from '../core/naming.js';
import { RequestPacer } from '../core/request-pacer.js';
import { selectDatabases } from '../core/selection.js';
import type { SettingsWith } from '../core/settings.js';
import { recoveryPointTime, sourceDatabaseOf, tagValueOf, type DescribedSnapshot } from '../core/snapshots.js';
import { DrillVerdicts } from './drill-verdicts.js';
import { failedOverFacts } from './failed-over-facts.js';
import { SsmActiveRegionStore } from '../aws/ssm-active-region.js';
import type { DatabaseRecoveryFacts } from './recovery-ages.js';

/** Capture time of the newest available rds-dr snapshot per source database. */
function newestPerDatabase(snapshots: DescribedSnapshot[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of snapshots) {
    if (s.status !== 'available' || tagValueOf(s.tags, TAG.managed) !== 'true') continue;
    const db = sourceDatabaseOf(s);
    const at = recoveryPointTime(s);
    if (!out.has(db) || Date.parse(at) > Date.parse(out.get(db)!)) out.set(db, at);
  }
  return out;
}

/** Newest restorable time of replicated automated backups in the DR region, per source instance. */
async function replicatedBackups(drRegion: string, pacer: RequestPacer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // Replication is optional; without it the DR RPO rests on the copies alone.
  for (const b of (await orUndefined(listAutomatedBackups(awsClients.rds(drRegion), pacer))) ?? []) {
    const latest = b.RestoreWindow?.LatestTime?.toISOString();
    if (b.DBInstanceIdentifier && latest) out.set(b.DBInstanceIdentifier, latest);
  }
  return out;
}

const verdictOf = (report: { reportedAt: string; passed: boolean; restoreSeconds?: number } | undefined) => report && { at: report.reportedAt, passed: report.passed, restoreSeconds: report.restoreSeconds };

/**
 * Active region per database (records in the DR region). Read through a client that gives up fast:
 * the DR region may be the one in trouble, and then every database is measured in the primary region
 * as before (no record read = none), rather than the monitor publishing nothing.
 */
async function activeRecords(settings: SettingsWith<'policies'>): Promise<Map<string, string>> {
  try {
    const { records } = await new SsmActiveRegionStore(settings.appName, settings.drRegion, true).readAll();
    return new Map([...records].map(([db, r]) => [db, r.region]));
  } catch {
    return new Map();
  }
}

/**
 * The monitor's (and `rds-dr status`'s) share of the RDS API budget, per region: RDS allows ~12
 * requests/s sustained per account and region, shared with the backups, copies and drills running at
 * the same time. Its listings are 100 records a page, so 1,000 databases with 50 snapshots each
 * (~500 pages a region) take ~3 minutes; with one snapshot each (~20 pages), ~6 seconds.
 */
export const RDS_REQUESTS_PER_SECOND = 3;

/** The drill verdicts' reader over the reports bucket the settings name, or undefined without one. */
export function drillVerdictsFromSettings(settings: Parameters<typeof reportsFromSettings>[0]): DrillVerdicts | undefined {
  const reports = reportsFromSettings(settings);
  return reports && new DrillVerdicts(reports);
}

/**
 * Everything the RPO monitor needs about every protected database, read from RDS and S3. Every read
 * is a paged listing of a whole region (or of the drill reports), all of them at once: the number of
 * calls grows with pages of 100 (RDS) or 1,000 (S3) records, never with one call per database, and
 * each region's RDS requests keep to RDS_REQUESTS_PER_SECOND together.
 * `drills`: the handler keeps one across invocations (it remembers the bucket's name and the reports it read).
 */
export async function readRecoveryFacts(
  settings: SettingsWith<'policies'>,
  drills: DrillVerdicts | undefined = drillVerdictsFromSettings(settings),
): Promise<DatabaseRecoveryFacts[]> {
  const drilled = new Set(Object.values(settings.verification?.policies ?? {}).flatMap((p) => Object.keys(p.databases)));
  // One pacer per region for all of that region's listings, which run at once.
  const primaryPacer = new RequestPacer(RDS_REQUESTS_PER_SECOND);
  const drPacer = new RequestPacer(RDS_REQUESTS_PER_SECOND);
  const [fleet, primarySnaps, drSnaps, replicated, verdicts] = await Promise.all([
    new RdsFleetReader(awsClients.rds(settings.primaryRegion), primaryPacer).list(),
    new RdsSnapshotCatalog(awsClients.rds(settings.primaryRegion), primaryPacer).list(),
    new RdsSnapshotCatalog(awsClients.rds(settings.drRegion), drPacer).list(),
    replicatedBackups(settings.drRegion, drPacer),
    drills && drilled.size > 0 ? drills.newest(drilled) : new Map<string, never>(),
  ]);
  const byId = new Map([...fleet.instances, ...fleet.clusters].map((d) => [d.id, d]));
  const protectedIds = new Set(Object.values(settings.policies).flatMap((p) => selectDatabases(fleet, p).selected.map((d) => d.id)));
  const snapshotsAt = newestPerDatabase(primarySnaps);
  const copiesAt = newestPerDatabase(drSnaps);
  // Databases a failover made active in the DR region are measured there (monitor/failed-over-facts.ts).
  const records = await activeRecords(settings);
  const failedOver = [...records.values()].includes(settings.drRegion)
    ? failedOverFacts(
        { records, drRegion: settings.drRegion, drFleet: await new RdsFleetReader(awsClients.rds(settings.drRegion), drPacer).list(), drSnapshotsAt: copiesAt, primaryCopiesAt: snapshotsAt, policies: settings.policies },
        (db) => ({ drilled: drilled.has(db), lastVerification: verdictOf(verdicts.get(db)) }),
      )
    : new Map<string, DatabaseRecoveryFacts>();
  for (const db of failedOver.keys()) protectedIds.add(db);
  return [...protectedIds].sort().map((db) => {
    const moved = failedOver.get(db);
    if (moved) return moved;
    const info = byId.get(db);
    const report = verdicts.get(db);
    return {
      db,
      createdAt: info?.createdAt,
      latestRestorableTime: info?.latestRestorableTime,
      newestSnapshotAt: snapshotsAt.get(db),
      newestCopyAt: copiesAt.get(db),
      replicatedRestorableTime: replicated.get(db),
      drilled: drilled.has(db),
      lastVerification: report && { at: report.reportedAt, passed: report.passed, restoreSeconds: report.restoreSeconds },
    };
  });
}
