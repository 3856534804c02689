// CloudWatch alarms for the local AWS. moto keeps the metrics the Lambdas publish but evaluates no
// alarm, so nothing would page: here each alarm of the synthesized templates is evaluated in its own
// region, on that region's metrics only ("alarms can only watch metrics in the same Region",
// Amazon CloudWatch User Guide, "Using Amazon CloudWatch alarms"), and a change to ALARM publishes the
// alarm's notification to its actions' topics, as CloudWatch does ("alarms invoke actions only when
// the alarm changes state", same guide), through the topic policy and the topic key's policy (which
// must let cloudwatch.amazonaws.com publish and use the key: Amazon SNS Developer Guide, "Enable
// compatibility between event sources from AWS services and encrypted topics").
//
// What is simplified: one call of `evaluate` is one evaluation period. An alarm's M of N periods
// (DatapointsToAlarm of EvaluationPeriods) cannot be waited for locally (the monitor runs every 15
// minutes); each evaluation looks at the datapoints of the alarm's last period. The query language is
// the subset the app's alarms use (lib/observability/rpo-monitoring.ts): SELECT MAX|MIN(<metric>) FROM
// SCHEMA("<namespace>", <dimensions>) [WHERE <dimension> = '<value>']; any other query fails loudly.
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, type Metric } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlarmDefinition, PolicyDocument } from './iam/policies.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A state change to ALARM and where its notification went. */
export interface AlarmNotification {
  alarm: string;
  region: string;
  /** The value the alarm's query gave, or undefined when no metric had data (missing data). */
  value?: number;
  topics: string[];
}

export interface LocalAlarmsOptions {
  alarms: AlarmDefinition[];
  account: string;
  resourcePolicies: Record<string, PolicyDocument>;
  topicKeys: Record<string, string>;
  clientConfig: (region: string) => object;
  /** A region in outage evaluates nothing (its CloudWatch is down with it). */
  isDown: (region: string) => boolean;
}

const QUERY = /^SELECT (MAX|MIN)\((\w+)\) FROM SCHEMA\("([^"]+)", ([\w, ]+)\)(?: WHERE (\w+) = '([^']*)')?$/;

const COMPARE: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
/** IAM's ArnLike: * and ? wildcards, segment by segment being the same as whole-string here. */
const arnLike = (pattern: string, arn: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);

export class LocalAlarms {
  private readonly states = new Map<string, AlarmState>();

  constructor(private readonly options: LocalAlarmsOptions) {}

  /** The alarms the templates declare in `region`, by name. */
  alarmsIn(region: string): AlarmDefinition[] {
    return this.options.alarms.filter((a) => a.region === region);
  }

  state(region: string, name: string): AlarmState {
    return this.states.get(`${region}|${name}`) ?? 'INSUFFICIENT_DATA';
  }

  /** One evaluation period of every alarm in `region`; returns the notifications sent (changes to ALARM). */
  async evaluate(region: string, now = new Date()): Promise<AlarmNotification[]> {
    if (this.options.isDown(region)) throw new Error(`CloudWatch in ${region} is down (region outage): its alarms evaluate nothing`);
    const sent: AlarmNotification[] = [];
    for (const alarm of this.alarmsIn(region)) {
      const value = await this.query(alarm, now);
      const key = `${region}|${alarm.AlarmName}`;
      const old = this.state(region, alarm.AlarmName);
      const next = this.nextState(alarm, value, old);
      this.states.set(key, next);
      if (next !== 'ALARM' || old === 'ALARM') continue;
      const topics = alarm.AlarmActions ?? [];
      for (const topic of topics) await this.publish(alarm, topic, value, old, now);
      sent.push({ alarm: alarm.AlarmName, region, ...(value !== undefined && { value }), topics });
    }
    return sent;
  }

  /** CloudWatch User Guide, "Configuring how CloudWatch alarms treat missing data". */
  private nextState(alarm: AlarmDefinition, value: number | undefined, old: AlarmState): AlarmState {
    const compare = COMPARE[alarm.ComparisonOperator];
    if (!compare) throw new Error(`local alarms: comparison ${alarm.ComparisonOperator} of ${alarm.AlarmName} is not modelled`);
    if (value !== undefined) return compare(value, alarm.Threshold) ? 'ALARM' : 'OK';
    switch (alarm.TreatMissingData ?? 'missing') {
      case 'breaching':
        return 'ALARM';
      case 'notBreaching':
        return 'OK';
      case 'ignore':
        return old;
      default:
        return 'INSUFFICIENT_DATA';
    }
  }

