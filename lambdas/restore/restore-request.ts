// Pure planning of a point-in-time or snapshot restore: validate the console input, check the
// restore time against the database's restorable window, choose the snapshot, and build the plan the
// later states carry out. Nothing here touches AWS: the handler feeds it what the gateway read.
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { formatInputIssues } from '../core/input-issues.js';
import type { DatabaseChecksSettings, RuntimeSettings, SettingsWith } from '../core/settings.js';
import { slotStamp } from '../core/naming.js';
import type { DescribedSnapshot } from '../core/snapshots.js';
import type { RestorePlan, RestoreWindow, SourceFacts } from '../core/restore-plan.js';

const ALLOWED = 'db, restoreTime | snapshot, targetId, region, verify, cutover, reason';

// RDS DB instance / cluster identifiers: 1-63 letters, digits, hyphens; a letter first; no "--"; no trailing "-".
const RDS_ID = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/;
export const isRdsId = (s: string) => RDS_ID.test(s) && !s.endsWith('-');

const restoreInput = z
  .strictObject({
    db: z.string({ error: 'required: the database identifier, e.g. "orders"' }).min(1, { error: 'must not be empty' }),
    restoreTime: z.string({ error: 'must be an ISO-8601 time like "2026-11-20T14:29:00Z", or "latest"' }).optional(),
    snapshot: z.string({ error: 'must be a snapshot identifier or ARN, or "latest"' }).min(1).optional(),
    targetId: z
      .string({ error: 'required: the identifier the restored database gets, e.g. "orders-pitr-1129"' })
      // Room for the "-1" writer-instance suffix of a cluster restore.
      .refine((s) => isRdsId(s) && s.length <= 61, { error: 'must be an RDS identifier: 1-61 letters, digits or hyphens, starting with a letter, no "--", not ending in "-"' }),
    region: z.string({ error: 'must be a region name' }).optional(),
    verify: z.boolean({ error: 'must be true or false' }).default(false),
    cutover: z.boolean({ error: 'must be true or false' }).default(false),
    reason: z.string({ error: 'must be a string: why (what happened, incident ticket)' }).trim().min(1, { error: 'must not be empty' }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.restoreTime === undefined) === (v.snapshot === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['restoreTime'], message: 'give exactly one of restoreTime (ISO-8601 or "latest") and snapshot (id, ARN or "latest")' });
    }
    if (v.cutover && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required with cutover: true (it replaces the live database); say why and name the incident' });
    if (v.targetId === v.db) ctx.addIssue({ code: 'custom', path: ['targetId'], message: `must differ from db "${v.db}": restore into a new identifier (cutover: true then swaps it in)` });
  });

export type RestoreSource = { type: 'pitr'; time: 'latest' | string } | { type: 'snapshot'; ref: 'latest' | string };

export interface RestoreRequest {
  db: string;
  source: RestoreSource;
  targetId: string;
  region: string;
  verify: boolean;
  cutover: boolean;
  reason?: string;
}

