import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Duration } from 'aws-cdk-lib';
import type { Objectives } from '../platform/config/objectives.js';
import type { RdsDrConfig } from '../platform/config/schema.js';

/** One alarm of the RPO monitoring: a Metrics Insights query against a threshold. */
export interface AlarmSpec {
  readonly query: string;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly description: string;
  readonly missing?: cloudwatch.TreatMissingData;
  readonly period?: Duration;
  readonly evaluationPeriods?: number;
}

export type AddAlarm = (name: string, spec: AlarmSpec, severity: 'critical' | 'warning') => cloudwatch.Alarm;

/**
 * CopyLagHigh, in either region: the newest DR copy is older than `share` of the DR RPO, so someone can act
 * before RpoDrBreached pages. Each region's alarm holds different databases (lambdas/monitor/series-owner.ts):
 * the DR region's every database with a DR copy, the primary's only those without any, so with none
 * (normal operation) the primary's has no data, and that is no breach.
 */
export function copyLagHigh(schema: string, dr: string, o: NonNullable<Objectives>, share: number): AlarmSpec {
  return {
    query: `SELECT MAX(LastCopyAgeSeconds) FROM ${schema} WHERE Region = '${dr}'`,
    threshold: Math.round(o.rpoDrMinutes * 60 * share),
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `the newest DR copy of a protected database is older than ${share * 100}% of the DR RPO objective ` +
      `(${o.rpoDrMinutes} min): copies are lagging and RpoDrBreached will page if nothing changes. Check the last backup ` +
      'execution\'s copy step.',
  };
}

/**
 * The DR region's RPO alarms, on the series its monitor publishes there (lambdas/monitor/series-owner.ts):
 * the copy ages of every database with a DR copy (its list comes from the DR region, so it is whole
 * during a primary-region outage) and both ages of the databases failed over to it. Same names as the
 * primary's (alarm names are regional), each holding a different set of databases.
 */
export function addDrRpoAlarms(
  alarm: AddAlarm,
  config: RdsDrConfig,
  o: NonNullable<Objectives>,
  queries: { ageIn: (region: string) => string; schema: string; dashboard: string; copyLagShare: number },
): void {
  const { primaryRegion: primary, drRegion: dr } = config;
  const { ageIn, schema, dashboard, copyLagShare } = queries;
  alarm('RpoDrBreached', {
    query: ageIn(dr),
    threshold: o.rpoDrMinutes * 60,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `a protected database has no restorable copy in the DR region ${dr} newer than the RPO objective of ${o.rpoDrMinutes} min ` +
      `(strictest rpoDrMinutes), or the RPO monitor in ${dr} stopped publishing. Find the database on dashboard ${dashboard} or with ` +
      '`npx rds-dr status`; check the last backup execution\'s copy step and the DR snapshot quota.',
  }, 'critical');
  alarm('RpoPrimaryBreached', {
    query: ageIn(primary),
    threshold: o.rpoPrimaryMinutes * 60,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `a database a failover made active in ${dr} has no restorable point there (latest restorable time, rds-dr snapshot) newer ` +
      `than the RPO objective of ${o.rpoPrimaryMinutes} min (strictest rpoPrimaryMinutes). Find it on dashboard ${dashboard}; check ` +
      `its automated backups and the last backup execution in ${dr}.`,
    // Only failed-over databases have this series here: with none (normal operation), there is no data, and that is no breach.
    missing: cloudwatch.TreatMissingData.NOT_BREACHING,
  }, 'critical');
  alarm('CopyLagHigh', copyLagHigh(schema, dr, o, copyLagShare), 'warning');
  alarm('RecoveryPointInFuture', {
    query: `SELECT MAX(FutureRecoveryPoints) FROM ${schema}`,
    threshold: 0,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `a protected database has a DR copy (or, failed over to ${dr}, a recovery point) more than 5 minutes in the future: a skewed ` +
      'clock or a forged rds-dr:slot tag. The RPO ages leave it out, so they rest on the older points. Check its tags and RDS creation time.',
    missing: cloudwatch.TreatMissingData.NOT_BREACHING,
    evaluationPeriods: 1,
  }, 'warning');
}
