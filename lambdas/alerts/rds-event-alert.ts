import { type Alert } from '../core/alert.js';
// RDS snapshot / backup failure events (EventBridge, source aws.rds) as the message someone reads at 3 a.m.:
// what broke, which database and snapshot, where, RDS's own words, where to click, which runbook section.

/** The EventBridge "RDS DB … Event" envelope, as much of it as we use. */
export interface RdsEvent {
  'detail-type': string;
  source?: string;
  region: string;
  account?: string;
  time?: string;
  detail: {
    EventCategories?: string[];
    SourceType?: string;
    SourceArn?: string;
    Date?: string;
    Message?: string;
    SourceIdentifier?: string;
    EventID?: string;
  };
}

export const RDS_EVENT_DETAIL_TYPES = ['RDS DB Snapshot Event', 'RDS DB Cluster Snapshot Event', 'RDS DB Instance Event', 'RDS DB Cluster Event'] as const;

/**
 * Event ids that mean a backup or copy did not happen (RDS "Amazon RDS event categories and event
 * messages"): cross-Region / local snapshot copy canceled, automated backups disabled on an instance.
 * Snapshot events are also matched by category `failure` and by a message that says it failed, because
 * RDS adds failure events over time and every one of them on an rds-dr snapshot matters.
 */
export const RDS_FAILURE_EVENT_IDS: Record<string, string> = {
  'RDS-EVENT-0061': 'cross-Region snapshot copy canceled',
  'RDS-EVENT-0190': 'local snapshot copy canceled',
  'RDS-EVENT-0028': 'automated backups disabled (point-in-time recovery lost)',
};

/** Runbook anchors in docs/ALARMS.md. */
export const ALARMS_DOC = 'docs/ALARMS.md';
export const RDS_EVENT_SECTION = `${ALARMS_DOC}#rds-event`;

export type RdsEventKind = 'snapshot' | 'copy' | 'cluster-snapshot' | 'automated-backup' | 'backup-replication' | 'other';

export interface ClassifiedRdsEvent {
  kind: RdsEventKind;
  what: string;
  /** The database the event is about (the source id for instance/cluster events; derived from rds-dr snapshot names). */
  database?: string;
  snapshot?: string;
}

/** "rdsdr-orders-202611230200" -> "orders" (names are rdsdr-<db>-<yyyymmddhhmm>, maybe hashed when long). */
export function databaseOfSnapshot(snapshotId: string): string | undefined {
  const m = /^rdsdr-(.+)-\d{12}$/.exec(snapshotId);
  return m?.[1];
}

export function classifyRdsEvent(event: RdsEvent): ClassifiedRdsEvent {
  const d = event.detail;
  const id = d.SourceIdentifier ?? d.SourceArn?.split(':').pop() ?? 'unknown';
  const message = (d.Message ?? '').toLowerCase();
  const known = d.EventID ? RDS_FAILURE_EVENT_IDS[d.EventID] : undefined;
  switch (event['detail-type']) {
    case 'RDS DB Snapshot Event': {
      const copy = message.includes('copy') || d.EventID === 'RDS-EVENT-0061' || d.EventID === 'RDS-EVENT-0190';
      return {
        kind: copy ? 'copy' : 'snapshot',
        what: known ?? (copy ? 'DB snapshot copy failed' : 'DB snapshot failed'),
        snapshot: id,
        database: databaseOfSnapshot(id),
      };
    }
    case 'RDS DB Cluster Snapshot Event':
      return {
        kind: message.includes('copy') ? 'copy' : 'cluster-snapshot',
        what: message.includes('copy') ? 'DB cluster snapshot copy failed' : 'DB cluster snapshot failed',
        snapshot: id,
        database: databaseOfSnapshot(id),
      };
    case 'RDS DB Instance Event':
    case 'RDS DB Cluster Event':
      if (message.includes('replicat')) return { kind: 'backup-replication', what: 'automated backup replication to another region failed or stopped', database: id };
      return { kind: 'automated-backup', what: known ?? 'automated backup failed', database: id };
    default:
      return { kind: 'other', what: 'RDS event', database: id };
  }
}

export function rdsConsoleUrl(region: string, c: ClassifiedRdsEvent, detailType: string): string {
  const base = `https://${region}.console.aws.amazon.com/rds/home?region=${region}`;
  if (c.kind === 'automated-backup' || c.kind === 'backup-replication') {
    return detailType === 'RDS DB Cluster Event'
      ? `${base}#database:id=${c.database};is-cluster=true;tab=maintenance-and-backups`
      : `${base}#database:id=${c.database};is-cluster=false;tab=maintenance-and-backups`;
  }
  if (c.snapshot) {
    const type = c.kind === 'cluster-snapshot' || detailType === 'RDS DB Cluster Snapshot Event' ? 'manual-cluster' : 'manual';
    return `${base}#db-snapshot:engine=;id=${c.snapshot};type=${type}`;
  }
  return `${base}#events:`;
}

const firstChecks: Record<RdsEventKind, string> = {
  snapshot: 'Open the snapshot in the console; check the database is available and the manual-snapshot quota (`npx rds-dr status`). The next backup run retries the slot.',
  'cluster-snapshot': 'Open the cluster snapshot; check the cluster is available and the snapshot quota. The next backup run retries the slot.',
  copy: 'Check the DR key (alias/<app>/dr-snapshots) is enabled and the DR region snapshot quota; re-run the backup slot to copy again.',
  'automated-backup': 'Check the database\'s backup retention (must be > 0, and >= the PITR minimum) and its status; point-in-time restore depends on it.',
  'backup-replication': 'Check the replicated automated backups in the DR region and the DR KMS key; the PITR-readiness check restarts replication where pitr.enforce is set.',
  other: 'Open the RDS events page for the region.',
};

/** The alert for an RDS failure event, or why it is not one. */
export function formatRdsEventAlert(event: RdsEvent, appName: string): Alert {
  const d = event.detail;
  const c = classifyRdsEvent(event);
  const subject = `[${appName}] RDS ${c.what}: ${c.snapshot ?? c.database ?? 'unknown'} (${event.region})`
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, 99);
  const message = [
    `${appName}: RDS reported ${c.what} in ${event.region}.`,
    '',
    `Database:  ${c.database ?? '(not derivable from the event)'}`,
    ...(c.snapshot ? [`Snapshot:  ${c.snapshot}`] : []),
    `Region:    ${event.region}`,
    `RDS event: ${d.EventID ?? '(no id)'} [${(d.EventCategories ?? []).join(', ') || 'no category'}] at ${d.Date ?? event.time ?? 'unknown time'}`,
    `Message:   ${d.Message ?? '(none)'}`,
    `Resource:  ${d.SourceArn ?? '(none)'}`,
    `Console:   ${rdsConsoleUrl(event.region, c, event['detail-type'])}`,
    '',
    `First check: ${firstChecks[c.kind]}`,
    `Runbook:   ${RDS_EVENT_SECTION} ("RDS event: snapshot, copy or backup failed").`,
  ].join('\n');
  return { subject, message, severity: 'critical' };
}
