import { describe, expect, it } from 'vitest';
import { classifyRdsEvent, databaseOfSnapshot, formatRdsEventAlert, type RdsEvent } from '../../../lambdas/alerts/rds-event-alert.js';
import type { FullSettings } from '../../../lambdas/core/settings.js';
import { DEFAULT_RETENTION } from '../settings-fixtures.js';
import { protectionOf } from '../../../lambdas/core/protection.js';

// Shapes as EventBridge delivers RDS events (source aws.rds; detail fields as in the RDS user guide).
const copyCanceled: RdsEvent = {
  'detail-type': 'RDS DB Snapshot Event',
  source: 'aws.rds',
  account: '123456789012',
  time: '2026-11-23T03:12:09Z',
  region: 'us-west-2',
  detail: {
    EventCategories: ['notification'],
    SourceType: 'SNAPSHOT',
    SourceArn: 'arn:aws:rds:us-west-2:123456789012:snapshot:rdsdr-orders-202611230200',
    Date: '2026-11-23T03:12:09.123Z',
    Message: 'Canceled snapshot copy request of rdsdr-orders-202611230200 from region us-east-1.',
    SourceIdentifier: 'rdsdr-orders-202611230200',
    EventID: 'RDS-EVENT-0061',
  },
};

const clusterSnapshotFailed: RdsEvent = {
  'detail-type': 'RDS DB Cluster Snapshot Event',
  source: 'aws.rds',
  region: 'us-east-1',
  detail: {
    EventCategories: ['failure'],
    SourceType: 'CLUSTER_SNAPSHOT',
    SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rdsdr-ledger-202611230200',
    Date: '2026-11-23T02:41:00.000Z',
    Message: 'Creation of the DB cluster snapshot failed.',
    SourceIdentifier: 'rdsdr-ledger-202611230200',
  },
};

const backupsDisabled: RdsEvent = {
  'detail-type': 'RDS DB Instance Event',
  source: 'aws.rds',
  region: 'us-east-1',
  detail: {
    EventCategories: ['configuration change'],
    SourceType: 'DB_INSTANCE',
    SourceArn: 'arn:aws:rds:us-east-1:123456789012:db:orders',
    Date: '2026-11-23T09:00:00.000Z',
    Message: 'Automatic backups for this DB instance have been disabled',
    SourceIdentifier: 'orders',
    EventID: 'RDS-EVENT-0028',
  },
};

