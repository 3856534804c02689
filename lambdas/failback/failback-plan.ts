// Pure planning of a failback: validate the console input and resolve, from the deployment settings,
// the promoted DR instance, the replica to create in the primary region, the new DR standby and the
// configured placement — or, for an Aurora global database, the global cluster, its DR writer and the
// original cluster to switch back to. Nothing here touches AWS.
import { z } from 'zod';
import { activeRegionParameterName } from '../core/active-region.js';
import { InvalidInputError } from '../core/errors.js';
import { incidentRequestFields, parseIncidentRequest, type IncidentRequest } from '../core/incident-request.js';
import type { ReplicaPlacement } from '../core/replicas.js';
import type { RuntimeSettings } from '../core/settings.js';

const ALLOWED = 'db, reason, dryRun, switch';

const failbackInput = z.strictObject({
  ...incidentRequestFields({
    db: 'the database identifier in the primary region (the key of incident.databases), e.g. "orders"',
    action: 'fail back now',
    reasonExamples: 'incident ticket, change window',
    reasonLogged: 'with every change',
  }),
  switch: z.boolean({ error: 'must be true or false (true: phase 2, switch the writer back to the primary region at your go)' }).default(false),
});

export interface FailbackRequest extends IncidentRequest {
  /** The operator's go for phase 2 (stop writes, promote, cut over, new DR standby; or the global switchover). */
  switch: boolean;
}

export interface InstanceRef {
  id: string;
  arn: string;
  region: string;
}

/** The failback of a database whose standby is a cross-region read replica (standby.replicaInstance). */
export interface FailbackPlan extends FailbackRequest {
  kind: 'instance';
  executionArn: string;
  primaryRegion: string;
  drRegion: string;
  /** The DR instance the failover promoted: the writer now, and the source of the failback replica. */
  source: InstanceRef;
  /** The replica created in the primary region; promoted in phase 2, it becomes the primary. */
  target: InstanceRef;
  /** The original primary (`db` in the primary region), whose recorded placement fills what config leaves out. */
  original: InstanceRef;
  /** The new standby: a read replica of the new primary in the DR region. */
  drStandby: InstanceRef;
  /** Placement of the primary-region replica from incident.databases.<db>.failback. */
  configuredPlacement: ReplicaPlacement;
  /** The DR key the new standby is encrypted with. */
  drKmsKeyId: string;
  maxReplicaLagSeconds: number;
  waitTimeoutSeconds: number;
  /** After writes stop, how long clients may still resolve the old writer (the CNAME's TTL). */
  drainSeconds: number;
  activeRegionParameter: string;
  /** Automated-backup retention the promoted replica gets: the database's PITR objective (incident.databases.<db>.pitr.minRetentionDays). */
  backupRetentionDays?: number;
}

/**
 * The failback of an Aurora global database (standby.globalCluster): a switchover back to the original
 * cluster in the primary region, which the failover left as (or which rejoined as) a secondary.
 */
export interface GlobalFailbackPlan extends FailbackRequest {
  kind: 'global';
  executionArn: string;
  primaryRegion: string;
  drRegion: string;
  globalCluster: string;
  /** The cluster the failover made the writer (standby.secondaryCluster, DR region). */
  source: InstanceRef;
  /** The original primary cluster (`db` in the primary region): the switchover's target. */
  target: InstanceRef;
  maxReplicaLagSeconds: number;
  waitTimeoutSeconds: number;
  activeRegionParameter: string;
}

export type AnyFailbackPlan = FailbackPlan | GlobalFailbackPlan;

/** Validates {"db", "reason", "dryRun"?, "switch"?}; the message names the bad field. */
export function parseFailbackRequest(input: unknown): FailbackRequest {
  return parseIncidentRequest(failbackInput, input, ALLOWED, '{"db": "orders", "reason": "us-east-1 recovered CHG-42", "dryRun": true}');
}

/**
 * Resolves the failback of `request.db`; throws InvalidInput naming input.db when the database has no
 * standby (nothing was promoted in the DR region).
 */
