// Shared by the failback's unit tests: the deployment settings (orders and billing with read-replica
// standbys, ledger an Aurora global database), plans resolved from them, and an in-memory twin of the
// ReplicaGateway port holding the world a failover leaves behind.
import type { CreateReplicaRequest, InstanceDetails, ReplicaGateway } from '../../../lambdas/core/replicas.js';
import { parseFailbackRequest, resolveFailbackPlan, type FailbackPlan } from '../../../lambdas/failback/failback-plan.js';
import { toRuntimeSettings } from '../../../lib/platform/config/runtime-settings.js';
import { parseConfig } from '../../../lib/platform/config/schema.js';

export const ACCOUNT = '123456789012';
export const EXECUTION = `arn:aws:states:us-west-2:${ACCOUNT}:execution:rds-dr-failback:x`;
export const settings = toRuntimeSettings(
  parseConfig(
    {
      appName: 'rds-dr',
      primaryRegion: 'us-east-1',
      drRegion: 'us-west-2',
      alerts: { emails: ['oncall@example.com'] },
      policies: { gold: { selection: { instances: ['orders', 'billing'] } } },
      incident: {
        waitTimeoutMinutes: 10,
        databases: {
          orders: {
            standby: { replicaInstance: 'orders-replica' },
            maxReplicaLagSeconds: 30,
            endpoint: { route53: { hostedZoneId: 'Z123', recordName: 'orders.example.com', ttl: 60 } },
            failback: { kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/primary', subnetGroupName: 'app-subnets' },
          },
          billing: { standby: { replicaInstance: 'billing-replica' } },
          ledger: { standby: { globalCluster: 'ledger-global', secondaryCluster: 'ledger-dr' } },
          invoices: {},
        },
      },
    },
    'test',
  ),
  // The failback runs in the DR region, next to the failover.
  { account: ACCOUNT, region: 'us-west-2' },
);
settings.drKmsKeyId = 'arn:aws:kms:us-west-2:123456789012:key/dr';

/** The plan of a database with a read-replica standby (orders, billing). */
export function planFor(db: string, opts: { dryRun?: boolean; switch?: boolean } = {}): FailbackPlan {
  const plan = resolveFailbackPlan(parseFailbackRequest({ db, reason: 'CHG-42', ...opts }), settings, EXECUTION);
  if (plan.kind !== 'instance') throw new Error(`${db} is not a read-replica database`);
  return plan;
}
export const arn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT}:db:${id}`;

/** An in-memory RDS/CloudWatch/SSM with the few behaviours the steps rely on. */
export class FakeGateway implements ReplicaGateway {
  instances = new Map<string, InstanceDetails>();
  lag = new Map<string, number>();
  parameters = new Map<string, string>();
  created: CreateReplicaRequest[] = [];
  promoted: string[] = [];
  unreachable = new Set<string>();

  put(region: string, id: string, over: Partial<InstanceDetails> = {}) {
    this.instances.set(`${region}/${id}`, { id, arn: arn(region, id), status: 'available', endpoint: `${id}.${region}.rds`, storageEncrypted: true, tags: {}, ...over });
  }
  async describeInstance(region: string, id: string) {
    if (this.unreachable.has(region)) throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
    return this.instances.get(`${region}/${id}`);
  }
  async replicaLagSeconds(_region: string, metric: { dimension: { Value: string } }) {
    return this.lag.get(metric.dimension.Value);
  }
  async createReadReplica(r: CreateReplicaRequest) {
    this.created.push(r);
    this.put(r.region, r.id, { status: 'creating', replicaSource: r.sourceArn, tags: r.tags, kmsKeyId: r.kmsKeyId, subnetGroupName: r.subnetGroupName });
  }
  /** The automated-backup retention each promotion asked for. */
  promotedRetention = new Map<string, number | undefined>();
  async promoteReadReplica(region: string, id: string, backupRetentionDays?: number) {
    this.promoted.push(id);
    this.promotedRetention.set(id, backupRetentionDays);
    const i = this.instances.get(`${region}/${id}`)!;
    this.instances.set(`${region}/${id}`, { ...i, replicaSource: undefined, status: 'modifying' });
  }
  async readParameter(region: string, name: string) {
    return this.parameters.get(`${region}${name}`);
  }
  async putParameter(region: string, name: string, value: string) {
    this.parameters.set(`${region}${name}`, value);
  }
}

/** Where a failover of orders ends: orders-replica promoted in us-west-2, the original primary deleted. */
export function afterFailover(): FakeGateway {
  const g = new FakeGateway();
  g.put('us-west-2', 'orders-replica', { subnetGroupName: 'dr-subnets', securityGroupIds: ['sg-0000000000000dr01'], parameterGroupName: 'dr-params' });
  return g;
}
export const audit = () => {
  const entries: { what: string; why: string; who: { executionArn: string } }[] = [];
  return { entries, destructive: (e: (typeof entries)[number]) => entries.push(e) };
};
export const clock = (iso = '2026-11-30T10:00:00Z') => () => new Date(iso);

