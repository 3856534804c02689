// Pure planning of a restore drill: validate the request, pick each database's newest usable
// snapshot, and name the throwaway instance. Nothing here touches AWS.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { formatInputIssues } from '../core/input-issues.js';
import { PURPOSE, TAG, THROWAWAY_PREFIX, runSlot, scheduleSlot, slotStamp } from '../core/naming.js';
import type { DatabaseChecksSettings, VerificationSettings } from '../core/settings.js';
import { dialectOfEngine } from '../core/sql-dialect.js';
import { tagValueOf, type SnapshotInfo, type SnapshotKind } from '../core/snapshots.js';

const MAX_DB_ID = 63;

const scheduledInput = z.strictObject({ policy: z.string().min(1), scheduledTime: z.iso.datetime({ offset: true }).optional() });
const manualInput = z.strictObject({
  db: z.string().min(1),
  snapshot: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
});

export type VerifyRequest =
  | { mode: 'policy'; policy: string; slot: Date }
  | { mode: 'db'; db: string; policy: string; slot: Date; snapshotArn?: string };


/** The policy that drills `db`, if any. */
function policyOf(db: string, settings: VerificationSettings): string | undefined {
  return Object.entries(settings.policies).find(([, p]) => db in p.databases)?.[0];
}

/** Validates a scheduled ({policy}) or manual ({db, snapshot?, region?}) request; names the bad field. */
export function parseVerifyRequest(input: unknown, settings: VerificationSettings, accountId: string, startTime: string): VerifyRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError(`input must be a JSON object like {"db": "<identifier>"} or {"policy": "<name>"}, got ${JSON.stringify(input)}`);
  }
  const drilled = Object.values(settings.policies).flatMap((p) => Object.keys(p.databases));
  if ('policy' in input) {
    const parsed = scheduledInput.safeParse(input);
    if (!parsed.success) throw new InvalidInputError(formatInputIssues(parsed.error, 'policy, scheduledTime'));
    if (!settings.policies[parsed.data.policy]) {
      throw new InvalidInputError(`input.policy: "${parsed.data.policy}" has no restore drills; policies with drills: ${Object.keys(settings.policies).join(', ')}`);
    }
    return { mode: 'policy', policy: parsed.data.policy, slot: runSlot(parsed.data.scheduledTime, startTime) };
  }
  const parsed = manualInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(formatInputIssues(parsed.error, 'db, snapshot, region (or policy, scheduledTime)'));
  const { db, snapshot, region } = parsed.data;
  const policy = policyOf(db, settings);
  if (!policy) throw new InvalidInputError(`input.db: "${db}" is not drilled by this deployment; drilled databases: ${drilled.join(', ')}`);
  if (region !== undefined && region !== settings.region) {
    throw new InvalidInputError(`input.region: "${region}" has no verification network; drills run in ${settings.region}`);
  }
  if (snapshot !== undefined) {
    const m = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(snapshot|cluster-snapshot):([a-zA-Z][a-zA-Z0-9-]*)$/.exec(snapshot);
    if (!m) throw new InvalidInputError(`input.snapshot: must be a DB snapshot or cluster snapshot ARN, got "${snapshot}"`);
    if (m[2] !== accountId) throw new InvalidInputError(`input.snapshot: belongs to account ${m[2]}, not this account ${accountId}`);
    if (m[1] !== settings.region) throw new InvalidInputError(`input.snapshot: is in ${m[1]}; drills restore in ${settings.region}`);
  }
  return { mode: 'db', db, policy, slot: scheduleSlot(new Date(startTime)), snapshotArn: snapshot };
}

/** `rdsdr-verify-<db>-<yyyymmddhhmm>` within RDS's 63-character instance id limit (room for a "-1" member suffix). */
export function throwawayIdentifier(db: string, slot: Date): string {
  const clean = db.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const suffix = `-${slotStamp(slot)}`;
  const room = MAX_DB_ID - 2 - THROWAWAY_PREFIX.length - suffix.length;
  if (clean.length <= room) return `${THROWAWAY_PREFIX}${clean}${suffix}`;
  const hash = createHash('sha256').update(db).digest('hex').slice(0, 6);
  return `${THROWAWAY_PREFIX}${clean.slice(0, room - 7).replace(/-+$/, '')}-${hash}${suffix}`;
}

/** The source database id a managed snapshot was taken from (from its source-arn tag). */
export function sourceDbOf(snapshot: SnapshotInfo): string | undefined {
  return tagValueOf(snapshot.tags, TAG.sourceArn)?.split(':').pop();
}

/** Newest available rds-dr snapshot of `db` among `candidates`. */
export function newestUsableSnapshot<T extends SnapshotInfo>(candidates: T[], db: string): T | undefined {
  return candidates
    .filter((s) => s.status === 'available' && tagValueOf(s.tags, TAG.managed) === 'true' && sourceDbOf(s) === db)
    .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''))[0];
}

