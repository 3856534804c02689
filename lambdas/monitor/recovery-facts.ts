// Everything the RPO monitor (and `rds-dr status`) needs about every protected database, read
// through the shared RDS and S3 readers.
import { awsClients, type Reach } from '../aws/clients.js';
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
export function newestPerDatabase(snapshots: DescribedSnapshot[]): Map<string, string> {
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
export async function replicatedBackups(drRegion: string, pacer: RequestPacer, reach: Reach): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // Replication is optional; without it the DR RPO rests on the copies alone.
  for (const b of (await orUndefined(listAutomatedBackups(awsClients.rds(drRegion, reach), pacer))) ?? []) {
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
export function drillVerdictsFromSettings(settings: Parameters<typeof reportsFromSettings>[0], reach: Reach = 'healthy'): DrillVerdicts | undefined {
  const reports = reportsFromSettings(settings, reach);
  return reports && new DrillVerdicts(reports);
}

/** A region whose reads failed (unreachable, or refusing): its facts are unknown, not zero. */
export interface UnreadRegion {
  region: string;
  error: string;
  /** How many attempts the SDK made before it gave up (its retry strategy's count), when it says. */
  attempts?: number;
  /** The error itself. */
  cause: unknown;
}

export interface RegionalRecoveryFacts {
  facts: DatabaseRecoveryFacts[];
  /** Each region that could not be read, with the first error. Empty when both were read. */
  unread: UnreadRegion[];
}

/**
 * Everything the RPO monitor needs about every protected database, read from RDS and S3. Every read
 * is a paged listing of a whole region (or of the drill reports), all of them at once: the number of
 * calls grows with pages of 100 (RDS) or 1,000 (S3) records, never with one call per database, and
 * each region's RDS requests keep to RDS_REQUESTS_PER_SECOND together. Throws when a region cannot
 * be read (the monitor's failure is alerted; its alarms treat missing data as breaching).
 * `drills`: the handler keeps one across invocations (it remembers the bucket's name and the reports it read).
 */
export async function readRecoveryFacts(
  settings: SettingsWith<'policies'>,
  drills: DrillVerdicts | undefined = drillVerdictsFromSettings(settings),
): Promise<DatabaseRecoveryFacts[]> {
  const read = await readRegionalRecoveryFacts(settings, { drills });
  if (read.unread.length > 0) throw read.unread[0].cause;
  return read.facts;
}

const errorText = (err: unknown) => `${(err as Error).name}: ${(err as Error).message}`;

/** A region's read that failed, as `unread` names it. */
export function unreadRegion(region: string, err: unknown): UnreadRegion {
  const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  return { region, error: errorText(err), ...(attempts !== undefined && { attempts }), cause: err };
}

/**
 * The same facts, region by region: a region that cannot be read (down in a regional outage) leaves
 * its facts out and is named in `unread`, and the other region's facts are still returned. When the
 * primary region is unread, the protected databases are those the config names (identifiers, drills,
 * standbys: `known`) and those the DR region holds copies of under a configured policy.
 * `reach`: the CLI's calls are `interactive` (few attempts, short timeouts), so a region that is down
 * costs seconds, not minutes.
 */
export async function readRegionalRecoveryFacts(
  settings: SettingsWith<'policies'>,
  options: { drills?: DrillVerdicts; reach?: Reach; known?: readonly string[] } = {},
): Promise<RegionalRecoveryFacts> {
  const reach = options.reach ?? 'healthy';
  const drills = 'drills' in options ? options.drills : drillVerdictsFromSettings(settings, reach);
  const drilled = new Set(Object.values(settings.verification?.policies ?? {}).flatMap((p) => Object.keys(p.databases)));
  const { primaryRegion, drRegion } = settings;
  // One pacer per region for all of that region's listings, which run at once.
  const primaryPacer = new RequestPacer(RDS_REQUESTS_PER_SECOND);
  const drPacer = new RequestPacer(RDS_REQUESTS_PER_SECOND);
  const settle = <T>(region: string, read: Promise<T>) =>
    read.then(
      (value) => ({ value }),
      (err: unknown) => ({ unread: unreadRegion(region, err) }),
    );
  const [primary, dr, drillReports] = await Promise.all([
    settle(primaryRegion, Promise.all([new RdsFleetReader(awsClients.rds(primaryRegion, reach), primaryPacer).list(), new RdsSnapshotCatalog(awsClients.rds(primaryRegion, reach), primaryPacer).list()])),
    settle(drRegion, Promise.all([new RdsSnapshotCatalog(awsClients.rds(drRegion, reach), drPacer).list(), replicatedBackups(drRegion, drPacer, reach)])),
    // The reports bucket is in the DR region.
    settle(drRegion, drills && drilled.size > 0 ? drills.newest(drilled) : Promise.resolve(new Map<string, never>())),
  ]);
  const unread: UnreadRegion[] = [];
  for (const r of [primary, dr, drillReports]) if ('unread' in r && !unread.some((u) => u.region === r.unread.region)) unread.push(r.unread);
  const [fleet, primarySnaps] = 'value' in primary ? primary.value : [undefined, []];
  const [drSnaps, replicated] = 'value' in dr ? dr.value : [[], new Map<string, string>()];
  const verdicts = 'value' in drillReports ? drillReports.value : new Map<string, never>();
  const byId = new Map(fleet ? [...fleet.instances, ...fleet.clusters].map((d) => [d.id, d]) : []);
  const protectedIds = fleet
    ? new Set(Object.values(settings.policies).flatMap((p) => selectDatabases(fleet, p).selected.map((d) => d.id)))
    : protectedWithoutFleet(settings, drSnaps, [...drilled, ...(options.known ?? [])]);
  const snapshotsAt = newestPerDatabase(primarySnaps);
  const copiesAt = newestPerDatabase(drSnaps);
  // Databases a failover made active in the DR region are measured there (monitor/failed-over-facts.ts).
  const records = 'value' in dr ? await activeRecords(settings) : new Map<string, string>();
  const drFleet = [...records.values()].includes(drRegion) ? await settle(drRegion, new RdsFleetReader(awsClients.rds(drRegion, reach), drPacer).list()) : undefined;
  if (drFleet && 'unread' in drFleet && !unread.some((u) => u.region === drRegion)) unread.push(drFleet.unread);
  const failedOver =
    drFleet && 'value' in drFleet
      ? failedOverFacts(
          { records, drRegion, drFleet: drFleet.value, drSnapshotsAt: copiesAt, primaryCopiesAt: snapshotsAt, policies: settings.policies },
          (db) => ({ drilled: drilled.has(db), lastVerification: verdictOf(verdicts.get(db)) }),
        )
      : new Map<string, DatabaseRecoveryFacts>();
  for (const db of failedOver.keys()) protectedIds.add(db);
  const facts = [...protectedIds].sort().map((db) => {
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
  return { facts, unread };
}

/**
 * The protected databases as far as they can be known without the primary region's fleet: every
 * identifier the policies name, `known` (drilled databases, standbys), and each database the DR region
 * holds an rds-dr copy of under a configured policy.
 */
function protectedWithoutFleet(settings: SettingsWith<'policies'>, drSnaps: DescribedSnapshot[], known: string[]): Set<string> {
  const ids = new Set(known);
  for (const p of Object.values(settings.policies)) for (const id of [...p.selection.instances, ...p.selection.clusters]) ids.add(id);
  for (const s of drSnaps) {
    if (tagValueOf(s.tags, TAG.managed) !== 'true') continue;
    if (Object.hasOwn(settings.policies, tagValueOf(s.tags, TAG.policy) ?? '')) ids.add(sourceDatabaseOf(s));
  }
  return ids;
}