  /** The alarm's Metrics Insights query over the datapoints of its last period in its region. */
  private async query(alarm: AlarmDefinition, now: Date): Promise<number | undefined> {
    const [metric] = (alarm.Metrics ?? []).filter((m) => m.ReturnData !== false);
    const parsed = QUERY.exec(metric?.Expression ?? '');
    if (!metric?.Period || !parsed) throw new Error(`local alarms: ${alarm.AlarmName}'s query ${JSON.stringify(metric?.Expression)} is not in the modelled subset`);
    const [, stat, name, namespace, dimensionList, whereName, whereValue] = parsed;
    const schema = dimensionList.split(',').map((d) => d.trim()).sort();
    const cloudwatch = new CloudWatchClient(this.options.clientConfig(alarm.region));
    const metrics: Metric[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cloudwatch.send(new ListMetricsCommand({ Namespace: namespace, MetricName: name, NextToken }));
      metrics.push(...(page.Metrics ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    // SCHEMA(ns, a, b): the metrics with exactly those dimensions (CloudWatch User Guide, "Metrics Insights query components and syntax").
    const matching = metrics.filter((m) => {
      if (m.MetricName !== name || m.Namespace !== namespace) return false;
      const dims = m.Dimensions ?? [];
      if (JSON.stringify(dims.map((d) => d.Name).sort()) !== JSON.stringify(schema)) return false;
      return !whereName || dims.some((d) => d.Name === whereName && d.Value === whereValue);
    });
    const values: number[] = [];
    const statistic = stat === 'MAX' ? 'Maximum' : 'Minimum';
    for (const m of matching) {
      const out = await cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: namespace,
          MetricName: name,
          Dimensions: m.Dimensions,
          StartTime: new Date(now.getTime() - metric.Period * 1000),
          EndTime: new Date(now.getTime() + 60_000),
          Period: 60,
          Statistics: [statistic],
        }),
      );
      for (const d of out.Datapoints ?? []) {
        const v = d[statistic];
        if (v !== undefined) values.push(v);
      }
    }
    if (values.length === 0) return undefined;
    return stat === 'MAX' ? Math.max(...values) : Math.min(...values);
  }

  private async publish(alarm: AlarmDefinition, topicArn: string, value: number | undefined, old: AlarmState, now: Date): Promise<void> {
    const alarmArn = `arn:aws:cloudwatch:${alarm.region}:${this.options.account}:alarm:${alarm.AlarmName}`;
    this.assertMayPublish(alarmArn, topicArn);
    const reason = value === undefined ? 'no datapoints were received (treated as breaching)' : `1 datapoint [${value}] crossed the threshold (${alarm.Threshold})`;
    const topicRegion = topicArn.split(':')[3];
    await new SNSClient(this.options.clientConfig(topicRegion)).send(
      new PublishCommand({
        TopicArn: topicArn,
        // CloudWatch's subject names the Region by its long name; its code stands in for it here.
        Subject: `ALARM: "${alarm.AlarmName}" in ${alarm.region}`.slice(0, 99),
        Message: JSON.stringify({
          AlarmName: alarm.AlarmName,
          AlarmDescription: alarm.AlarmDescription,
          AWSAccountId: this.options.account,
          AlarmArn: alarmArn,
          NewStateValue: 'ALARM',
          OldStateValue: old,
          NewStateReason: `Threshold Crossed: ${reason}.`,
          StateChangeTime: now.toISOString(),
          Region: alarm.region,
        }),
      }),
    );
  }

  /** The topic policy must let this alarm (cloudwatch.amazonaws.com, this account) publish, and the topic key's policy let CloudWatch use it. */
  private assertMayPublish(alarmArn: string, topicArn: string): void {
    const allows = (doc: PolicyDocument | undefined, action: string, test: (st: Record<string, unknown>) => boolean) =>
      (doc?.Statement ?? []).some((st) => {
        const principal = st.Principal as { Service?: unknown } | undefined;
        const actions = asList(st.Action) as string[];
        return st.Effect === 'Allow' && asList(principal?.Service).includes(CLOUDWATCH) && actions.some((a) => a === action || arnLike(a, action)) && test(st);
      });
    const topicOk = allows(this.options.resourcePolicies[topicArn], 'sns:Publish', (st) => {
      const condition = (st.Condition ?? {}) as Record<string, Record<string, string>>;
      const source = condition.ArnLike?.['aws:SourceArn'];
      const account = condition.StringEquals?.['aws:SourceAccount'];
      return (source === undefined || arnLike(source, alarmArn)) && (account === undefined || account === this.options.account);
    });
    if (!topicOk) throw new Error(`local alarms: the policy of ${topicArn} does not let ${alarmArn} (${CLOUDWATCH}) publish: the alarm could not page`);
    const key = this.options.topicKeys[topicArn];
    if (key && !allows(this.options.resourcePolicies[key], 'kms:GenerateDataKey', () => true)) {
      throw new Error(`local alarms: the key ${key} of ${topicArn} does not let ${CLOUDWATCH} use it: the alarm could not page`);
    }
  }
}