/**
 * The snapshot a drill of `db` restores: while `db` is active in the drill's region after a failover,
 * the newest available rds-dr snapshot the DR backup took of its promoted database (`promoted`: their
 * identifiers, lambdas/core/active-selection.ts promotedActiveIn), because that is the database that
 * is live and the one a disaster would make us restore; before its first DR backup, and for every
 * other database, the newest DR copy of `db` itself.
 */
export function drillSnapshot<T extends SnapshotInfo>(candidates: T[], db: string, promoted: readonly string[] = []): T | undefined {
  // Newest by the slot it captured (the DR backup names and tags each by its schedule slot), then by RDS's time.
  const capturedAt = (s: T) => Date.parse(tagValueOf(s.tags, TAG.slot) ?? s.createdAt ?? '') || 0;
  const live = candidates
    .filter((s) => s.status === 'available' && tagValueOf(s.tags, TAG.managed) === 'true' && promoted.includes(sourceDbOf(s) ?? ''))
    .sort((a, b) => capturedAt(b) - capturedAt(a) || Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''))[0];
  return live ?? newestUsableSnapshot(candidates, db);
}

/**
 * Why a snapshot cannot be drilled, or undefined. A Multi-AZ DB cluster (a cluster snapshot of a
 * non-Aurora engine) restores with RestoreDBClusterFromSnapshot and its own instance class and
 * storage settings, not as an Aurora cluster plus one CreateDBInstance, which is what the drill does.
 */
export function undrillable(snapshot: { kind: SnapshotKind; engine: string }): string | undefined {
  if (snapshot.kind === 'cluster' && !snapshot.engine.startsWith('aurora')) {
    return `a Multi-AZ DB cluster (engine ${snapshot.engine}): drills restore DB instances and Aurora clusters only; not drilled`;
  }
  return undefined;
}

/** What a drill of an engine the verifier does not speak is (Oracle, SQL Server, Db2): timed and cleaned up, no SQL. */
export function restoreOnlyNotice(engine: string): string {
  return `engine ${engine}: restore-only drill, no SQL checks`;
}

export interface VerificationItem {
  db: string;
  kind: SnapshotKind;
  engine: string;
  snapshotId: string;
  snapshotArn: string;
  /** When the data was captured (the original snapshot's time, not the copy's). */
  snapshotTime: string;
  restoreId: string;
  clusterInstanceId: string;
  instanceClass: string;
  subnetGroupName: string;
  securityGroupIds: string[];
  restoreTimeoutSeconds: number;
  tags: { Key: string; Value: string }[];
  checks: DatabaseChecksSettings;
  /** Set for an engine the verifier does not speak (restoreOnlyNotice): the drill restores, times and deletes. */
  restoreOnly?: string;
}

export function verificationItem(
  db: string,
  snapshot: SnapshotInfo & { engine: string; originalCreatedAt?: string },
  request: VerifyRequest,
  settings: VerificationSettings,
  executionArn: string,
  now: Date,
): VerificationItem {
  const policy = settings.policies[request.policy];
  const checks = policy.databases[db];
  const instanceClass = checks.instanceClass ?? settings.instanceClasses[snapshot.engine];
  if (!instanceClass) {
    throw new InvalidInputError(`no instance class configured for engine ${snapshot.engine} (verification.instanceClasses or the database's instanceClass)`);
  }
  const restoreId = throwawayIdentifier(db, request.slot);
  const expiresAt = new Date(now.getTime() + settings.expiryHours * 3600_000).toISOString();
  return {
    db,
    kind: snapshot.kind,
    engine: snapshot.engine,
    snapshotId: snapshot.id,
    snapshotArn: snapshot.arn,
    snapshotTime: snapshot.originalCreatedAt ?? tagValueOf(snapshot.tags, TAG.slot) ?? snapshot.createdAt ?? now.toISOString(),
    restoreId,
    clusterInstanceId: `${restoreId}-1`,
    instanceClass,
    subnetGroupName: settings.subnetGroupName,
    securityGroupIds: settings.securityGroupIds,
    restoreTimeoutSeconds: policy.restoreTimeoutSeconds,
    tags: [
      { Key: TAG.purpose, Value: PURPOSE.drill },
      { Key: TAG.expiresAt, Value: expiresAt },
      { Key: TAG.sourceSnapshot, Value: snapshot.arn },
      { Key: TAG.execution, Value: executionArn.slice(0, 256) },
    ],
    checks,
    ...(dialectOfEngine(snapshot.engine) ? {} : { restoreOnly: restoreOnlyNotice(snapshot.engine) }),
  };
}
