// The Aurora global database branch of the failover. moto 5.2.1 has no SwitchoverGlobalCluster /
// FailoverGlobalCluster, so the real handlers run here against aws-sdk-client-mock: the exact
// commands and parameters sent, the decision (switchover / forced failover / refuse), idempotence.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FailoverPlan } from '../../../lambdas/failover/failover-plan.js';
import { SETTINGS_ENV } from '../../../lambdas/core/settings.js';
import { toRuntimeSettings } from '../../../lib/platform/config/runtime-settings.js';
import { parseConfig } from '../../../lib/platform/config/schema.js';

const ACCOUNT = '123456789012';
const PRIMARY = 'us-east-1';
const DR = 'us-west-2';
const EXECUTION = `arn:aws:states:${DR}:${ACCOUNT}:execution:rds-dr-failover:inc-123`;
const PRIMARY_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:orders`;
const SECONDARY_ARN = `arn:aws:rds:${DR}:${ACCOUNT}:cluster:orders-dr`;

const config = parseConfig(
  {
    appName: 'rds-dr',
    primaryRegion: PRIMARY,
    drRegion: DR,
    alerts: { emails: ['oncall@example.com'] },
    policies: { gold: { selection: { clusters: ['orders'] } } },
    incident: { databases: { orders: { standby: { globalCluster: 'orders-global', secondaryCluster: 'orders-dr' }, maxReplicaLagSeconds: 60 } } },
  },
  'test',
);

type Handler<E, R> = (event: E) => Promise<R>;
let plan: Handler<unknown, { plan: FailoverPlan }>;
let checks: Handler<{ plan: FailoverPlan }, { checks: { name: string; result: string; detail: string }[]; decision: { action: string; detail: string } }>;
let promote: Handler<{ plan: FailoverPlan; decision: { action: string; detail: string } }, { action: string; performed: boolean; step: { outcome: string; detail: string } }>;
let status: Handler<{ plan: FailoverPlan; since: string }, { ready: boolean; endpoint?: string }>;

const rds = mockClient(RDSClient);
const cloudwatch = mockClient(CloudWatchClient);

beforeAll(async () => {
  process.env[SETTINGS_ENV] = JSON.stringify(toRuntimeSettings(config, { account: ACCOUNT, region: config.drRegion }, undefined, 'rds-dr-reports'));
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  plan = (await import('../../../lambdas/failover/plan-failover.handler.js')).handler as never;
  checks = (await import('../../../lambdas/failover/failover-checks.handler.js')).handler as never;
  promote = (await import('../../../lambdas/failover/promote-standby.handler.js')).handler as never;
  status = (await import('../../../lambdas/failover/standby-status.handler.js')).handler as never;
});
afterAll(() => {
  rds.restore();
  cloudwatch.restore();
});

interface World {
  primary: 'available' | 'unreachable' | 'failed';
  secondaryWriter?: boolean;
  globalStatus?: string;
  lagMs?: number;
}

/** Answers as RDS would in each region; the primary cluster lives in PRIMARY, the secondary in DR. */
function world(w: World) {
  rds.reset();
  cloudwatch.reset();
  rds.on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: 'orders-global' }).resolves({
    GlobalClusters: [
      {
        GlobalClusterIdentifier: 'orders-global',
        Status: w.globalStatus ?? 'available',
        GlobalClusterMembers: [
          { DBClusterArn: PRIMARY_ARN, IsWriter: !w.secondaryWriter },
          { DBClusterArn: SECONDARY_ARN, IsWriter: !!w.secondaryWriter },
        ],
      },
    ],
  });
  rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'orders-dr' }).resolves({
    DBClusters: [{ DBClusterIdentifier: 'orders-dr', DBClusterArn: SECONDARY_ARN, Status: 'available', Endpoint: 'orders-dr.cluster-abc.us-west-2.rds.amazonaws.com' }],
  });
  const primary = rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'orders' });
  if (w.primary === 'unreachable') primary.rejects(Object.assign(new Error('connect ETIMEDOUT 3.5.0.1:443'), { name: 'TimeoutError' }));
  else primary.resolves({ DBClusters: [{ DBClusterIdentifier: 'orders', DBClusterArn: PRIMARY_ARN, Status: w.primary }] });
  rds.on(SwitchoverGlobalClusterCommand).resolves({});
  rds.on(FailoverGlobalClusterCommand).resolves({});
  cloudwatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: w.lagMs === undefined ? [] : [{ Timestamp: new Date(), Maximum: w.lagMs }] });
}

const writes = () => [...rds.commandCalls(SwitchoverGlobalClusterCommand), ...rds.commandCalls(FailoverGlobalClusterCommand), ...rds.commandCalls(PromoteReadReplicaCommand)];

async function failover(input: Record<string, unknown>) {
  const planned = (await plan({ input: { db: 'orders', reason: 'INC-123', ...input }, executionArn: EXECUTION, executionStartTime: new Date().toISOString() })).plan;
  const checked = await checks({ plan: planned });
  const promoted = await promote({ plan: planned, decision: checked.decision });
  return { planned, checked, promoted };
}

describe('Aurora global database failover', () => {
  beforeEach(() => world({ primary: 'available', lagMs: 500 }));

  it('resolves the global standby: cluster kind, secondary ARN in the DR region', async () => {
    const { planned } = await failover({ dryRun: true });
    expect(planned).toMatchObject({ kind: 'cluster', primaryArn: PRIMARY_ARN, standby: { type: 'global', globalCluster: 'orders-global', id: 'orders-dr', arn: SECONDARY_ARN } });
  });

  it('healthy primary: SwitchoverGlobalCluster to the secondary ARN, no data loss, no failover', async () => {
    const { checked, promoted } = await failover({});
    expect(checked.decision.action).toBe('switchover');
    expect(promoted).toMatchObject({ action: 'switchover', performed: true, step: { outcome: 'done' } });
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand).map((c) => c.args[0].input)).toEqual([
      { GlobalClusterIdentifier: 'orders-global', TargetDbClusterIdentifier: SECONDARY_ARN },
    ]);
    expect(rds.commandCalls(FailoverGlobalClusterCommand)).toHaveLength(0);
  });

  it('healthy primary with force still switches over (nothing to gain from losing data)', async () => {
    const { promoted } = await failover({ force: true });
    expect(promoted.action).toBe('switchover');
    expect(rds.commandCalls(FailoverGlobalClusterCommand)).toHaveLength(0);
  });

  it('lag is read as AuroraGlobalDBReplicationLag (ms) of the secondary cluster in the DR region; above the limit blocks', async () => {
    world({ primary: 'available', lagMs: 120_000 });
    await expect(failover({})).rejects.toThrow(/pre-check replica-lag failed: lag 120 s exceeds the limit of 60 s.*force: true/);
    const query = cloudwatch.commandCalls(GetMetricStatisticsCommand)[0].args[0].input;
    expect(query).toMatchObject({ Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'orders-dr' }] });
    expect(await cloudwatch.commandCalls(GetMetricStatisticsCommand)[0].thisValue.config.region()).toBe(DR);
    expect(writes()).toHaveLength(0);
  });

  it('unreachable primary with force: FailoverGlobalCluster with AllowDataLoss to the secondary ARN', async () => {
    world({ primary: 'unreachable', lagMs: undefined });
    const { checked, promoted } = await failover({ force: true });
    expect(checked.checks.find((c) => c.name === 'primary-state')?.detail).toMatch(/us-east-1 unreachable \(TimeoutError/);
    expect(checked.decision.action).toBe('failover');
    expect(promoted).toMatchObject({ action: 'failover', performed: true });
    expect(rds.commandCalls(FailoverGlobalClusterCommand).map((c) => c.args[0].input)).toEqual([
      { GlobalClusterIdentifier: 'orders-global', TargetDbClusterIdentifier: SECONDARY_ARN, AllowDataLoss: true },
    ]);
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toHaveLength(0);
  });

  it('unhealthy primary without force: refused before any write, saying how to proceed', async () => {
    world({ primary: 'failed', lagMs: 100 });
    await expect(failover({})).rejects.toMatchObject({ name: 'rds-dr.FailoverRefused', message: expect.stringMatching(/orders in us-east-1 is failed.*rerun with force: true to fail over with AllowDataLoss/) });
    expect(writes()).toHaveLength(0);
  });

  it('dry run: every check, the decision, no write', async () => {
    world({ primary: 'unreachable', lagMs: 100 });
    const { checked, promoted } = await failover({ dryRun: true, force: true });
    expect(checked.checks.map((c) => c.result)).toEqual(['pass', 'pass', 'pass']);
    expect(promoted).toMatchObject({ action: 'failover', performed: false, step: { outcome: 'would-do', detail: expect.stringMatching(/would FailoverGlobalCluster orders-global/) } });
    expect(writes()).toHaveLength(0);
  });

  it('already the writer: recorded as already promoted, nothing sent, and the wait sees it writable', async () => {
    world({ primary: 'unreachable', secondaryWriter: true });
    const { checked, promoted, planned } = await failover({});
    expect(checked.decision.action).toBe('already-promoted');
    expect(promoted.step).toMatchObject({ outcome: 'already-done', detail: expect.stringMatching(/already promoted: orders-dr is the writer of global cluster orders-global/) });
    expect(writes()).toHaveLength(0);
    expect(await status({ plan: planned, since: new Date().toISOString() })).toMatchObject({ ready: true, endpoint: 'orders-dr.cluster-abc.us-west-2.rds.amazonaws.com' });
  });

  it('a duplicate request while RDS is switching over is recorded as in progress, not failed', async () => {
    const planned = (await plan({ input: { db: 'orders', reason: 'INC-123' }, executionArn: EXECUTION, executionStartTime: new Date().toISOString() })).plan;
    const decision = (await checks({ plan: planned })).decision;
    rds.on(SwitchoverGlobalClusterCommand).callsFake(() => {
      world({ primary: 'available', globalStatus: 'switching-over' });
      throw Object.assign(new Error('global cluster is switching over'), { name: 'InvalidGlobalClusterStateFault' });
    });
    const promoted = await promote({ plan: planned, decision });
    expect(promoted.step).toMatchObject({ outcome: 'already-done', detail: expect.stringMatching(/in progress/) });
  });

  it('not yet the writer: the wait loop keeps waiting', async () => {
    const planned = (await plan({ input: { db: 'orders', reason: 'INC-123' }, executionArn: EXECUTION, executionStartTime: new Date().toISOString() })).plan;
    expect(await status({ plan: planned, since: new Date().toISOString() })).toMatchObject({ ready: false });
  });

  it('the wait fails with rds-dr.PromotionTimeout once waitTimeoutMinutes have passed', async () => {
    const planned = (await plan({ input: { db: 'orders', reason: 'INC-123' }, executionArn: EXECUTION, executionStartTime: new Date().toISOString() })).plan;
    const since = new Date(Date.now() - (planned.waitTimeoutSeconds + 1) * 1000).toISOString();
    await expect(status({ plan: planned, since })).rejects.toMatchObject({ name: 'rds-dr.PromotionTimeout' });
  });
});