describe('formatRdsEventAlert', () => {
  it('a canceled cross-region copy names the snapshot, database, region, RDS message, console link and runbook section', () => {
    const a = formatRdsEventAlert(copyCanceled, 'acme-dr');
    expect(a.severity).toBe('critical');
    expect(a.subject).toBe('[acme-dr] RDS cross-Region snapshot copy canceled: rdsdr-orders-202611230200 (us-west-2)');
    expect(a.message).toContain('Database:  orders');
    expect(a.message).toContain('Snapshot:  rdsdr-orders-202611230200');
    expect(a.message).toContain('Region:    us-west-2');
    expect(a.message).toContain('RDS event: RDS-EVENT-0061 [notification] at 2026-11-23T03:12:09.123Z');
    expect(a.message).toContain('Message:   Canceled snapshot copy request of rdsdr-orders-202611230200 from region us-east-1.');
    expect(a.message).toContain('https://us-west-2.console.aws.amazon.com/rds/home?region=us-west-2#db-snapshot:engine=;id=rdsdr-orders-202611230200;type=manual');
    expect(a.message).toContain('docs/ALARMS.md#rds-event');
    expect(a.message).toContain('DR key');
  });

  it('a failed cluster snapshot links to the cluster snapshot', () => {
    const a = formatRdsEventAlert(clusterSnapshotFailed, 'acme-dr');
    expect(classifyRdsEvent(clusterSnapshotFailed)).toEqual({ kind: 'cluster-snapshot', what: 'DB cluster snapshot failed', snapshot: 'rdsdr-ledger-202611230200', database: 'ledger' });
    expect(a.message).toContain('type=manual-cluster');
    expect(a.message).toContain('RDS event: (no id) [failure]');
  });

  it('automated backups disabled on an instance is about the database, with its backup tab', () => {
    const a = formatRdsEventAlert(backupsDisabled, 'acme-dr');
    expect(a.subject).toBe('[acme-dr] RDS automated backups disabled (point-in-time recovery lost): orders (us-east-1)');
    expect(a.message).toContain('#database:id=orders;is-cluster=false;tab=maintenance-and-backups');
    expect(a.message).not.toContain('Snapshot:');
  });

  it('a backup replication failure is classified as such', () => {
    const e: RdsEvent = { ...backupsDisabled, detail: { ...backupsDisabled.detail, EventID: 'RDS-EVENT-9999', EventCategories: ['backup'], Message: 'Automated backup replication failed for the DB instance.' } };
    expect(classifyRdsEvent(e).kind).toBe('backup-replication');
  });

  it('subjects stay within SNS limits (ASCII, < 100 chars) for long identifiers', () => {
    const id = `rdsdr-${'x'.repeat(200)}-202611230200`;
    const a = formatRdsEventAlert({ ...copyCanceled, detail: { ...copyCanceled.detail, SourceIdentifier: id, Message: 'fail ✗' } }, 'acme-dr');
    expect(a.subject.length).toBeLessThan(100);
    expect(a.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('derives the database only from rds-dr snapshot names', () => {
    expect(databaseOfSnapshot('rdsdr-billing-eu-202611230200')).toBe('billing-eu');
    expect(databaseOfSnapshot('rds:orders-2026-11-23-02-00')).toBeUndefined();
  });
});

describe('protectionOf (instance-level events)', () => {
  const policy = (selection: FullSettings['policies'][string]['selection']) => ({
    selection, maxConcurrency: 5, maxCopiesInFlight: 5, snapshotTimeoutSeconds: 3600, copyTimeoutSeconds: 3600, retention: DEFAULT_RETENTION,
  });
  const settings: Pick<FullSettings, 'policies' | 'incident'> = {
    policies: {
      gold: policy({ tags: { 'rds-dr:policy': 'gold' }, instances: [], clusters: [] }),
      silver: policy({ tags: {}, instances: ['billing'], clusters: ['ledger'] }),
    },
  };
  const tagsOf = (tags: Record<string, string> | undefined) => ({
    calls: 0,
    async tagsOf() {
      this.calls++;
      return tags && Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    },
  });

  it('a listed database is protected without reading tags', async () => {
    const reader = tagsOf({});
    expect(await protectionOf(settings, { id: 'billing', arn: 'arn:x', kind: 'instance' }, reader)).toBe('policy silver (listed)');
    expect(await protectionOf(settings, { id: 'ledger', arn: 'arn:x', kind: 'cluster' }, reader)).toBe('policy silver (listed)');
    expect(reader.calls).toBe(0);
    // A cluster listed as such does not protect an instance of the same name.
    expect(await protectionOf(settings, { id: 'ledger', arn: 'arn:x', kind: 'instance' }, tagsOf({}))).toBeUndefined();
  });

  it('decides by the policy tags, and an untagged or unreadable database is not protected', async () => {
    expect(await protectionOf(settings, { id: 'tagged', arn: 'arn:aws:rds:us-east-1:1:db:tagged', kind: 'instance' }, tagsOf({ 'rds-dr:policy': 'gold', team: 'a' }))).toBe('policy gold (tags)');
    expect(await protectionOf(settings, { id: 'silver', arn: 'arn:aws:rds:us-east-1:1:db:silver', kind: 'instance' }, tagsOf({ 'rds-dr:policy': 'silver' }))).toBeUndefined();
    expect(await protectionOf(settings, { id: 'other', arn: 'arn:aws:rds:us-east-1:1:db:other', kind: 'instance' }, tagsOf({ team: 'x' }))).toBeUndefined();
    expect(await protectionOf(settings, { id: 'gone', arn: 'arn:aws:rds:us-east-1:1:db:gone', kind: 'instance' }, tagsOf(undefined))).toBeUndefined();
  });
});

describe('runbook sections named by messages exist in docs/ALARMS.md', () => {
  it('every docs/ALARMS.md#anchor in the alert code has its section', async () => {
    const { readFileSync } = await import('node:fs');
    const { repoPath } = await import('../../../lib/platform/paths.js');
    const doc = readFileSync(repoPath('docs', 'ALARMS.md'), 'utf8');
    const sources = [
      'lambdas/alerts/rds-event-alert.ts',
      'lambdas/alerts/failure-alert.ts',
      'lambdas/drill/sweep-drill-leftovers.handler.ts',
      'lambdas/core/pitr-readiness.ts',
      'lib/observability/rpo-monitoring.ts',
    ].map((f) => readFileSync(repoPath(f), 'utf8'));
    const { ALARM_SECTIONS } = await import('../../../lib/observability/rpo-monitoring.js');
    const anchors = new Set([
      ...sources.flatMap((src) => [...src.matchAll(/ALARMS\.md#([a-z-]+)|\$\{ALARMS_DOC\}#([a-z-]+)/g)].map((m) => m[1] ?? m[2])),
      ...Object.values(ALARM_SECTIONS),
    ]);
    expect([...anchors].sort()).toEqual(expect.arrayContaining(['pitr-readiness', 'rds-event', 'sweeper-leftover', 'workflow-failure', 'rpo-primary-breached', 'copy-lag-high']));
    for (const a of anchors) expect(doc, a).toContain(`<a id="${a}"></a>`);
  });
});
