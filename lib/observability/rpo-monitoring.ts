import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { strictestObjectives, type Objectives } from '../platform/config/objectives.js';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { METRIC_NAMESPACE } from '../../lambdas/core/metrics.js';
import { grantDrRpoMonitor, grantRpoMonitor } from './rpo-monitor-permissions.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';
import { acknowledgeRule } from '../platform/nag.js';
import { createDeadLetterQueue } from '../platform/dead-letter-queue.js';
import { remoteReportsBucket } from '../platform/reports-bucket.js';
import { hasRestoreDrills } from '../platform/config/features.js';
import { createAlertTopic } from './alert-topics.js';
import { addDrRpoAlarms, copyLagHigh, type AlarmSpec } from './dr-rpo-alarms.js';

/** Share of the DR RPO at which a lagging copy warns, before the DR RPO alarm pages. */
export const COPY_LAG_WARN_SHARE = 0.8;

/** Runbook sections (docs/ALARMS.md anchors), one per alarm. */
export const ALARM_SECTIONS: Record<string, string> = {
  RpoPrimaryBreached: 'rpo-primary-breached',
  RpoDrBreached: 'rpo-dr-breached',
  VerificationFailed: 'verification-failed',
  VerificationStale: 'verification-stale',
  RtoExceeded: 'rto-exceeded',
  SnapshotQuotaHigh: 'snapshot-quota-high',
  CopyLagHigh: 'copy-lag-high',
  RecoveryPointInFuture: 'recovery-point-in-future',
};
const runbook = (name: string) => `Runbook: docs/ALARMS.md#${ALARM_SECTIONS[name]} (see also README "When an alert fires").`;
const dashboardUrl = (region: string, name: string) => `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`;
/**
 * Dashboards are global (their ARN has no region), so the DR region's needs a name of its own; alarms
 * and schedules are regional and keep the same names in both regions.
 */
export const dashboardName = (appName: string, role: 'primary' | 'dr'): string => (role === 'dr' ? `${appName}-dr` : appName);

export interface RpoMonitoringProps {
  readonly config: RdsDrConfig;
  /** The critical topic (email + PagerDuty) of this stack's region. */
  readonly alertTopic: sns.Topic;
  /**
   * 'primary' (default): the primary stack's monitor, with the warning topic it has always created.
   * 'dr': the DR stack's (lambdas/monitor/series-owner.ts), paging through the DR region's own topics.
   */
  readonly role?: 'primary' | 'dr';
  /** The DR stack's warning topic (lib/observability/alert-topics.ts); the primary creates its own. */
  readonly warningTopic?: sns.Topic;
}

/**
 * RPO/RTO you can see: the scheduled `rpo-monitor` Lambda publishes recovery-point ages per database
 * (namespace RdsDr, dimensions Database and Region, in its own region), alarms hold the worst
 * database to the strictest objectives, and a dashboard shows every database. Deployed in each
 * region (`role`); each deployment publishes only the series it owns (lambdas/monitor/series-owner.ts)
 * and alarms on them in its region, so one breach pages once, and the DR region's keeps paging
 * through its own topics while the primary region is down.
 *
 * The protected databases are only known at run time (selection by tag), so alarms and graphs use
 * CloudWatch Metrics Insights queries over the whole schema instead of one metric per database.
 */
export class RpoMonitoring extends Construct {
  readonly monitor: NodejsFunction;
  readonly schedule: scheduler.Schedule;
  readonly warningTopic: sns.Topic;
  readonly criticalAlarms: cloudwatch.Alarm[] = [];
  readonly warningAlarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly objectives: Objectives;