export function resolveFailbackPlan(request: FailbackRequest, settings: RuntimeSettings, executionArn: string): AnyFailbackPlan {
  const account = executionArn.split(':')[4] ?? '';
  const incident = settings.incident;
  const database = incident?.databases[request.db];
  const standby = database?.standby;
  if (!incident || !database || !standby) {
    const withStandby = Object.entries(incident?.databases ?? {}).filter(([, d]) => d.standby).map(([db]) => db);
    throw new InvalidInputError(
      `input.db: "${request.db}" has no standby configured (incident.databases.${request.db}.standby), so no failover promoted anything to fail back from; ` +
        `databases that can fail back: ${withStandby.join(', ') || 'none'}.`,
    );
  }
  if (!('replicaInstance' in standby)) {
    // A switchover stops writes itself (RDS waits for the secondary to catch up), so no endpoint is needed to switch.
    const { primaryRegion, drRegion } = settings;
    return {
      ...request,
      kind: 'global',
      executionArn,
      primaryRegion,
      drRegion,
      globalCluster: standby.globalCluster,
      source: { id: standby.secondaryCluster, region: drRegion, arn: `arn:aws:rds:${drRegion}:${account}:cluster:${standby.secondaryCluster}` },
      target: { id: request.db, region: primaryRegion, arn: `arn:aws:rds:${primaryRegion}:${account}:cluster:${request.db}` },
      maxReplicaLagSeconds: database.maxReplicaLagSeconds,
      waitTimeoutSeconds: incident.waitTimeoutSeconds,
      activeRegionParameter: activeRegionParameterName(settings.appName, request.db),
    };
  }
  if (request.switch && !database.endpoint) {
    // Writes are stopped by moving the endpoint to the read-only replica: without one there is no way to stop them.
    throw new InvalidInputError(
      `input.switch: ${request.db} has no writer endpoint configured (incident.databases.${request.db}.endpoint), so the failback can neither stop writes ` +
        'nor cut applications over; configure the endpoint and redeploy, or run phase 1 only and switch by hand (docs/RUNBOOK.md, Failback).',
    );
  }
  const { primaryRegion, drRegion } = settings;
  const ref = (region: string, id: string): InstanceRef => ({ id, region, arn: `arn:aws:rds:${region}:${account}:db:${id}` });
  const failback = database.failback ?? {};
  return {
    ...request,
    kind: 'instance',
    executionArn,
    primaryRegion,
    drRegion,
    source: ref(drRegion, standby.replicaInstance),
    target: ref(primaryRegion, failback.replicaInstance ?? request.db),
    original: ref(primaryRegion, request.db),
    drStandby: ref(drRegion, failback.standbyInstance ?? `${request.db}-standby`),
    configuredPlacement: {
      kmsKeyId: failback.kmsKeyId,
      subnetGroupName: failback.subnetGroupName,
      securityGroupIds: failback.securityGroupIds,
      parameterGroupName: failback.parameterGroupName,
    },
    drKmsKeyId: settings.drKmsKeyId,
    maxReplicaLagSeconds: database.maxReplicaLagSeconds,
    waitTimeoutSeconds: incident.waitTimeoutSeconds,
    drainSeconds: database.endpoint?.route53?.ttl ?? 0,
    activeRegionParameter: activeRegionParameterName(settings.appName, request.db),
    backupRetentionDays: database.pitr.minRetentionDays,
  };
}

/** One line for the plan step of the timeline. */
export function describePlan(plan: AnyFailbackPlan): string {
  const mode = plan.dryRun ? 'dry run' : 'real';
  if (plan.kind === 'global') {
    const phases = plan.switch ? 'checks and switchover' : 'checks only (start again with switch: true to switch over)';
    return (
      `${mode} failback of Aurora global database ${plan.db}: ${phases}; SwitchoverGlobalCluster ${plan.globalCluster} from ${plan.source.id} (${plan.drRegion}) ` +
      `back to ${plan.target.id} (${plan.primaryRegion}); reason: ${plan.reason}`
    );
  }
  const phases = plan.switch ? 'prepare and switch' : 'prepare only (start again with switch: true to switch)';
  return (
    `${mode} failback of ${plan.db}: ${phases}; replica ${plan.target.id} in ${plan.primaryRegion} of ${plan.source.id} (${plan.drRegion}), ` +
    `new DR standby ${plan.drStandby.id}; reason: ${plan.reason}`
  );
}
