// StandbyGateway over RDS and CloudWatch. Calls into the primary region use the impaired-region client.
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  PromoteReadReplicaCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { awsClients } from './clients.js';
import type { ClusterFacts, GlobalClusterFacts, InstanceFacts, LagMetric, PrimaryState, StandbyGateway } from '../core/standby.js';
import { describeCluster, describeInstanceDetails } from './rds-databases.js';
import { orUndefined } from './rds-not-found.js';

export class AwsStandbyGateway implements StandbyGateway {
  constructor(
    private readonly primaryRegion: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private rds(region: string) {
    return awsClients.rds(region, region === this.primaryRegion);
  }

  async describeInstance(region: string, id: string): Promise<InstanceFacts | undefined> {
    const details = await describeInstanceDetails(this.rds(region), id);
    if (!details) return undefined;
    const { id: instanceId, arn, status, replicaSource, endpoint } = details;
    return { id: instanceId, arn, status, replicaSource, endpoint };
  }

  async describeCluster(region: string, id: string): Promise<ClusterFacts | undefined> {
    const c = await describeCluster(this.rds(region), id);
    if (!c) return undefined;
    return { id: c.DBClusterIdentifier ?? id, arn: c.DBClusterArn ?? '', status: c.Status ?? 'unknown', endpoint: c.Endpoint };
  }

  async describeGlobalCluster(region: string, id: string): Promise<GlobalClusterFacts | undefined> {
    const g = (await orUndefined(this.rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }))))?.GlobalClusters?.[0];
    if (!g) return undefined;
    return {
      id: g.GlobalClusterIdentifier ?? id,
      status: g.Status ?? 'unknown',
      members: (g.GlobalClusterMembers ?? []).map((m) => ({ clusterArn: m.DBClusterArn ?? '', isWriter: m.IsWriter === true })),
    };
  }

  async replicaLagSeconds(region: string, metric: LagMetric, windowMinutes: number): Promise<number | undefined> {
    const end = this.now();
    const out = await awsClients.cloudwatch(region).send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/RDS',
        MetricName: metric.name,
        Dimensions: [metric.dimension],
        StartTime: new Date(end.getTime() - windowMinutes * 60_000),
        // A minute past now: both CloudWatch and moto truncate the end, and the newest datapoint is the one that matters.
        EndTime: new Date(end.getTime() + 60_000),
        Period: 60,
        Statistics: ['Maximum'],
      }),
    );
    const newest = (out.Datapoints ?? [])
      .filter((d) => d.Maximum !== undefined && d.Timestamp)
      .sort((a, b) => b.Timestamp!.getTime() - a.Timestamp!.getTime())[0];
    if (!newest) return undefined;
    return metric.unit === 'Milliseconds' ? newest.Maximum! / 1000 : newest.Maximum!;
  }

  async primaryState(region: string, kind: 'instance' | 'cluster', id: string): Promise<PrimaryState> {
    try {
      const facts = kind === 'instance' ? await this.describeInstance(region, id) : await this.describeCluster(region, id);
      return facts ? { reachable: true, status: facts.status } : { reachable: true, status: 'not found' };
    } catch (err) {
      return { reachable: false, error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }

  async promoteReadReplica(region: string, id: string, backupRetentionDays?: number): Promise<void> {
    await this.rds(region).send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: id, BackupRetentionPeriod: backupRetentionDays }));
  }

  async switchoverGlobalCluster(region: string, globalCluster: string, targetClusterArn: string): Promise<void> {
    await this.rds(region).send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: globalCluster, TargetDbClusterIdentifier: targetClusterArn }));
  }

  async failoverGlobalCluster(region: string, globalCluster: string, targetClusterArn: string): Promise<void> {
    await this.rds(region).send(
      new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: globalCluster, TargetDbClusterIdentifier: targetClusterArn, AllowDataLoss: true }),
    );
  }
}
