// What the DR region's RPO monitor measures (series-owner.ts), read from the DR region: the list of
// databases comes from what that region holds (the rds-dr copies' tags, the active-region records in
// its SSM), never from the primary region's fleet, so it is the same list on the day the primary
// region is gone. The one read of the primary region (the copies the DR region's backup made back
// there of failed-over databases) is best effort through the client that gives up within seconds.
import { awsClients } from '../aws/clients.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { SsmActiveRegionStore } from '../aws/ssm-active-region.js';
import { TAG } from '../core/naming.js';
import { RequestPacer } from '../core/request-pacer.js';
import type { PolicySettings, SettingsWith } from '../core/settings.js';
import { tagValueOf, type DescribedSnapshot } from '../core/snapshots.js';
import { failedOverFacts } from './failed-over-facts.js';
import type { DatabaseRecoveryFacts } from './recovery-ages.js';
import { newestPerDatabase, RDS_REQUESTS_PER_SECOND, replicatedBackups, unreadRegion, type UnreadRegion } from './recovery-facts.js';

export interface DrRegionFacts {
  facts: DatabaseRecoveryFacts[];
  /** The primary region, when its best-effort read failed: failed-over databases' copies there were not counted. */
  primaryUnread?: UnreadRegion;
  /** Active-region records that could not be parsed (their databases count as active in the primary region). */
  garbledRecords: { name: string; error: string }[];
}

/** An rds-dr copy (it names the snapshot it was copied from) taken under a configured policy. */
const isCopyUnder = (policies: Record<string, PolicySettings>) => (s: DescribedSnapshot) =>
  tagValueOf(s.tags, TAG.managed) === 'true' && tagValueOf(s.tags, TAG.copyOf) !== undefined && Object.hasOwn(policies, tagValueOf(s.tags, TAG.policy) ?? '');

/** Capture time of the newest rds-dr snapshot per source database in the primary region, or why it could not be read. */
async function primarySnapshotsBestEffort(primaryRegion: string): Promise<{ at: Map<string, string>; unread?: UnreadRegion }> {
  try {
    const client = awsClients.rds(primaryRegion, 'impaired');
    return { at: newestPerDatabase(await new RdsSnapshotCatalog(client, new RequestPacer(RDS_REQUESTS_PER_SECOND)).list()) };
  } catch (err) {
    return { at: new Map(), unread: unreadRegion(primaryRegion, err) };
  }
}

/**
 * Its own region is read patiently and must be read: a failure fails the run (the alarms on its copy
 * series treat missing data as breaching, so a broken DR monitor pages). With nothing failed over it
 * makes no call to the primary region at all.
 */
export async function readDrRegionFacts(settings: SettingsWith<'policies'>): Promise<DrRegionFacts> {
  const { appName, primaryRegion, drRegion, policies } = settings;
  const pacer = new RequestPacer(RDS_REQUESTS_PER_SECOND);
  const rds = awsClients.rds(drRegion);
  const [snapshots, replicated, readout] = await Promise.all([
    new RdsSnapshotCatalog(rds, pacer).list(),
    replicatedBackups(drRegion, pacer, 'healthy'),
    new SsmActiveRegionStore(appName, drRegion).readAll(),
  ]);
  const copiesAt = newestPerDatabase(snapshots.filter(isCopyUnder(policies)));
  const records = new Map([...readout.records].map(([db, r]) => [db, r.region]));

  let failedOver = new Map<string, DatabaseRecoveryFacts>();
  let primaryUnread: UnreadRegion | undefined;
  if ([...records.values()].includes(drRegion)) {
    const [drFleet, primary] = await Promise.all([new RdsFleetReader(rds, pacer).list(), primarySnapshotsBestEffort(primaryRegion)]);
    primaryUnread = primary.unread;
    // The DR region's own snapshots (not copies): the DR backup's snapshots of promoted databases.
    const ownSnapshotsAt = newestPerDatabase(snapshots.filter((s) => tagValueOf(s.tags, TAG.copyOf) === undefined));
    failedOver = failedOverFacts(
      { records, drRegion, drFleet, drSnapshotsAt: ownSnapshotsAt, primaryCopiesAt: primary.at, earlierDrCopiesAt: copiesAt, policies },
      // Drill verdicts are the primary monitor's series (series-owner.ts).
      () => ({ drilled: false }),
    );
  }

  const copied = [...copiesAt.keys()].filter((db) => !failedOver.has(db));
  const facts: DatabaseRecoveryFacts[] = [
    ...copied.map((db) => ({ db, newestCopyAt: copiesAt.get(db), replicatedRestorableTime: replicated.get(db), drilled: false })),
    ...failedOver.values(),
  ].sort((a, b) => a.db.localeCompare(b.db));
  return { facts, ...(primaryUnread && { primaryUnread }), garbledRecords: readout.garbled };
}
