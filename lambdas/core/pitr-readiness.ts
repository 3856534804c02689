// PITR readiness, pure: is each protected database restorable to a point in time with enough history,
// and (where asked) are its automated backups replicated to the DR region? The facts come from a few
// region-wide listings (lambdas/aws/pitr-gateway.ts), matched here to the run's databases, so the
// RDS calls grow with pages of 100, not with databases. SDK-free.
import type { RuntimeSettings } from './settings.js';

export const DEFAULT_PITR_MIN_RETENTION_DAYS = 7;
export const PITR_SECTION = 'docs/ALARMS.md#pitr-readiness';

export interface PitrRequirement {
  minRetentionDays: number;
  replicateToDr: boolean;
  enforce: boolean;
}

/** settings.incident.databases[db].pitr, else the deployment default (incident.pitrMinRetentionDays, else 7). */
export function requirementFor(settings: Pick<RuntimeSettings, 'incident'>, db: string): PitrRequirement {
  const own = settings.incident?.databases[db]?.pitr;
  if (own) return own;
  return { minRetentionDays: settings.incident?.pitrMinRetentionDays ?? DEFAULT_PITR_MIN_RETENTION_DAYS, replicateToDr: false, enforce: false };
}

export interface ProtectedDatabase {
  id: string;
  arn: string;
  kind: 'instance' | 'cluster';
}

/** What RDS says about one database's automated backups. */
export interface PitrFacts {
  /** 0 = automated backups off. */
  backupRetentionPeriod: number;
  /** Instances only: replication of automated backups to the DR region is running (or starting). */
  replicatedToDr?: boolean;
  /** Instances only, where known: the replicated backups' retention in the DR region. */
  drRetentionDays?: number;
  /** Instances only: why the replication could not be told (the DR listing failed). */
  replicationUnknown?: string;
}

// --- The listings (one paginated Describe each) ---

/** One DB instance of the primary region (DescribeDBInstances). */
export interface InstanceBackupSettings {
  arn: string;
  dbiResourceId?: string;
  retentionDays: number;
  /** Regions the instance itself reports replicating its automated backups to (DBInstanceAutomatedBackupsReplications). */
  replicationRegions: string[];
}

/** One DB cluster of the primary region (DescribeDBClusters). */
export interface ClusterBackupSettings {
  arn: string;
  retentionDays: number;
}

/** One automated backup held in the DR region (DescribeDBInstanceAutomatedBackups): replicated ones name their source instance. */
export interface DrAutomatedBackup {
  sourceArn?: string;
  dbiResourceId?: string;
  status: string;
  retentionDays?: number;
}

/** A listing's items, or why it could not be read (each database that depends on it is then 'unreadable'). */
export type Listing<T> = { items: T[] } | { error: string };

/** What was listed; a listing the run does not need is left out (see neededListings). */
export interface PitrInventory {
  instances?: Listing<InstanceBackupSettings>;
  clusters?: Listing<ClusterBackupSettings>;
  drBackups?: Listing<DrAutomatedBackup>;
}

/**
 * Automated-backup statuses that mean replication into the DR region is running or starting. The
 * documented status values are "active", "creating" (waiting for the first automated snapshot) and
 * "retained" (the source was deleted: not running) (RDS API Reference, DescribeDBInstanceAutomatedBackups);
 * a replication RDS has just been asked to start reports "pending", then "replicating".
 */
export const REPLICATION_RUNNING = new Set(['pending', 'replicating', 'creating', 'active']);

/** Only the listings the run's databases need: no clusters, no DescribeDBClusters; no replication asked, no DR listing. */
export function neededListings(databases: ProtectedDatabase[], requirement: (db: string) => PitrRequirement): Record<keyof PitrInventory, boolean> {
  const instances = databases.filter((d) => d.kind === 'instance');
  return {
    instances: instances.length > 0,
    clusters: databases.some((d) => d.kind === 'cluster'),
    drBackups: instances.some((d) => requirement(d.id).replicateToDr),
  };
}

export type PitrFinding = { db: ProtectedDatabase; facts: PitrFacts } | { db: ProtectedDatabase; problem: Shortfall };

/**
 * Each database's facts from the listings, matched by ARN in the primary region and, in the DR region,
 * by the source's DbiResourceId or ARN. DR backups of anything else (other databases, the DR region's
 * own instances, retained backups) are ignored.
 */
export function matchPitrFacts(databases: ProtectedDatabase[], inventory: PitrInventory, drRegion: string): PitrFinding[] {
  const instances = indexBy(inventory.instances, (i) => i.arn);
  const clusters = indexBy(inventory.clusters, (c) => c.arn);
  const running = replicationsIndex(inventory.drBackups);
  return databases.map((db): PitrFinding => {
    if (db.kind === 'cluster') {
      const c = lookup(clusters, db);
      return 'problem' in c ? { db, problem: c.problem } : { db, facts: { backupRetentionPeriod: c.found.retentionDays } };
    }
    const i = lookup(instances, db);
    return 'problem' in i ? { db, problem: i.problem } : { db, facts: instanceFacts(i.found, db, running, drRegion) };
  });
}

function lookup<T>(index: Index<T>, db: ProtectedDatabase): { found: T } | { problem: Shortfall } {
  if ('error' in index) return { problem: { db: db.id, kind: 'unreadable', detail: `could not read its backup settings: ${index.error}` } };
  const found = index.byKey.get(db.arn);
  if (found === undefined) return { problem: { db: db.id, kind: 'not-found', detail: `not found among the ${db.kind}s of its region (deleted or renamed since the run selected it?)` } };
  return { found };
}