/** Validates the console input; `workflowRegion` is where this deployment of the workflow runs. */
export function parseRestoreRequest(input: unknown, settings: RuntimeSettings, workflowRegion: string): RestoreRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError(`input must be a JSON object like {"db": "orders", "restoreTime": "2026-11-20T14:29:00Z", "targetId": "orders-pitr-1429"}, got ${JSON.stringify(input)}`);
  }
  const parsed = restoreInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(formatInputIssues(parsed.error, ALLOWED));
  const v = parsed.data;
  const region = v.region ?? workflowRegion;
  if (region !== settings.primaryRegion && region !== settings.drRegion) {
    throw new InvalidInputError(`input.region: "${region}" is not in this deployment; allowed: ${settings.primaryRegion} (primary), ${settings.drRegion} (DR)`);
  }
  if (region !== workflowRegion) {
    throw new InvalidInputError(`input.region: this workflow restores in ${workflowRegion}, where it runs; start the ${settings.appName}-restore state machine in ${region} instead`);
  }
  if (v.restoreTime !== undefined && v.restoreTime !== 'latest' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v.restoreTime)) {
    throw new InvalidInputError(`input.restoreTime: "${v.restoreTime}" is not an ISO-8601 time with a zone, e.g. "2026-11-20T14:29:00Z"; or use "latest"`);
  }
  if (v.restoreTime !== undefined && v.restoreTime !== 'latest' && (Number.isNaN(Date.parse(v.restoreTime)) || !isCalendarDate(v.restoreTime))) {
    throw new InvalidInputError(`input.restoreTime: "${v.restoreTime}" is not a valid date`);
  }
  if (v.verify && !checksFor(v.db, settings)) {
    const where = settings.verification ? `no checks are configured for "${v.db}" (policies.<name>.verify.databases.${v.db})` : 'this deployment has no verification network (config verification)';
    throw new InvalidInputError(`input.verify: cannot verify: ${where}`);
  }
  if (v.verify && settings.verification && workflowRegion !== settings.verification.region) {
    throw new InvalidInputError(`input.verify: the verifier runs in ${settings.verification.region} (the verification network); restore there to verify, or set verify: false and check the target yourself`);
  }
  return {
    db: v.db,
    source: v.restoreTime !== undefined ? { type: 'pitr', time: v.restoreTime } : { type: 'snapshot', ref: v.snapshot! },
    targetId: v.targetId,
    region,
    verify: v.verify,
    cutover: v.cutover,
    reason: v.reason,
  };
}

/** Date.parse rolls 2026-02-30 over to March 2; a restore time must name a real day and time. */
function isCalendarDate(iso: string): boolean {
  const [y, m, d, hh, mm] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13), iso.slice(14, 16)].map(Number);
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth && hh <= 23 && mm <= 59;
}

/** The drill checks configured for `db`, if any (the restore's verify runs the same checks). */
export function checksFor(db: string, settings: RuntimeSettings): DatabaseChecksSettings | undefined {
  for (const policy of Object.values(settings.verification?.policies ?? {})) if (policy.databases[db]) return policy.databases[db];
  return undefined;
}

/**
 * The time to restore to, checked against the restorable window. `latest` restores to
 * LatestRestorableTime (RDS's UseLatestRestorableTime). The bounds are inclusive.
 */
export function checkRestoreTime(time: 'latest' | string, window: RestoreWindow | undefined, now: Date): { useLatest: true } | { restoreTime: string } {
  if (!window?.earliest || !window.latest) {
    throw new InvalidInputError('input.restoreTime: the database has no restorable window here (automated backups off, or not replicated to this region); restore from a snapshot instead');
  }
  const shown = `[${window.earliest}, ${window.latest}]`;
  if (time === 'latest') return { useLatest: true };
  const t = Date.parse(time);
  if (t > now.getTime()) throw new InvalidInputError(`input.restoreTime: ${new Date(t).toISOString()} is in the future (now ${now.toISOString()}); restorable window ${shown}`);
  if (t < Date.parse(window.earliest) || t > Date.parse(window.latest)) {
    throw new InvalidInputError(`input.restoreTime: ${new Date(t).toISOString()} is outside the restorable window ${shown}`);
  }
  return { restoreTime: new Date(t).toISOString() };
}

/** The snapshot to restore: a named one of this database (id or ARN), or its newest available managed one. */
export function chooseSnapshot(ref: 'latest' | string, db: string, snapshots: DescribedSnapshot[]): DescribedSnapshot {
  const own = snapshots.filter((s) => s.sourceDbId === db);
  if (ref === 'latest') {
    const newest = own
      .filter((s) => s.status === 'available' && s.id.startsWith('rdsdr-') && !s.id.startsWith('rdsdr-verify-'))
      .sort((a, b) => (b.originalCreatedAt ?? b.createdAt ?? '').localeCompare(a.originalCreatedAt ?? a.createdAt ?? ''))[0];
    if (!newest) throw new InvalidInputError(`input.snapshot: "latest": no available rds-dr snapshot of "${db}" in this region`);
    return newest;
  }
  const named = snapshots.find((s) => s.id === ref || s.arn === ref);
  if (!named) throw new InvalidInputError(`input.snapshot: "${ref}" not found in this region`);
  if (named.sourceDbId !== db) throw new InvalidInputError(`input.snapshot: "${ref}" is a snapshot of "${named.sourceDbId}", not of "${db}"`);
  if (named.status !== 'available') throw new InvalidInputError(`input.snapshot: "${ref}" is "${named.status}", not available`);
  return named;
}

