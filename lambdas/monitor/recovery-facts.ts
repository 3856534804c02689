import { DescribeDBInstanceAutomatedBackupsCommand } from '@aws-sdk/client-rds';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { selectDatabases } from '../core/selection.js';
import { TAG } from '../core/naming.js';
import { awsClients } from '../aws/clients.js';
import type { RuntimeSettings } from '../core/settings.js';
import { tagValueOf, type DescribedSnapshot, captureTime } from '../core/snapshots.js';
import type { DatabaseRecoveryFacts } from './recovery-ages.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';

/** Capture time of the newest available rds-dr snapshot per source database. */
function newestPerDatabase(snapshots: DescribedSnapshot[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of snapshots) {
    if (s.status !== 'available' || tagValueOf(s.tags, TAG.managed) !== 'true') continue;
    const db = tagValueOf(s.tags, TAG.sourceArn)?.split(':').pop() ?? s.sourceDbId;
    const at = captureTime(s);
    if (!out.has(db) || Date.parse(at) > Date.parse(out.get(db)!)) out.set(db, at);
  }
  return out;
}

/** Newest restorable time of replicated automated backups in the DR region, per source instance. */
async function replicatedBackups(drRegion: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  try {
    const res = await awsClients.rds(drRegion).send(new DescribeDBInstanceAutomatedBackupsCommand({}));
    for (const b of res.DBInstanceAutomatedBackups ?? []) {
      const latest = b.RestoreWindow?.LatestTime?.toISOString();
      if (b.DBInstanceIdentifier && latest) out.set(b.DBInstanceIdentifier, latest);
    }
  } catch (err) {
    // Replication is optional; without it the DR RPO rests on the copies alone.
    if ((err as Error).name !== 'DBInstanceAutomatedBackupNotFoundFault') throw err;
  }
  return out;
}

/** The newest drill report of a database (keys sort by date: reports/verification/<db>/<yyyy>/<mm>/<dd>/...). */
async function lastVerification(s3: S3Client, bucket: string, db: string): Promise<DatabaseRecoveryFacts['lastVerification']> {
  let lastKey: string | undefined;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: `reports/verification/${db}/` })) {
    for (const o of page.Contents ?? []) if (!lastKey || (o.Key ?? '') > lastKey) lastKey = o.Key;
  }
  if (!lastKey) return undefined;
  const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: lastKey }))).Body!.transformToString();
  const report = JSON.parse(body) as { reportedAt: string; passed: boolean; restoreSeconds?: number };
  return { at: report.reportedAt, passed: report.passed, restoreSeconds: report.restoreSeconds };
}

/** Everything the RPO monitor needs about every protected database, read from RDS and S3. */
export async function readRecoveryFacts(settings: RuntimeSettings): Promise<DatabaseRecoveryFacts[]> {
  const reader = new RdsFleetReader(awsClients.rds(settings.primaryRegion));
  const [instances, clusters, primarySnaps, drSnaps, replicated] = await Promise.all([
    reader.listInstances(),
    reader.listClusters(),
    new RdsSnapshotCatalog(awsClients.rds(settings.primaryRegion)).list(),
    new RdsSnapshotCatalog(awsClients.rds(settings.drRegion)).list(),
    replicatedBackups(settings.drRegion),
  ]);
  const fleet = { instances, clusters };
  const byId = new Map([...instances, ...clusters].map((d) => [d.id, d]));
  const protectedIds = new Set(Object.values(settings.policies).flatMap((p) => selectDatabases(fleet, p).selected.map((d) => d.id)));
  const drilled = new Set(Object.values(settings.verification?.policies ?? {}).flatMap((p) => Object.keys(p.databases)));
  const snapshotsAt = newestPerDatabase(primarySnaps);
  const copiesAt = newestPerDatabase(drSnaps);
  const s3 = new S3Client({ region: settings.drRegion, maxAttempts: 5 });
  const facts: DatabaseRecoveryFacts[] = [];
  for (const db of [...protectedIds].sort()) {
    const info = byId.get(db);
    facts.push({
      db,
      createdAt: info?.createdAt,
      latestRestorableTime: info?.latestRestorableTime,
      newestSnapshotAt: snapshotsAt.get(db),
      newestCopyAt: copiesAt.get(db),
      replicatedRestorableTime: replicated.get(db),
      drilled: drilled.has(db),
      lastVerification: drilled.has(db) && settings.reportsBucket ? await lastVerification(s3, settings.reportsBucket, db) : undefined,
    });
  }
  return facts;
}
