// Everything the RPO monitor (and `rds-dr status`) needs about every protected database, read
// through the shared RDS and S3 readers.
import { awsClients } from '../aws/clients.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { listAutomatedBackups } from '../aws/rds-automated-backups.js';
import { orUndefined } from '../aws/rds-not-found.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { reportsFromSettings, type S3Reports } from '../aws/reports.js';
import { TAG } from '../core/naming.js';
import { selectDatabases } from '../core/selection.js';
import type { SettingsWith } from '../core/settings.js';
import { recoveryPointTime, sourceDatabaseOf, tagValueOf, type DescribedSnapshot } from '../core/snapshots.js';
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
async function replicatedBackups(drRegion: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // Replication is optional; without it the DR RPO rests on the copies alone.
  for (const b of (await orUndefined(listAutomatedBackups(awsClients.rds(drRegion)))) ?? []) {
    const latest = b.RestoreWindow?.LatestTime?.toISOString();
    if (b.DBInstanceIdentifier && latest) out.set(b.DBInstanceIdentifier, latest);
  }
  return out;
}

type DrillReport = { reportedAt: string; passed: boolean; restoreSeconds?: number };

/**
 * Everything the RPO monitor needs about every protected database, read from RDS and S3 (`reports`:
 * the reports bucket; the handler keeps one across invocations, so the bucket's name is read once).
 */
export async function readRecoveryFacts(
  settings: SettingsWith<'policies'>,
  reports: S3Reports | undefined = reportsFromSettings(settings),
): Promise<DatabaseRecoveryFacts[]> {
  const [fleet, primarySnaps, drSnaps, replicated] = await Promise.all([
    new RdsFleetReader(awsClients.rds(settings.primaryRegion)).list(),
    new RdsSnapshotCatalog(awsClients.rds(settings.primaryRegion)).list(),
    new RdsSnapshotCatalog(awsClients.rds(settings.drRegion)).list(),
    replicatedBackups(settings.drRegion),
  ]);
  const byId = new Map([...fleet.instances, ...fleet.clusters].map((d) => [d.id, d]));
  const protectedIds = new Set(Object.values(settings.policies).flatMap((p) => selectDatabases(fleet, p).selected.map((d) => d.id)));
  const drilled = new Set(Object.values(settings.verification?.policies ?? {}).flatMap((p) => Object.keys(p.databases)));
  const snapshotsAt = newestPerDatabase(primarySnaps);
  const copiesAt = newestPerDatabase(drSnaps);
  const facts: DatabaseRecoveryFacts[] = [];
  for (const db of [...protectedIds].sort()) {
    const info = byId.get(db);
    // The newest drill report of the database (keys sort by date: reports/verification/<db>/<yyyy>/<mm>/<dd>/...).
    const report = drilled.has(db) && reports ? await reports.newest<DrillReport>(`reports/verification/${db}/`) : undefined;
    facts.push({
      db,
      createdAt: info?.createdAt,
      latestRestorableTime: info?.latestRestorableTime,
      newestSnapshotAt: snapshotsAt.get(db),
      newestCopyAt: copiesAt.get(db),
      replicatedRestorableTime: replicated.get(db),
      drilled: drilled.has(db),
      lastVerification: report && { at: report.reportedAt, passed: report.passed, restoreSeconds: report.restoreSeconds },
    });
  }
  return facts;
}
