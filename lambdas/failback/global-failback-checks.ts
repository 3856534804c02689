// Pre-checks of an Aurora global database's failback (a switchover back to the original cluster in
// the primary region). Every check is evaluated (a dry run reports each); a failed one names what to do.
import type { GlobalFailbackPlan } from './failback-plan.js';
import { PreCheckFailedError } from '../core/errors.js';
import { globalRoleOf, LAG_WINDOW_MINUTES, lagMetricFor, type ClusterFacts, type GlobalClusterFacts, type StandbyGateway } from '../core/standby.js';

export type GlobalFailbackCheckName = 'global-cluster' | 'primary-cluster-member' | 'primary-cluster-available' | 'replica-lag';

export interface GlobalFailbackCheck {
  name: GlobalFailbackCheckName;
  result: 'pass' | 'fail';
  detail: string;
}

/** What the checks observed: the global cluster (read in the DR region), the primary-region cluster and its lag. */
export interface GlobalFailbackObservation {
  global?: GlobalClusterFacts;
  primary: { reachable: true; cluster?: ClusterFacts; lagSeconds?: number } | { reachable: false; error: string };
}

/**
 * The global cluster from the DR region (the writer's region, which answers); the original cluster and
 * its AuroraGlobalDBReplicationLag from the primary region, "unreachable" instead of throwing. The lag
 * is read only once the region answered: a down region must not hold the checks up twice.
 */
export async function observeGlobalFailback(plan: GlobalFailbackPlan, gateway: StandbyGateway): Promise<GlobalFailbackObservation> {
  const primary = async (): Promise<GlobalFailbackObservation['primary']> => {
    try {
      const cluster = await gateway.describeCluster(plan.primaryRegion, plan.target.id);
      const lagSeconds = cluster ? await gateway.replicaLagSeconds(plan.primaryRegion, lagMetricFor({ type: 'global', id: plan.target.id }), LAG_WINDOW_MINUTES) : undefined;
      return { reachable: true, cluster, lagSeconds };
    } catch (err) {
      return { reachable: false, error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  };
  const [global, primaryState] = await Promise.all([gateway.describeGlobalCluster(plan.drRegion, plan.globalCluster), primary()]);
  return { global, primary: primaryState };
}

export function evaluateGlobalChecks(plan: GlobalFailbackPlan, obs: GlobalFailbackObservation): GlobalFailbackCheck[] {
  const { global, primary } = obs;
  const role = globalRoleOf(global, plan.target.arn);
  const writerAlready = role === 'writer' ? `${plan.target.id} is already the writer of ${plan.globalCluster}` : undefined;
  const checks: GlobalFailbackCheck[] = [];
  checks.push(
    global
      ? { name: 'global-cluster', result: 'pass', detail: `global cluster ${global.id} is ${global.status}` }
      : { name: 'global-cluster', result: 'fail', detail: `global cluster ${plan.globalCluster} not found; check incident.databases.${plan.db}.standby.globalCluster` },
  );
  checks.push(
    role === 'not-member'
      ? {
          name: 'primary-cluster-member',
          result: 'fail',
          detail:
            `${plan.target.arn} is not a member of ${plan.globalCluster}${global ? '' : ' (not found)'}: after a failover the original cluster rejoins only when added back ` +
            `(aws rds create-db-cluster --region ${plan.primaryRegion} --db-cluster-identifier ${plan.target.id} --global-cluster-identifier ${plan.globalCluster} …, docs/RUNBOOK.md); re-run once it is a secondary`,
        }
      : { name: 'primary-cluster-member', result: 'pass', detail: writerAlready ?? `${plan.target.id} (${plan.primaryRegion}) is a ${role === 'moving' ? 'member while the writer moves' : 'secondary'} of ${plan.globalCluster}` },
  );
  if (!primary.reachable) {
    checks.push({ name: 'primary-cluster-available', result: 'fail', detail: `${plan.primaryRegion} RDS did not answer (${primary.error}); fail back once the region has recovered` });
  } else if (!primary.cluster) {
    checks.push({ name: 'primary-cluster-available', result: 'fail', detail: `${plan.target.id} not found in ${plan.primaryRegion}` });
  } else {
    const available = primary.cluster.status === 'available';
    checks.push({
      name: 'primary-cluster-available',
      result: available ? 'pass' : 'fail',
      detail: available ? `${plan.target.id} in ${plan.primaryRegion} is available` : `${plan.target.id} in ${plan.primaryRegion} is ${primary.cluster.status}, not available; wait until it is and re-run`,
    });
  }
  checks.push(lagCheck(plan, primary.reachable ? primary.lagSeconds : undefined, writerAlready));
  return checks;
}

function lagCheck(plan: GlobalFailbackPlan, lagSeconds: number | undefined, writerAlready: string | undefined): GlobalFailbackCheck {
  const name = 'replica-lag';
  if (writerAlready) return { name, result: 'pass', detail: `not applicable: ${writerAlready}` };
  if (lagSeconds === undefined) {
    return {
      name,
      result: 'fail',
      detail: `lag unknown (no AuroraGlobalDBReplicationLag datapoint of ${plan.target.id} in ${plan.primaryRegion} in the last ${LAG_WINDOW_MINUTES} minutes): is it replicating? re-run once it reports lag`,
    };
  }
  if (lagSeconds > plan.maxReplicaLagSeconds) {
    return { name, result: 'fail', detail: `lag ${lagSeconds} s exceeds the limit of ${plan.maxReplicaLagSeconds} s (maxReplicaLagSeconds): let ${plan.target.id} catch up and re-run` };
  }
  return { name, result: 'pass', detail: `lag ${lagSeconds} s within the limit of ${plan.maxReplicaLagSeconds} s` };
}

/** Throws the error the workflow fails with, naming each failed check. */
export function assertGlobalChecksPass(plan: GlobalFailbackPlan, checks: GlobalFailbackCheck[]): void {
  const failed = checks.filter((c) => c.result === 'fail');
  if (failed.length > 0) {
    throw new PreCheckFailedError(`failback of ${plan.db} stopped before any change: ${failed.map((c) => `pre-check ${c.name} failed: ${c.detail}`).join('; ')}`);
  }
}