  constructor(scope: Construct, id: string, props: RpoMonitoringProps) {
    super(scope, id);
    const { config, alertTopic } = props;
    const role = props.role ?? 'primary';
    const stack = Stack.of(this);
    const { primaryRegion: primary, drRegion: dr, appName } = config;
    const here = role === 'dr' ? dr : primary;
    const dashboard = dashboardName(appName, role);
    const rate = config.monitoring.rpoMonitorRateMinutes;
    const o = (this.objectives = strictestObjectives(config));

    // --- the monitor ---
    // Lists databases and snapshots at its share of the RDS request budget (3 pages of 100 a second per
    // region: 1,000 databases with 50 snapshots each take ~3 minutes), and (primary) the drill reports.
    // Up to one interval: a run that outlasts it would overlap the next.
    const timeout = Duration.minutes(Math.min(rate, 10));
    if (role === 'dr') {
      this.monitor = createRdsDrFunction(this, 'RpoMonitor', {
        name: 'rpo-monitor',
        config,
        monitorRole: 'dr',
        description: `rds-dr: publishes in ${dr} the DR-copy ages of every protected database and both ages of those failed over to ${dr}`,
        timeout,
      });
      grantDrRpoMonitor(this, this.monitor, config);
    } else {
      // The DR reports bucket, by the name the DR stack publishes (no stack reference crosses regions).
      const reports = remoteReportsBucket(this, config);
      this.monitor = createRdsDrFunction(this, 'RpoMonitor', {
        name: 'rpo-monitor',
        config,
        description: 'rds-dr: publishes every protected database\'s recovery-point ages (RPO) and last drill verdict to CloudWatch',
        timeout,
        reportsBucket: reports.ref,
      });
      grantRpoMonitor(this, this.monitor, config, reports);
    }

    // An own role (not the stack-wide SchedulerRoleForTarget singleton), so its finding is acknowledged here.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'rds-dr: lets the RPO monitor schedule invoke the rpo-monitor Lambda',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: `${appName}-rpo-monitor`,
      description: `rds-dr RPO monitor, every ${rate} minutes`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(rate)),
      timeWindow: scheduler.TimeWindow.off(),
      target: new LambdaInvoke(this.monitor, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({ id: scheduler.ContextAttribute.executionId }),
        retryAttempts: 2,
        // A run that is not delivered within one interval is superseded by the next one.
        maxEventAge: Duration.minutes(rate),
        deadLetterQueue: createDeadLetterQueue(this, 'DeadLetterQueue', 'RPO monitor runs that could not be delivered'),
      }),
    });

    acknowledgeRule(
      scheduleRole,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.monitor.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      'Added by the LambdaInvoke schedule target: lambda:InvokeFunction on the rpo-monitor function and its versions/aliases ' +
        '(<arn>:*); it names this one function only.',
    );

    // --- the warning topic (email only; the alert topic is the critical one that pages) ---
    // Primary: 'WarningTopic' (and its key 'WarningTopicKey'), the ids it always had here, so an upgrade keeps it.
    this.warningTopic = props.warningTopic ?? createAlertTopic(this, 'WarningTopic', config, 'warning');
    for (const topic of [alertTopic, this.warningTopic]) allowAlarmsToPublish(topic, config);

    // --- alarms: the worst database against the strictest objective ---
    const monitorPeriod = Duration.minutes(rate);
    const critical = new SnsAction(alertTopic);
    const warning = new SnsAction(this.warningTopic);
    const alarm = (name: string, spec: AlarmSpec, severity: 'critical' | 'warning') => {
      const a = new cloudwatch.Alarm(this, name, {
        alarmName: `${appName}-${name}`,
        // SNS carries the alarm's current value (NewStateReason) next to this text: what broke, the objective, where to look.
        alarmDescription: `${severity.toUpperCase()}: ${spec.description} Dashboard: ${dashboardUrl(here, dashboard)} ${runbook(name)}`,
        metric: new cloudwatch.MathExpression({ expression: spec.query, usingMetrics: {}, period: spec.period ?? monitorPeriod, label: name }),
        threshold: spec.threshold,
        comparisonOperator: spec.comparison,
        // The monitor-fed ages never go missing (a database never backed up ages from its creation), so
        // missing data means the monitor is dead or nothing is protected: both must be seen. Two periods
        // of two, so one late run does not page.
        evaluationPeriods: spec.evaluationPeriods ?? 2,
        datapointsToAlarm: spec.evaluationPeriods ?? 2,
        treatMissingData: spec.missing ?? cloudwatch.TreatMissingData.BREACHING,
      });
      a.addAlarmAction(severity === 'critical' ? critical : warning);
      (severity === 'critical' ? this.criticalAlarms : this.warningAlarms).push(a);
      return a;
    };

    const quotaPercent = config.pruning.quotaWarnPercent;
    const schema = `SCHEMA("${METRIC_NAMESPACE}", Database, Region)`;
    const ageIn = (region: string) => `SELECT MAX(RecoveryPointAgeSeconds) FROM ${schema} WHERE Region = '${region}'`;
    // Which alarm is where follows which monitor publishes the series (lambdas/monitor/series-owner.ts):
    // an alarm reads only its own region's metrics, and each series has one publisher, so one page per breach.
    if (role === 'dr') {
      addDrRpoAlarms(alarm, config, o, { ageIn, schema, dashboard, copyLagShare: COPY_LAG_WARN_SHARE });
    } else {
      alarm('RpoPrimaryBreached', {
        query: ageIn(primary),
        threshold: o.rpoPrimaryMinutes * 60,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          `a protected database has no restorable point in ${primary} newer than the RPO objective of ${o.rpoPrimaryMinutes} min ` +
          `(strictest rpoPrimaryMinutes), or the RPO monitor stopped publishing. Find the database on dashboard ${dashboard} or with ` +
          '`npx rds-dr status`; check its automated backups and the last backup execution.',
      }, 'critical');
      alarm('RpoDrBreached', {
        query: ageIn(dr),
        threshold: o.rpoDrMinutes * 60,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          `a protected database has no rds-dr copy at all in the DR region ${dr} (the DR region's RPO monitor, which pages for the ` +
          `others, cannot see it) and no replicated backup newer than the RPO objective of ${o.rpoDrMinutes} min (strictest ` +
          'rpoDrMinutes). Find it with `npx rds-dr status`; check the last backup execution\'s copy step and the DR snapshot quota.',
        // Published only for databases without any DR copy: most runs have none, and that is not a breach.
        missing: cloudwatch.TreatMissingData.NOT_BREACHING,
      }, 'critical');

      // Drill verdicts exist only for drilled databases: without restore drills these metrics are never
      // published and a missing-is-breaching alarm would page forever, so the alarms come with the drills.
      if (hasRestoreDrills(config)) {
        alarm('VerificationFailed', {
          query: `SELECT MIN(LastVerificationPassed) FROM ${schema}`,
          threshold: 1,
          comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          description:
            'the last restore drill of a drilled database failed (or it was never drilled), so its backups are not known to restore. ' +
            `Find the database on dashboard ${dashboard}; read its report under reports/verification/ in the reports bucket.`,
        }, 'critical');
        alarm('VerificationStale', {
          query: `SELECT MAX(LastVerificationAgeSeconds) FROM ${schema}`,
          threshold: o.verificationMaxAgeDays * 86400,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          description:
            `a drilled database's last restore drill is older than ${o.verificationMaxAgeDays} days (strictest verificationMaxAgeDays). ` +
            'Check that the verify schedule is enabled and the last drill execution in the DR region.',
        }, 'critical');
      }

      alarm('RtoExceeded', {
        query: `SELECT MAX(RestoreSeconds) FROM ${schema}`,
        threshold: o.rtoMinutes * 60,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          `a restore drill took longer than the RTO objective of ${o.rtoMinutes} min (strictest rtoMinutes). ` +
          'Read the drill report; consider a larger instance class for restores or a tighter snapshot schedule.',
        // Drills run weekly: most periods have no RestoreSeconds at all, and that is not a breach.
        // The drill publishes RestoreSeconds in the DR region, and alarms cannot query another region:
        // the RPO monitor republishes each drilled database's last measured RestoreSeconds here.
        missing: cloudwatch.TreatMissingData.NOT_BREACHING,
        period: Duration.hours(1),
        evaluationPeriods: 1,
      }, 'critical');

      alarm('SnapshotQuotaHigh', {
        query: `SELECT MAX(SnapshotQuotaUsedPercent) FROM SCHEMA("${METRIC_NAMESPACE}", Region)`,
        threshold: quotaPercent,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description:
          `a region's manual-snapshot quota is at least ${quotaPercent}% used (pruning.quotaWarnPercent); at 100% new snapshots and ` +
          'copies fail. Check the last prune run, delete unmanaged snapshots or raise the quota in Service Quotas.',
        // Published once a day by the prune; between runs the last verdict stands (IGNORE keeps the state,
        // BREACHING would page all day). A prune that does not run alerts through the execution-failure rule.
        missing: cloudwatch.TreatMissingData.IGNORE,
        period: Duration.hours(1),
        evaluationPeriods: 1,
      }, 'critical');

      // Warns at 80% of the DR RPO. Here only databases without any DR copy: no data is no breach.
      alarm('CopyLagHigh', { ...copyLagHigh(schema, dr, o, COPY_LAG_WARN_SHARE), missing: cloudwatch.TreatMissingData.NOT_BREACHING }, 'warning');

      alarm('RecoveryPointInFuture', {
        query: `SELECT MAX(FutureRecoveryPoints) FROM ${schema}`,
        threshold: 0,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          'a protected database has a recovery point (snapshot, copy or restorable time) more than 5 minutes in the future: a skewed ' +
          'clock or a forged rds-dr:slot tag. The RPO ages leave it out (they would read 0 s for ever), so they rest on the older points. ' +
          'Find the snapshot with `npx rds-dr status`; check its tags and RDS creation time.',
        // Published as 0 every run; a dead monitor is already seen by the RPO alarms.
        missing: cloudwatch.TreatMissingData.NOT_BREACHING,
        evaluationPeriods: 1,
      }, 'warning');
    }

    // --- dashboard ---
    // Plain aws-cloudwatch (no extra dependency such as cdk-monitoring-constructs): the database list is
    // dynamic, and Metrics Insights graphs with GROUP BY Database draw one line per database as it appears.
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: dashboard,
      defaultInterval: Duration.days(2),
    });
    const query = (expression: string, label: string, period = monitorPeriod) =>
      new cloudwatch.MathExpression({ expression, usingMetrics: {}, label, period });
    const line = (value: number, label: string): cloudwatch.HorizontalAnnotation => ({ value, label, color: cloudwatch.Color.RED });
    const graph = (title: string, region: string, metrics: cloudwatch.IMetric[], annotation?: cloudwatch.HorizontalAnnotation) =>
      new cloudwatch.GraphWidget({ title, region, left: metrics, leftAnnotations: annotation && [annotation], width: 12, height: 6, liveData: true });
    const byDb = (stat: string, metric: string, where = '') => `SELECT ${stat}(${metric}) FROM ${schema}${where} GROUP BY Database`;

    if (role === 'dr') {
      // Both series as the DR region's monitor publishes them: live ages of failed-over databases, copy ages of all.
      this.dashboard.addWidgets(
        graph(`RPO ${primary} (live) of databases failed over to ${dr}: recovery point age, seconds`, dr,
          [query(byDb('MAX', 'RecoveryPointAgeSeconds', ` WHERE Region = '${primary}'`), primary)], line(o.rpoPrimaryMinutes * 60, `RPO objective ${o.rpoPrimaryMinutes} min`)),
        graph(`RPO ${dr} (DR copies): recovery point age, seconds`, dr,
          [query(byDb('MAX', 'RecoveryPointAgeSeconds', ` WHERE Region = '${dr}'`), dr)], line(o.rpoDrMinutes * 60, `RPO objective ${o.rpoDrMinutes} min`)),
      );
      this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: `${appName} alarms in ${dr}`, alarms: this.alarms, width: 24, height: 4 }));
      return;
    }
    this.dashboard.addWidgets(
      graph(`RPO ${primary} (primary): recovery point age, seconds`, primary, [query(byDb('MAX', 'RecoveryPointAgeSeconds', ` WHERE Region = '${primary}'`), primary)],
        line(o.rpoPrimaryMinutes * 60, `RPO objective ${o.rpoPrimaryMinutes} min`)),
      // The copy series is published in the DR region by the DR region's monitor (series-owner.ts).
      graph(`RPO ${dr} (DR): recovery point age, seconds`, dr, [query(byDb('MAX', 'RecoveryPointAgeSeconds', ` WHERE Region = '${dr}'`), dr)],
        line(o.rpoDrMinutes * 60, `RPO objective ${o.rpoDrMinutes} min`)),
    );
    this.dashboard.addWidgets(
      graph('Last restore drill verdict (1 = passed)', primary, [query(byDb('MIN', 'LastVerificationPassed'), 'verdict')], line(1, 'passed')),
      graph('Last restore drill age, seconds', primary, [query(byDb('MAX', 'LastVerificationAgeSeconds'), 'age')],
        line(o.verificationMaxAgeDays * 86400, `max age ${o.verificationMaxAgeDays} days`)),
    );
    this.dashboard.addWidgets(
      // The drills publish RestoreSeconds in the DR region, where they run.
      graph(`Measured restore time (RTO), seconds, ${dr}`, dr, [query(byDb('MAX', 'RestoreSeconds'), 'restore', Duration.hours(1))],
        line(o.rtoMinutes * 60, `RTO objective ${o.rtoMinutes} min`)),
      graph(`Managed snapshots per region (${primary}, ${dr})`, primary,
        [query(`SELECT MAX(ManagedSnapshotCount) FROM SCHEMA("${METRIC_NAMESPACE}", Region) GROUP BY Region`, 'snapshots', Duration.hours(1))]),
    );
    this.dashboard.addWidgets(
      graph(`Snapshot quota used per region (${primary}, ${dr}), %`, primary,
        [query(`SELECT MAX(SnapshotQuotaUsedPercent) FROM SCHEMA("${METRIC_NAMESPACE}", Region) GROUP BY Region`, 'quota used', Duration.hours(1))],
        line(quotaPercent, `warn at ${quotaPercent}%`)),
      new cloudwatch.AlarmStatusWidget({
        title: `${appName} alarms`,
        alarms: [...this.criticalAlarms, ...this.warningAlarms],
        width: 12,
        height: 6,
      }),
    );
  }

  get alarms(): cloudwatch.Alarm[] {
    return [...this.criticalAlarms, ...this.warningAlarms];
  }
}


/**
 * CloudWatch alarms publish as the cloudwatch.amazonaws.com service: the topic policy (which replaces
 * SNS's default owner policy once enforceSSL adds one) must allow it for this app's alarms, and the
 * topic's KMS key must let it encrypt the message.
 */
function allowAlarmsToPublish(topic: sns.Topic, config: RdsDrConfig): void {
  const stack = Stack.of(topic);
  const principal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowRdsDrAlarms',
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${stack.region}:${stack.account}:alarm:${config.appName}-*` },
      },
    }),
  );
  topic.masterKey?.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToUseTheKey',
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
}
