// Pure planning of a failover: validate the console input, resolve the configured standby, and
// decide whether the database is protected by this deployment. Nothing here touches AWS.
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { incidentRequestFields, parseIncidentRequest, type IncidentRequest } from '../core/incident-request.js';
import type { RuntimeSettings } from '../core/settings.js';

const ALLOWED = 'db, reason, dryRun, force';

const failoverInput = z.strictObject({
  ...incidentRequestFields({
    db: 'the database identifier in the primary region, e.g. "orders"',
    action: 'fail over',
    reasonExamples: 'what happened, incident ticket',
    reasonLogged: 'with the promotion',
  }),
  force: z.boolean({ error: 'must be true or false' }).default(false),
});

export interface FailoverRequest extends IncidentRequest {
  force: boolean;
}

export type StandbyRef =
  /** Cross-region read replica of an RDS instance, in drRegion. */
  | { type: 'replica'; id: string; arn: string }
  /** Secondary cluster (in drRegion) of an Aurora global database. */
  | { type: 'global'; globalCluster: string; id: string; arn: string };

export interface FailoverPlan extends FailoverRequest {
  kind: 'instance' | 'cluster';
  executionArn: string;
  primaryRegion: string;
  drRegion: string;
  primaryArn: string;
  standby: StandbyRef;
  maxReplicaLagSeconds: number;
  waitTimeoutSeconds: number;
  /** How protection by this deployment was established (for the timeline). */
  protection: string;
  /** Automated-backup retention the promoted replica gets: the database's PITR objective (incident.databases.<db>.pitr.minRetentionDays). */
  backupRetentionDays?: number;
}


/** Validates {"db", "reason", "dryRun"?, "force"?}; the message names the bad field. */
export function parseFailoverRequest(input: unknown): FailoverRequest {
  return parseIncidentRequest(failoverInput, input, ALLOWED, '{"db": "orders", "reason": "us-east-1 outage INC-123", "dryRun": true}');
}

/**
 * Resolves the standby of `request.db` from `incident.databases`; throws InvalidInput (naming
 * input.db) when the database has no standby configured.
 */
export function resolveFailoverPlan(request: FailoverRequest, settings: RuntimeSettings, executionArn: string, protection: string): FailoverPlan {
  const account = executionArn.split(':')[4] ?? '';
  const incident = settings.incident;
  const standby = incident?.databases[request.db]?.standby;
  if (!incident || !standby) {
    const withStandby = Object.entries(incident?.databases ?? {}).filter(([, d]) => d.standby).map(([db]) => db);
    throw new InvalidInputError(
      `input.db: "${request.db}" has no standby configured (incident.databases.${request.db}.standby); ` +
        `databases with a standby: ${withStandby.join(', ') || 'none'}. Without a standby, restore the newest DR copy instead (restore workflow).`,
    );
  }
  const { primaryRegion, drRegion } = settings;
  const arn = (region: string, type: 'db' | 'cluster', id: string) => `arn:aws:rds:${region}:${account}:${type}:${id}`;
  const kind = 'replicaInstance' in standby ? 'instance' : 'cluster';
  return {
    ...request,
    kind,
    executionArn,
    primaryRegion,
    drRegion,
    primaryArn: arn(primaryRegion, kind === 'instance' ? 'db' : 'cluster', request.db),
    standby:
      'replicaInstance' in standby
        ? { type: 'replica', id: standby.replicaInstance, arn: arn(drRegion, 'db', standby.replicaInstance) }
        : { type: 'global', globalCluster: standby.globalCluster, id: standby.secondaryCluster, arn: arn(drRegion, 'cluster', standby.secondaryCluster) },
    maxReplicaLagSeconds: incident.databases[request.db].maxReplicaLagSeconds,
    waitTimeoutSeconds: incident.waitTimeoutSeconds,
    protection,
    backupRetentionDays: incident.databases[request.db].pitr.minRetentionDays,
  };
}

export function notProtectedError(db: string, kind: string, how: string): InvalidInputError {
  return new InvalidInputError(`input.db: "${db}" (${kind}) is not protected by this deployment: ${how}. Check the identifier, or add it to a policy's selection.`);
}