export function buildRestorePlan(args: {
  request: RestoreRequest;
  source: SourceFacts;
  settings: SettingsWith<'policies'>;
  executionArn: string;
  executionStartTime: string;
  now: Date;
  snapshots: DescribedSnapshot[];
}): RestorePlan {
  const { request, source, settings, now } = args;
  const base = {
    db: request.db,
    kind: source.kind,
    region: request.region,
    targetId: request.targetId,
    memberId: source.kind === 'cluster' ? `${request.targetId}-1` : undefined,
    sourceArn: source.arn,
    engine: source.engine,
    instanceClass: source.instanceClass,
    subnetGroup: source.subnetGroup,
    securityGroupIds: source.securityGroupIds,
    parameterGroup: source.parameterGroup,
    verify: request.verify,
    checks: request.verify ? checksFor(request.db, settings) : undefined,
    cutover: request.cutover ? (settings.incident?.databases[request.db]?.cutover ?? 'rename') : undefined,
    replacedId: undefined as string | undefined,
    // Always a string: the workflow passes it on with a JSONPath, which fails on a missing field.
    reason: request.reason ?? '',
    executionArn: args.executionArn,
    timeoutSeconds: settings.incident?.waitTimeoutSeconds ?? 3 * 3600,
  };
  if (base.cutover === 'endpoint' && !settings.incident?.databases[request.db]?.endpoint) {
    throw new InvalidInputError(`input.cutover: "${request.db}" has cutover "endpoint" but no incident.databases.${request.db}.endpoint`);
  }
  if (request.verify && base.cutover && source.managesMasterPassword === false) {
    // The verifier logs in with an RDS-managed password, which replaces the master password the
    // applications use; RDS turns it back only given that password, which rds-dr never has.
    throw new InvalidInputError(
      `input.verify: "${request.db}" does not use an RDS-managed master password, and verifying would give the restored database one: after the cutover the applications' password would no longer work. ` +
        'Restore with verify: false to cut over, or verify without cutover: true and cut over by hand',
    );
  }
  if (base.cutover === 'rename') base.replacedId = replacedIdentifier(request.db, new Date(args.executionStartTime));
  if (request.source.type === 'pitr') {
    const when = checkRestoreTime(request.source.time, source.window, now);
    return {
      ...base,
      mode: 'pitr',
      automatedBackupsArn: source.automatedBackupsArn,
      ...('useLatest' in when ? { useLatest: true } : { restoreTime: when.restoreTime }),
      dataAsOf: 'useLatest' in when ? (source.window?.latest ?? now.toISOString()) : when.restoreTime,
    };
  }
  const snapshot = chooseSnapshot(request.source.ref, request.db, args.snapshots);
  if (snapshot.kind !== source.kind) throw new InvalidInputError(`input.snapshot: "${snapshot.id}" is a ${snapshot.kind} snapshot but "${request.db}" is a ${source.kind}`);
  return {
    ...base,
    mode: 'snapshot',
    snapshotArn: snapshot.arn,
    snapshotId: snapshot.id,
    engine: snapshot.engine || source.engine,
    dataAsOf: snapshot.originalCreatedAt ?? snapshot.createdAt ?? now.toISOString(),
  };
}

/** `<db>-replaced-<yyyymmddhhmm>` (execution start), trimmed to RDS's 63 characters. */
export function replacedIdentifier(db: string, at: Date): string {
  const suffix = `-replaced-${slotStamp(at)}`;
  return `${db.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

