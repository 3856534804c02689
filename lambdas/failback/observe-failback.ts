// Reads everything the failback's checks and steps need, through the gateway.
import type { FailbackObservation } from './failback-checks.js';
import type { FailbackPlan } from './failback-plan.js';
import type { ReplicaGateway } from '../core/replicas.js';

/** The DR writer and the new standby (DR region); the replica and the original primary (primary region, "unreachable" instead of throwing). */
export async function observeFailback(plan: FailbackPlan, gateway: ReplicaGateway): Promise<FailbackObservation> {
  const primary = async (): Promise<FailbackObservation['primary']> => {
    try {
      const target = await gateway.describeInstance(plan.primaryRegion, plan.target.id);
      const original = plan.original.id === plan.target.id ? target : await gateway.describeInstance(plan.primaryRegion, plan.original.id);
      return { reachable: true, target, original };
    } catch (err) {
      return { reachable: false, error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  };
  const [source, primaryState, drStandby] = await Promise.all([
    gateway.describeInstance(plan.drRegion, plan.source.id),
    primary(),
    gateway.describeInstance(plan.drRegion, plan.drStandby.id),
  ]);
  return { source, primary: primaryState, drStandby };
}