function instanceFacts(i: InstanceBackupSettings, db: ProtectedDatabase, running: ReplicationsIndex, drRegion: string): PitrFacts {
  const facts: PitrFacts = { backupRetentionPeriod: i.retentionDays };
  const onInstance = i.replicationRegions.includes(drRegion);
  if ('error' in running) {
    if (onInstance) return { ...facts, replicatedToDr: true };
    return { ...facts, replicationUnknown: `could not list the automated backups in ${drRegion}: ${running.error}` };
  }
  const replica = (i.dbiResourceId !== undefined ? running.byDbi.get(i.dbiResourceId) : undefined) ?? running.byArn.get(db.arn);
  return { ...facts, replicatedToDr: onInstance || replica !== undefined, ...(replica?.retentionDays !== undefined && { drRetentionDays: replica.retentionDays }) };
}

type Index<T> = { byKey: Map<string, T> } | { error: string };
function indexBy<T>(listing: Listing<T> | undefined, key: (item: T) => string): Index<T> {
  if (!listing) return { error: 'not listed' };
  if ('error' in listing) return listing;
  return { byKey: new Map(listing.items.map((item) => [key(item), item])) };
}

type ReplicationsIndex = { byDbi: Map<string, DrAutomatedBackup>; byArn: Map<string, DrAutomatedBackup> } | { error: string };
function replicationsIndex(listing: Listing<DrAutomatedBackup> | undefined): ReplicationsIndex {
  // Not listed (no database asks for replication): every lookup misses.
  if (!listing) return { byDbi: new Map(), byArn: new Map() };
  if ('error' in listing) return listing;
  const live = listing.items.filter((b) => REPLICATION_RUNNING.has(b.status));
  return {
    byDbi: new Map(live.filter((b) => b.dbiResourceId).map((b) => [b.dbiResourceId!, b])),
    byArn: new Map(live.filter((b) => b.sourceArn).map((b) => [b.sourceArn!, b])),
  };
}

// --- Assessment ---

export type ShortfallKind = 'backups-off' | 'not-found' | 'unreadable' | 'not-replicated' | 'retention-short' | 'replication-unsupported';

/** Worst first: the bounded lists (execution output, warning) show these before the rest. */
export const SHORTFALL_KINDS: readonly ShortfallKind[] = ['backups-off', 'not-found', 'unreadable', 'not-replicated', 'retention-short', 'replication-unsupported'];

export interface Shortfall {
  db: string;
  kind: ShortfallKind;
  /** One line: what is wrong, the current value vs the objective. */
  detail: string;
  /** What pitr.enforce did about it in this run (started, failed to start, or left for the next run). */
  remedied?: string;
}

export function assessPitr(db: ProtectedDatabase, facts: PitrFacts, req: PitrRequirement): Shortfall[] {
  const out: Shortfall[] = [];
  const r = facts.backupRetentionPeriod;
  if (r <= 0) {
    out.push({ db: db.id, kind: 'backups-off', detail: `automated backups are OFF (retention 0 days, required >= ${req.minRetentionDays} days): no point-in-time restore is possible` });
  } else if (r < req.minRetentionDays) {
    out.push({ db: db.id, kind: 'retention-short', detail: `automated backup retention is ${r} day(s), required >= ${req.minRetentionDays} days` });
  }
  if (req.replicateToDr) {
    if (db.kind === 'cluster') {
      out.push({ db: db.id, kind: 'replication-unsupported', detail: 'pitr.replicateToDr is set, but cross-Region automated-backup replication exists only for RDS DB instances (use an Aurora global database)' });
    } else if (facts.replicationUnknown !== undefined) {
      out.push({ db: db.id, kind: 'unreadable', detail: `could not tell whether its automated backups are replicated to the DR region: ${facts.replicationUnknown}` });
    } else if (!facts.replicatedToDr) {
      out.push({ db: db.id, kind: 'not-replicated', detail: 'automated backups are NOT replicated to the DR region (pitr.replicateToDr is set)' });
    }
  }
  return out;
}

/** Replication can be started only for an instance whose automated backups are on and known not to be replicated. */
export function shouldStartReplication(db: ProtectedDatabase, facts: PitrFacts, req: PitrRequirement): boolean {
  return req.enforce && req.replicateToDr && db.kind === 'instance' && facts.replicationUnknown === undefined && !facts.replicatedToDr && facts.backupRetentionPeriod > 0;
}

/** Worst kind first, the run's order within a kind. */
export function worstFirst(shortfalls: Shortfall[]): Shortfall[] {
  return shortfalls.map((s, i) => ({ s, i })).sort((a, b) => SHORTFALL_KINDS.indexOf(a.s.kind) - SHORTFALL_KINDS.indexOf(b.s.kind) || a.i - b.i).map(({ s }) => s);
}

/** Reads the listings (paged and paced) and starts replication (lambdas/aws/pitr-gateway.ts). */
export interface PitrGateway {
  /** Every DB instance of the primary region (DescribeDBInstances, 100 per page). */
  listInstances(): Promise<InstanceBackupSettings[]>;
  /** Every DB cluster of the primary region (DescribeDBClusters, 100 per page). */
  listClusters(): Promise<ClusterBackupSettings[]>;
  /** Every automated backup the DR region holds (DescribeDBInstanceAutomatedBackups, 100 per page). */
  listDrAutomatedBackups(): Promise<DrAutomatedBackup[]>;
  /** StartDBInstanceAutomatedBackupsReplication, called in the DR region; one per database, paced. */
  startReplication(db: ProtectedDatabase, retentionDays: number): Promise<void>;
}
