// PITR readiness, pure: is each protected database restorable to a point in time with enough history,
// and (where asked) are its automated backups replicated to the DR region? SDK-free; see lambdas/aws/pitr-gateway.ts.
import type { RuntimeSettings } from './settings.js';
import { type Alert } from './alert.js';

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

/** What RDS says about a database's automated backups. */
export interface PitrFacts {
  /** 0 = automated backups off. */
  backupRetentionPeriod: number;
  /** Instances only: replication of automated backups to drRegion is running (or starting). */
  replicatedToDr?: boolean;
  /** Instances only, where known: the replicated backups' retention in drRegion. */
  drRetentionDays?: number;
}

/** Reads PITR facts from RDS and starts replication (lambdas/aws/pitr-gateway.ts). */
export interface PitrGateway {
  facts(db: ProtectedDatabase): Promise<PitrFacts>;
  /** StartDBInstanceAutomatedBackupsReplication, called in the DR region. */
  startReplication(db: ProtectedDatabase, retentionDays: number): Promise<void>;
}

export type ShortfallKind = 'backups-off' | 'retention-short' | 'not-replicated' | 'replication-unsupported' | 'unreadable';

export interface Shortfall {
  db: string;
  kind: ShortfallKind;
  /** One line: what is wrong, the current value vs the objective. */
  detail: string;
  /** Set when pitr.enforce started the replication in this run. */
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
    } else if (!facts.replicatedToDr) {
      out.push({ db: db.id, kind: 'not-replicated', detail: 'automated backups are NOT replicated to the DR region (pitr.replicateToDr is set)' });
    }
  }
  return out;
}

/** Replication can be started only for an instance whose automated backups are on. */
export function shouldStartReplication(db: ProtectedDatabase, facts: PitrFacts, req: PitrRequirement): boolean {
  return req.enforce && req.replicateToDr && db.kind === 'instance' && !facts.replicatedToDr && facts.backupRetentionPeriod > 0;
}

export interface PitrSummary {
  checked: number;
  shortfalls: Shortfall[];
  started: string[];
}

export function formatPitrWarning(summary: PitrSummary, ctx: { appName: string; policy: string; primaryRegion: string; drRegion: string }): Alert {
  const dbs = [...new Set(summary.shortfalls.map((s) => s.db))];
  const link = (db: string) => `https://${ctx.primaryRegion}.console.aws.amazon.com/rds/home?region=${ctx.primaryRegion}#database:id=${db};tab=maintenance-and-backups`;
  const subject = `[${ctx.appName}] PITR readiness: ${dbs.length} database(s) short (${dbs.join(', ')})`.replace(/[^\x20-\x7e]/g, '').slice(0, 99);
  const message = [
    `${ctx.appName}: PITR readiness check of backup policy "${ctx.policy}" in ${ctx.primaryRegion} (DR region ${ctx.drRegion}): ` +
      `${dbs.length} of ${summary.checked} database(s) fall short. Snapshots and copies are not affected.`,
    '',
    ...dbs.flatMap((db) => [
      `${db}:`,
      ...summary.shortfalls.filter((s) => s.db === db).map((s) => `  - ${s.detail}${s.remedied ? ` -> ${s.remedied}` : ''}`),
      `  Console: ${link(db)}`,
    ]),
    '',
    'Fix: raise the backup retention (ModifyDBInstance / ModifyDBCluster BackupRetentionPeriod) or start the replication ' +
      '(set pitr.enforce to let the backup run do it).',
    `Runbook: ${PITR_SECTION} ("PITR readiness shortfall").`,
  ].join('\n');
  return { subject, message, severity: 'warning' };
}
