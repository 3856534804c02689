// Pure pre-checks of a failback and the placement of the primary-region replica. Every check is
// evaluated (a dry run reports each); a failed one names what to do.
import type { FailbackPlan } from './failback-plan.js';
import { PreCheckFailedError } from '../core/errors.js';
import { createdFrom, type InstanceDetails, type ReplicaPlacement } from '../core/replicas.js';

export type FailbackCheckName = 'source-writable' | 'primary-region-reachable' | 'target-name' | 'placement' | 'dr-standby-name';

export interface FailbackCheck {
  name: FailbackCheckName;
  result: 'pass' | 'fail';
  detail: string;
}

/** What the checks observed in both regions. */
export interface FailbackObservation {
  source?: InstanceDetails;
  primary: { reachable: true; target?: InstanceDetails; original?: InstanceDetails } | { reachable: false; error: string };
  drStandby?: InstanceDetails;
}

/** Where the failback stands in the primary region: nothing yet, a replica of the DR writer, or that replica promoted. */
export type TargetStage = 'absent' | 'replicating' | 'promoted' | 'foreign';

/** The placement the replica is created with, and where each value came from. */
export interface ResolvedPlacement extends ReplicaPlacement {
  from: Partial<Record<keyof ReplicaPlacement, string>>;
}

export function targetStage(plan: FailbackPlan, target: InstanceDetails | undefined): TargetStage {
  if (!target) return 'absent';
  if (!createdFrom(target, plan.source.arn, plan.source.id)) return 'foreign';
  return target.replicaSource ? 'replicating' : 'promoted';
}

const FIELDS: (keyof ReplicaPlacement)[] = ['kmsKeyId', 'subnetGroupName', 'securityGroupIds', 'parameterGroupName'];

/** Config first (incident.databases.<db>.failback), else what the original primary still records. */
export function resolvePlacement(plan: FailbackPlan, original: InstanceDetails | undefined): ResolvedPlacement {
  const placement: ResolvedPlacement = { from: {} };
  const recorded = original && !createdFrom(original, plan.source.arn, plan.source.id) ? original : undefined;
  for (const field of FIELDS) {
    const configured = plan.configuredPlacement[field];
    const fromOriginal = recorded?.[field];
    const value = configured ?? (Array.isArray(fromOriginal) && fromOriginal.length === 0 ? undefined : fromOriginal);
    if (value === undefined) continue;
    (placement as unknown as Record<string, unknown>)[field] = value;
    placement.from[field] = configured !== undefined ? `config incident.databases.${plan.db}.failback.${field}` : `recorded on ${plan.original.id} in ${plan.primaryRegion}`;
  }
  return placement;
}

export function describePlacement(p: ResolvedPlacement): string {
  const shown = FIELDS.filter((f) => p[f] !== undefined).map((f) => `${f} ${Array.isArray(p[f]) ? (p[f] as string[]).join(',') : p[f]} (${p.from[f]})`);
  return shown.join(', ') || 'RDS defaults';
}

function sourceCheck(plan: FailbackPlan, source: InstanceDetails | undefined): FailbackCheck {
  const name = 'source-writable';
  if (!source) return { name, result: 'fail', detail: `${plan.source.id} not found in ${plan.drRegion}: nothing to fail back from; check incident.databases.${plan.db}.standby.replicaInstance` };
  if (source.replicaSource) {
    return { name, result: 'fail', detail: `${plan.source.id} in ${plan.drRegion} is still a read replica of ${source.replicaSource}, not a promoted writer: no failover happened, nothing to fail back` };
  }
  if (source.status !== 'available') return { name, result: 'fail', detail: `${plan.source.id} in ${plan.drRegion} is ${source.status}, not available; wait until it is available and re-run` };
  return { name, result: 'pass', detail: `${plan.source.id} in ${plan.drRegion} is available and writable (a standalone instance)` };
}

function reachableCheck(plan: FailbackPlan, obs: FailbackObservation): FailbackCheck {
  const name = 'primary-region-reachable';
  if (!obs.primary.reachable) return { name, result: 'fail', detail: `${plan.primaryRegion} RDS did not answer (${obs.primary.error}); fail back once the region has recovered` };
  return { name, result: 'pass', detail: `${plan.primaryRegion} RDS answers` };
}

