// An in-memory twin of the StandbyGateway port (lambdas/core/standby.ts; in AWS lambdas/aws/standby-gateway.ts)
// for the Aurora global database paths moto 5.2.1 cannot run (it has no SwitchoverGlobalCluster /
// FailoverGlobalCluster). It keeps the contracts RDS documents for them ("SwitchoverGlobalCluster",
// Amazon RDS API Reference): the target must be a secondary member of the global cluster, and the
// global cluster must be `available` (else InvalidGlobalClusterStateFault); the switchover is
// asynchronous — the global cluster is `switching-over` until it ends (here: `settle()`), then the
// target is the writer and the old writer a secondary.
import type { ClusterFacts, GlobalClusterFacts, InstanceFacts, LagMetric, PrimaryState, StandbyGateway } from '../../../lambdas/core/standby.js';

const fault = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
/** What the SDK throws when a region does not answer (no HTTP response; lambdas/aws/unreachable.ts). */
const unreachable = (region: string) => Object.assign(new Error(`connect ETIMEDOUT rds.${region}.amazonaws.com`), { name: 'TimeoutError' });

export class InMemoryStandbyGateway implements StandbyGateway {
  readonly clusters = new Map<string, ClusterFacts>();
  readonly globals = new Map<string, GlobalClusterFacts>();
  /** Lag in seconds by metric dimension value (the secondary cluster or replica identifier). */
  readonly lag = new Map<string, number>();
  readonly unreachableRegions = new Set<string>();
  /** Every write, as `<Operation> <region> <args>`. */
  readonly writes: string[] = [];
  private pending = new Map<string, string>();

  putCluster(region: string, id: string, arn: string, over: Partial<ClusterFacts> = {}): void {
    this.clusters.set(`${region}/${id}`, { id, arn, status: 'available', endpoint: `${id}.cluster-abc.${region}.rds.amazonaws.com`, ...over });
  }

  putGlobal(id: string, members: { clusterArn: string; isWriter: boolean }[], status = 'available'): void {
    this.globals.set(id, { id, status, members });
  }

  /** The asynchronous end of a switchover: the target becomes the writer, the global cluster available again. */
  settle(globalCluster: string): void {
    const target = this.pending.get(globalCluster);
    const g = this.globals.get(globalCluster);
    if (!target || !g) return;
    this.pending.delete(globalCluster);
    this.globals.set(globalCluster, { ...g, status: 'available', members: g.members.map((m) => ({ ...m, isWriter: m.clusterArn === target })) });
  }

  private reach(region: string): void {
    if (this.unreachableRegions.has(region)) throw unreachable(region);
  }

  /** No DB instances: the twin models the global database paths (instances run on moto). */
  async describeInstance(region: string): Promise<InstanceFacts | undefined> {
    this.reach(region);
    return undefined;
  }

  async describeCluster(region: string, id: string): Promise<ClusterFacts | undefined> {
    this.reach(region);
    const c = this.clusters.get(`${region}/${id}`);
    return c && { ...c };
  }

  async describeGlobalCluster(region: string, id: string): Promise<GlobalClusterFacts | undefined> {
    this.reach(region);
    const g = this.globals.get(id);
    return g && structuredClone(g);
  }

  async replicaLagSeconds(region: string, metric: LagMetric): Promise<number | undefined> {
    this.reach(region);
    return this.lag.get(metric.dimension.Value);
  }

  async primaryState(region: string, _kind: 'instance' | 'cluster', id: string): Promise<PrimaryState> {
    try {
      const c = await this.describeCluster(region, id);
      return { reachable: true, status: c?.status ?? 'not found' };
    } catch (err) {
      return { reachable: false, error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }

  async promoteReadReplica(region: string, id: string): Promise<void> {
    this.reach(region);
    throw fault('DBInstanceNotFound', `DBInstance ${id} not found`);
  }

  async switchoverGlobalCluster(region: string, globalCluster: string, targetClusterArn: string): Promise<void> {
    this.reach(region);
    this.writes.push(`SwitchoverGlobalCluster ${region} ${globalCluster} ${targetClusterArn}`);
    const g = this.globals.get(globalCluster);
    if (!g) throw fault('GlobalClusterNotFoundFault', `Global cluster ${globalCluster} not found`);
    const target = g.members.find((m) => m.clusterArn === targetClusterArn);
    if (!target) throw fault('DBClusterNotFoundFault', `${targetClusterArn} is not a member of ${globalCluster}`);
    if (g.status !== 'available') throw fault('InvalidGlobalClusterStateFault', `Global cluster ${globalCluster} is ${g.status}`);
    if (target.isWriter) throw fault('InvalidDBClusterStateFault', `${targetClusterArn} is already the primary cluster of ${globalCluster}`);
    this.globals.set(globalCluster, { ...g, status: 'switching-over' });
    this.pending.set(globalCluster, targetClusterArn);
  }

  async failoverGlobalCluster(region: string, globalCluster: string, targetClusterArn: string): Promise<void> {
    this.reach(region);
    this.writes.push(`FailoverGlobalCluster ${region} ${globalCluster} ${targetClusterArn}`);
    throw fault('InvalidGlobalClusterStateFault', 'not modelled: the failback never fails over');
  }
}
