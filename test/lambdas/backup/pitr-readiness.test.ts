import {
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  StartDBInstanceAutomatedBackupsReplicationCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPitrReadiness } from '../../../lambdas/backup/check-pitr.js';
import { RdsPitrGateway } from '../../../lambdas/aws/pitr-gateway.js';
import { assessPitr, requirementFor, shouldStartReplication } from '../../../lambdas/core/pitr-readiness.js';
import { type Alert } from '../../../lambdas/core/alert.js';

const orders = { id: 'orders', arn: 'arn:aws:rds:us-east-1:123456789012:db:orders', kind: 'instance' as const };
const ledger = { id: 'ledger', arn: 'arn:aws:rds:us-east-1:123456789012:cluster:ledger', kind: 'cluster' as const };
const req = (over: Partial<{ minRetentionDays: number; replicateToDr: boolean; enforce: boolean }> = {}) => ({ minRetentionDays: 7, replicateToDr: false, enforce: false, ...over });

describe('requirementFor', () => {
  it('per-database pitr, else incident.pitrMinRetentionDays, else 7', () => {
    const incident = { databases: { orders: { maxReplicaLagSeconds: 300, cutover: 'rename' as const, pitr: req({ minRetentionDays: 14, replicateToDr: true }) } }, waitTimeoutSeconds: 60, pitrMinRetentionDays: 10 };
    expect(requirementFor({ incident }, 'orders')).toEqual(req({ minRetentionDays: 14, replicateToDr: true }));
    expect(requirementFor({ incident }, 'billing')).toEqual(req({ minRetentionDays: 10 }));
    expect(requirementFor({}, 'billing')).toEqual(req());
  });
});

describe('assessPitr', () => {
  it('retention: off, short, exactly enough', () => {
    expect(assessPitr(orders, { backupRetentionPeriod: 0 }, req())).toEqual([expect.objectContaining({ kind: 'backups-off', detail: expect.stringContaining('required >= 7 days') })]);
    expect(assessPitr(orders, { backupRetentionPeriod: 6 }, req())).toEqual([{ db: 'orders', kind: 'retention-short', detail: 'automated backup retention is 6 day(s), required >= 7 days' }]);
    expect(assessPitr(orders, { backupRetentionPeriod: 7 }, req())).toEqual([]);
  });

  it('replication: only when asked; a cluster cannot have it', () => {
    expect(assessPitr(orders, { backupRetentionPeriod: 7, replicatedToDr: false }, req())).toEqual([]);
    expect(assessPitr(orders, { backupRetentionPeriod: 7, replicatedToDr: false }, req({ replicateToDr: true })).map((s) => s.kind)).toEqual(['not-replicated']);
    expect(assessPitr(orders, { backupRetentionPeriod: 7, replicatedToDr: true }, req({ replicateToDr: true }))).toEqual([]);
    expect(assessPitr(ledger, { backupRetentionPeriod: 7 }, req({ replicateToDr: true })).map((s) => s.kind)).toEqual(['replication-unsupported']);
  });

  it('starts replication only with enforce, for an instance with backups on and no replication', () => {
    const missing = { backupRetentionPeriod: 7, replicatedToDr: false };
    expect(shouldStartReplication(orders, missing, req({ replicateToDr: true, enforce: true }))).toBe(true);
    expect(shouldStartReplication(orders, missing, req({ replicateToDr: true }))).toBe(false);
    expect(shouldStartReplication(orders, { ...missing, backupRetentionPeriod: 0 }, req({ replicateToDr: true, enforce: true }))).toBe(false);
    expect(shouldStartReplication(orders, { ...missing, replicatedToDr: true }, req({ replicateToDr: true, enforce: true }))).toBe(false);
    expect(shouldStartReplication(ledger, missing, req({ replicateToDr: true, enforce: true }))).toBe(false);
  });
});

