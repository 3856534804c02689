// Reads everything the checks and the decision need, through the gateway.
import type { FailoverPlan } from './failover-plan.js';
import { LAG_WINDOW_MINUTES, lagMetricFor, type StandbyGateway } from '../core/standby.js';
import type { StandbyObservation } from './failover-decision.js';

/** Standby facts from the DR region; the lag metric (skipped with force); the primary's state (never throws). */
export async function observeStandby(plan: FailoverPlan, gateway: StandbyGateway, options: { lag: boolean; primary: boolean }): Promise<StandbyObservation> {
  const { drRegion, standby } = plan;
  const [instance, cluster, global, lagSeconds, primary] = await Promise.all([
    standby.type === 'replica' ? gateway.describeInstance(drRegion, standby.id) : undefined,
    standby.type === 'global' ? gateway.describeCluster(drRegion, standby.id) : undefined,
    standby.type === 'global' ? gateway.describeGlobalCluster(drRegion, standby.globalCluster) : undefined,
    options.lag ? gateway.replicaLagSeconds(drRegion, lagMetricFor(standby), LAG_WINDOW_MINUTES) : undefined,
    options.primary ? gateway.primaryState(plan.primaryRegion, plan.kind, plan.db) : Promise.resolve({ reachable: false as const, error: 'not checked' }),
  ]);
  return { instance, cluster, global, lagSeconds, primary };
}
