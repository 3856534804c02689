import { assessPitr, formatPitrWarning, requirementFor, shouldStartReplication, type PitrSummary, type ProtectedDatabase, type Shortfall, type PitrGateway } from '../core/pitr-readiness.js';
import type { RuntimeSettings } from '../core/settings.js';
import { type AlertPublisher } from '../core/alert.js';

export interface PitrCheckInput {
  policy: string;
  databases: ProtectedDatabase[];
}

export interface PitrLog {
  warn(message: string, extra: Record<string, unknown>): void;
}

/**
 * Checks every database, one at a time (the RDS API budget is shared); one database's error is its own
 * shortfall, never the others' and never the backup's. Publishes one warning when anything falls short.
 */
export async function checkPitrReadiness(
  input: PitrCheckInput,
  deps: { settings: Pick<RuntimeSettings, 'incident' | 'appName' | 'primaryRegion' | 'drRegion'>; gateway: PitrGateway; warnings: AlertPublisher; log: PitrLog },
): Promise<PitrSummary & { warningId?: string }> {
  const shortfalls: Shortfall[] = [];
  const started: string[] = [];
  for (const db of input.databases) {
    const req = requirementFor(deps.settings, db.id);
    try {
      const facts = await deps.gateway.facts(db);
      const found = assessPitr(db, facts, req);
      if (shouldStartReplication(db, facts, req)) {
        const days = Math.max(req.minRetentionDays, facts.backupRetentionPeriod);
        try {
          await deps.gateway.startReplication(db, days);
          started.push(db.id);
          for (const s of found.filter((f) => f.kind === 'not-replicated')) s.remedied = `started replication to ${deps.settings.drRegion} (pitr.enforce, retention ${days} days)`;
          deps.log.warn('started automated backup replication', { db: db.id, who: 'rds-dr backup', what: `StartDBInstanceAutomatedBackupsReplication ${db.arn}`, why: 'pitr.enforce', region: deps.settings.drRegion });
        } catch (err) {
          for (const s of found.filter((f) => f.kind === 'not-replicated')) s.remedied = `could NOT start replication: ${(err as Error).name}: ${(err as Error).message}`;
        }
      }
      shortfalls.push(...found);
    } catch (err) {
      shortfalls.push({ db: db.id, kind: 'unreadable', detail: `could not read its backup settings: ${(err as Error).name}: ${(err as Error).message}` });
    }
  }
  const summary: PitrSummary = { checked: input.databases.length, shortfalls, started };
  for (const s of shortfalls) deps.log.warn('PITR readiness shortfall', { db: s.db, kind: s.kind, detail: s.detail, remedied: s.remedied });
  if (shortfalls.length === 0) return summary;
  const warningId = await deps.warnings.publish(formatPitrWarning(summary, { ...deps.settings, policy: input.policy }));
  return { ...summary, warningId };
}