// moto does not implement StartDBInstanceAutomatedBackupsReplication: this branch runs on aws-sdk-client-mock.
describe('enforce: StartDBInstanceAutomatedBackupsReplication (aws-sdk-client-mock)', () => {
  const primaryClient = new RDSClient({ region: 'us-east-1' });
  const drClient = new RDSClient({ region: 'us-west-2' });
  const primary = mockClient(primaryClient);
  const dr = mockClient(drClient);
  afterEach(() => {
    primary.reset();
    dr.reset();
  });
  const settings = {
    appName: 'rds-dr',
    primaryRegion: 'us-east-1',
    drRegion: 'us-west-2',
    incident: {
      databases: { orders: { maxReplicaLagSeconds: 300, cutover: 'rename' as const, pitr: req({ minRetentionDays: 10, replicateToDr: true, enforce: true }) } },
      waitTimeoutSeconds: 60,
      pitrMinRetentionDays: 7,
    },
  };
  const drKey = 'arn:aws:kms:us-west-2:123456789012:key/1111-2222';
  const published: Alert[] = [];
  const warnings = { publish: async (a: Alert) => (published.push(a), 'msg-1') };
  const log = { warn: () => undefined };

  it('starts replication in the DR region with the DR key, the source ARN and the required retention, and says so', async () => {
    published.length = 0;
    primary.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceArn: orders.arn, BackupRetentionPeriod: 7, DbiResourceId: 'db-ABC' }] });
    dr.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({ DBInstanceAutomatedBackups: [] });
    dr.on(StartDBInstanceAutomatedBackupsReplicationCommand).resolves({});
    const gateway = new RdsPitrGateway(primaryClient, drClient, 'us-west-2', drKey);
    const out = await checkPitrReadiness({ policy: 'gold', databases: [orders] }, { settings, gateway, warnings, log });

    const calls = dr.commandCalls(StartDBInstanceAutomatedBackupsReplicationCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({ SourceDBInstanceArn: orders.arn, BackupRetentionPeriod: 10, KmsKeyId: drKey });
    expect(primary.commandCalls(StartDBInstanceAutomatedBackupsReplicationCommand)).toHaveLength(0);
    expect(out.started).toEqual(['orders']);
    // Retention 7 < 10 is still a shortfall; the replication one is reported as remedied.
    expect(out.shortfalls.map((s) => [s.kind, s.remedied])).toEqual([
      ['retention-short', undefined],
      ['not-replicated', 'started replication to us-west-2 (pitr.enforce, retention 10 days)'],
    ]);
    expect(published).toHaveLength(1);
    expect(published[0].severity).toBe('warning');
    expect(published[0].message).toContain('automated backups are NOT replicated to the DR region (pitr.replicateToDr is set) -> started replication to us-west-2');
  });

  it('already replicating (seen in the DR region): no start call, no warning', async () => {
    published.length = 0;
    primary.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceArn: orders.arn, BackupRetentionPeriod: 10, DbiResourceId: 'db-ABC' }] });
    dr.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({ DBInstanceAutomatedBackups: [{ DBInstanceArn: orders.arn, DbiResourceId: 'db-ABC', Status: 'replicating', BackupRetentionPeriod: 10 }] });
    const gateway = new RdsPitrGateway(primaryClient, drClient, 'us-west-2', drKey);
    const out = await checkPitrReadiness({ policy: 'gold', databases: [orders] }, { settings, gateway, warnings, log });
    expect(dr.commandCalls(StartDBInstanceAutomatedBackupsReplicationCommand)).toHaveLength(0);
    expect(out.shortfalls).toEqual([]);
    expect(published).toEqual([]);
  });

  it('finds the replicated backups in the DR region by listing them: there, DescribeDBInstanceAutomatedBackups by identifier fails (no such instance)', async () => {
    published.length = 0;
    primary.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceArn: orders.arn, BackupRetentionPeriod: 10, DbiResourceId: 'db-ABC' }] });
    // As in AWS: the identifier "must match the identifier of an existing DB instance" — none exists in the DR region.
    dr.on(DescribeDBInstanceAutomatedBackupsCommand, { DBInstanceIdentifier: 'orders' }).rejects(Object.assign(new Error('DB instance orders not found'), { name: 'DBInstanceNotFoundFault' }));
    dr.on(DescribeDBInstanceAutomatedBackupsCommand, {}).resolves({
      DBInstanceAutomatedBackups: [
        { DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:other', DbiResourceId: 'db-OTHER', Status: 'replicating', BackupRetentionPeriod: 3 },
        { DBInstanceArn: orders.arn, DbiResourceId: 'db-ABC', Status: 'replicating', BackupRetentionPeriod: 10 },
      ],
    });
    const gateway = new RdsPitrGateway(primaryClient, drClient, 'us-west-2', drKey);
    expect(await gateway.facts(orders)).toEqual({ backupRetentionPeriod: 10, replicatedToDr: true, drRetentionDays: 10 });
    const out = await checkPitrReadiness({ policy: 'gold', databases: [orders] }, { settings, gateway, warnings, log });
    expect(out.shortfalls).toEqual([]);
    expect(dr.commandCalls(StartDBInstanceAutomatedBackupsReplicationCommand)).toHaveLength(0);
  });

  it('a failed start and an unreadable database are reported, never thrown', async () => {
    published.length = 0;
    primary.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders' }).resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceArn: orders.arn, BackupRetentionPeriod: 10 }] });
    primary.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'gone' }).rejects(Object.assign(new Error('DBInstance gone not found.'), { name: 'DBInstanceNotFoundFault' }));
    dr.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({});
    dr.on(StartDBInstanceAutomatedBackupsReplicationCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const gateway = new RdsPitrGateway(primaryClient, drClient, 'us-west-2', drKey);
    const gone = { ...orders, id: 'gone', arn: orders.arn.replace('orders', 'gone') };
    const out = await checkPitrReadiness({ policy: 'gold', databases: [orders, gone] }, { settings, gateway, warnings, log });
    expect(out.started).toEqual([]);
    expect(out.shortfalls.map((s) => [s.db, s.kind])).toEqual([['orders', 'not-replicated'], ['gone', 'unreadable']]);
    expect(out.shortfalls[0].remedied).toBe('could NOT start replication: AccessDenied: not authorized');
    expect(published[0].message).toContain('gone:\n  - could not read its backup settings: DBInstanceNotFoundFault');
  });
});
