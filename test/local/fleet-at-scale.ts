// A large fleet in moto: N databases (every fifth an Aurora cluster), each with an rds-dr snapshot in
// the primary region and its copy in the DR region, drill reports for every third, and a known share
// of problems, so the monitor's and `rds-dr status`'s answers and calls can be checked at scale.
//
// Only what the monitor reads is made: clusters without member instances, one snapshot and one copy
// per database (a real fleet keeps dozens, which multiplies the snapshot pages, not other calls),
// created straight through the API (no workflow): ~30 s for 1,000 databases.
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../../lambdas/core/concurrency.js';
import { snapshotIdentifier, TAG } from '../../lambdas/core/naming.js';

/** What a database of the fleet has, by its place in it (see `profileOf`). */
export type ScaleProfile = 'healthy' | 'never snapshotted' | 'no DR copy' | 'stale DR copy';

export interface ScaleDatabase {
  id: string;
  kind: 'instance' | 'cluster';
  profile: ScaleProfile;
  /** Every third database is drilled: its last drill passed, failed, or it has never been drilled. */
  drill?: 'passed' | 'failed' | 'never';
}

/** Every tenth database has never been snapshotted, the next has no DR copy, the next a 2-day-old copy; the rest are fresh. */
export function profileOf(index: number): ScaleProfile {
  return (['never snapshotted', 'no DR copy', 'stale DR copy'] as const)[index % 10] ?? 'healthy';
}

/** Of the drilled databases (every third), one in ten has never been drilled and one in ten failed its last drill. */
function drillOf(index: number): ScaleDatabase['drill'] {
  if (index % 3 !== 0) return undefined;
  return (['never', 'failed'] as const)[(index / 3) % 10] ?? 'passed';
}

export function scaleFleet(count: number): ScaleDatabase[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `scale-${String(i).padStart(4, '0')}`,
    kind: i % 5 === 4 ? ('cluster' as const) : ('instance' as const),
    profile: profileOf(i),
    drill: drillOf(i),
  }));
}

/** The config's verify.databases entry of each drilled database. */
export const drilledDatabases = (fleet: ScaleDatabase[]) =>
  Object.fromEntries(fleet.filter((db) => db.drill).map((db) => [db.id, { database: 'app', tables: [] }]));

/** moto keeps each new instance's automated snapshot in the same quota as manual ones. */
export const scaleSnapshotLimit = (count: number): string => String(4 * count + 100);

const DAY_MS = 86_400_000;

/**
 * Each drilled database's reports where drills write them (reports/verification/<db>/<yyyy>/<mm>/<dd>/…):
 * one from two weeks before `now` that failed, and the newest, a day before `now`, with its verdict.
 */
export async function writeDrillReports(s3: S3Client, bucket: string, fleet: ScaleDatabase[], now: Date): Promise<void> {
  const report = async (db: ScaleDatabase, daysAgo: number, passed: boolean) => {
    const at = new Date(now.getTime() - daysAgo * DAY_MS).toISOString();
    const key = `reports/verification/${db.id}/${at.slice(0, 10).replace(/-/g, '/')}/rdsdr-verify-${db.id}.json`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify({ database: db.id, reportedAt: at, passed, restoreSeconds: 600 }) }));
  };
  await mapWithConcurrency(fleet.filter((db) => db.drill && db.drill !== 'never'), 4, async (db) => {
    await report(db, 14, false);
    await report(db, 1, db.drill === 'passed');
  });
}

/**
 * Creates `fleet` in moto: the databases (tagged `tags`) in the primary region, a snapshot per
 * database at `now` (none for 'never snapshotted'), and its copy in the DR region (none for 'no DR
 * copy'; for 'stale DR copy', a copy of a snapshot taken two days before `now`).
 */
export async function createScaleFleet(rds: { primary: RDSClient; dr: RDSClient }, fleet: ScaleDatabase[], tags: Record<string, string>, now: Date): Promise<void> {
  const tagList = (more: Record<string, string> = {}) => Object.entries({ ...tags, ...more }).map(([Key, Value]) => ({ Key, Value }));
  // One at a time: moto 5.2.1 answers concurrent RDS creates with HTTP 500 now and then.
  await mapWithConcurrency(fleet, 1, async (db) => {
    const arn = db.kind === 'cluster'
      ? (await rds.primary.send(new CreateDBClusterCommand({
          DBClusterIdentifier: db.id, Engine: 'aurora-postgresql', EngineVersion: '16.4', MasterUsername: 'app', MasterUserPassword: 'local-only-password', StorageEncrypted: true, Tags: tagList(),
        }))).DBCluster?.DBClusterArn ?? ''
      : (await rds.primary.send(new CreateDBInstanceCommand({
          DBInstanceIdentifier: db.id, Engine: 'postgres', EngineVersion: '16.3', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'local-only-password', StorageEncrypted: true, Tags: tagList(),
        }))).DBInstance?.DBInstanceArn ?? '';
    if (db.profile === 'never snapshotted') return;
    const slot = db.profile === 'stale DR copy' ? new Date(now.getTime() - 2 * DAY_MS) : now;
    const id = snapshotIdentifier(db.id, slot);
    const snapshotTags = [
      { Key: TAG.managed, Value: 'true' },
      { Key: TAG.policy, Value: 'gold' },
      { Key: TAG.sourceArn, Value: arn },
      { Key: TAG.slot, Value: slot.toISOString() },
    ];
    if (db.kind === 'cluster') {
      const source = (await rds.primary.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: db.id, DBClusterSnapshotIdentifier: id, Tags: snapshotTags })))
        .DBClusterSnapshot?.DBClusterSnapshotArn;
      if (db.profile === 'no DR copy') return;
      await rds.dr.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: source, TargetDBClusterSnapshotIdentifier: id, Tags: [...snapshotTags, { Key: TAG.copyOf, Value: source ?? '' }] }));
    } else {
      const source = (await rds.primary.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: db.id, DBSnapshotIdentifier: id, Tags: snapshotTags }))).DBSnapshot?.DBSnapshotArn;
      if (db.profile === 'no DR copy') return;
      await rds.dr.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: source, TargetDBSnapshotIdentifier: id, Tags: [...snapshotTags, { Key: TAG.copyOf, Value: source ?? '' }] }));
    }
  });
}