function targetCheck(plan: FailbackPlan, obs: FailbackObservation): FailbackCheck {
  const name = 'target-name';
  if (!obs.primary.reachable) return { name, result: 'fail', detail: `not checked: ${plan.primaryRegion} unreachable` };
  const target = obs.primary.target;
  const stage = targetStage(plan, target);
  if (stage === 'absent') return { name, result: 'pass', detail: `no instance ${plan.target.id} in ${plan.primaryRegion}: the replica will be created with that name` };
  if (stage === 'replicating') return { name, result: 'pass', detail: `${plan.target.id} in ${plan.primaryRegion} is already our replica of ${plan.source.id} (${target!.status}): reused` };
  if (stage === 'promoted') return { name, result: 'pass', detail: `${plan.target.id} in ${plan.primaryRegion} was created by a failback from ${plan.source.id} and is already promoted (${target!.status})` };
  const what = target!.replicaSource ? `a read replica of ${target!.replicaSource}` : plan.target.id === plan.original.id ? 'the original primary (stale since the failover)' : 'a standalone instance';
  return {
    name,
    result: 'fail',
    detail:
      `${plan.target.id} in ${plan.primaryRegion} exists and is ${what}, not a replica of ${plan.source.arn}: rename it (e.g. to ${plan.target.id}-pre-failback) or delete it ` +
      `after a final snapshot, or set incident.databases.${plan.db}.failback.replicaInstance to another name; then re-run`,
  };
}

function placementCheck(plan: FailbackPlan, obs: FailbackObservation, placement: ResolvedPlacement): FailbackCheck {
  const name = 'placement';
  if (!obs.primary.reachable) return { name, result: 'fail', detail: `not resolved: ${plan.primaryRegion} unreachable` };
  const stage = targetStage(plan, obs.primary.target);
  if (stage === 'replicating' || stage === 'promoted') return { name, result: 'pass', detail: `not needed: ${plan.target.id} exists (${describePlacement(placement)})` };
  const missing: string[] = [];
  if (!placement.subnetGroupName) missing.push('subnetGroupName (the DB subnet group in the original VPC)');
  if (obs.source?.storageEncrypted && !placement.kmsKeyId) missing.push(`kmsKeyId (a ${plan.primaryRegion} KMS key: ${plan.source.id} is encrypted)`);
  if (missing.length > 0) {
    return {
      name,
      result: 'fail',
      detail:
        `unresolved ${missing.join(', ')}: ${obs.primary.original ? `${plan.original.id} in ${plan.primaryRegion} does not record it` : `${plan.original.id} no longer exists in ${plan.primaryRegion}`}; ` +
        `set incident.databases.${plan.db}.failback.${missing.map((m) => m.split(' ')[0]).join(' / ')} and redeploy`,
    };
  }
  return { name, result: 'pass', detail: describePlacement(placement) };
}

function drStandbyCheck(plan: FailbackPlan, obs: FailbackObservation): FailbackCheck {
  const name = 'dr-standby-name';
  const standby = obs.drStandby;
  if (!standby) return { name, result: 'pass', detail: `no instance ${plan.drStandby.id} in ${plan.drRegion}: the new standby will be created with that name` };
  if (createdFrom(standby, plan.target.arn, plan.target.id)) return { name, result: 'pass', detail: `${plan.drStandby.id} in ${plan.drRegion} is already the standby of ${plan.target.id}: reused` };
  return {
    name,
    result: 'fail',
    detail: `${plan.drStandby.id} in ${plan.drRegion} exists and is not a replica of ${plan.target.arn}: delete or rename it, or set incident.databases.${plan.db}.failback.standbyInstance to another name`,
  };
}

export function evaluateChecks(plan: FailbackPlan, obs: FailbackObservation): { checks: FailbackCheck[]; placement: ResolvedPlacement } {
  const placement = resolvePlacement(plan, obs.primary.reachable ? obs.primary.original : undefined);
  // Once the failback has switched, the DR instance is no longer the writer of record but still a standalone instance: the check holds.
  return {
    checks: [sourceCheck(plan, obs.source), reachableCheck(plan, obs), targetCheck(plan, obs), placementCheck(plan, obs, placement), drStandbyCheck(plan, obs)],
    placement,
  };
}

/** Throws the error the workflow fails with, naming each failed check. */
export function assertChecksPass(plan: FailbackPlan, checks: FailbackCheck[]): void {
  const failed = checks.filter((c) => c.result === 'fail');
  if (failed.length > 0) {
    throw new PreCheckFailedError(`failback of ${plan.db} stopped before any change: ${failed.map((c) => `pre-check ${c.name} failed: ${c.detail}`).join('; ')}`);
  }
}
