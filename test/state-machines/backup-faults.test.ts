import { CreateDBClusterCommand, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/aws/clients.js';
import { holdSnapshotStatus } from '../local/faults.js';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('backup workflow with stuck and failed snapshots (injected)', () => {
  let aws: LocalStack;

  beforeAll(async () => {
    aws = await LocalStack.start({
      config: localConfig({
        policies: {
          gold: { selection: { tags: GOLD }, snapshotTimeoutMinutes: 5, copyTimeoutMinutes: 10 },
          plain: { selection: { clusters: ['plain-ledger'] } },
        },
      }),
    });
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    await createPostgresInstance(aws.rds, 'billing', GOLD);
  });
  afterAll(async () => aws?.stop());

  it('a snapshot stuck in "creating" times out after its bounded wait, only its branch fails, and the alert says so', async () => {
    const release = holdSnapshotStatus(awsClients.rds(PRIMARY), 'rdsdr-orders-202611220200', 'creating');
    try {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' }, 'stuck');
      expect(run.status).toBe('FAILED');
      expect(run.cause).toMatch(/orders \(instance\): rds-dr\.SnapshotTimeout: snapshot rdsdr-orders-202611220200 of orders still "creating" after 360 s \(limit 300 s\)/);
      // The batch looks once a minute: the first look past the 300 s budget (after six waits) gives up.
      expect(run.statesEntered.filter((s) => s === 'AdvanceBatch')).toHaveLength(7);
      expect(run.statesEntered.filter((s) => s === 'WaitForBatch')).toHaveLength(6);
      const copies = (await aws.rdsDr.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? [];
      expect(copies.map((c) => c.DBSnapshotIdentifier)).toEqual(['rdsdr-billing-202611220200']);
      const [alert] = await aws.receiveAlerts();
      expect(alert.message).toContain('rds-dr.SnapshotTimeout');
    } finally {
      release();
    }
  });

  it('a DR copy that ends "failed" fails its branch with the status named', async () => {
    const release = holdSnapshotStatus(awsClients.rds(DR), 'rdsdr-billing-202611230200', 'failed');
    try {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-23T02:00:00Z' }, 'copy-failed');
      expect(run.status).toBe('FAILED');
      expect(run.cause).toContain('billing (instance): rds-dr.SnapshotFailed: DR copy rdsdr-billing-202611230200 of billing is "failed", not available');
      expect(run.cause).toMatch(/1 of 2 database\(s\) FAILED, 1 succeeded/);
      expect((await aws.receiveAlerts())[0].message).toContain('rds-dr.SnapshotFailed');
    } finally {
      release();
    }
  });

  const snapshotCalls = (db: string, slot: string) =>
    aws.lambdaRdsCalls.filter((c) => c.command === 'CreateDBSnapshotCommand' && c.input.DBSnapshotIdentifier === `rdsdr-${db}-${slot}`);

  it('a database momentarily "backing-up" is snapshotted on a later attempt instead of failing and paging', async () => {
    // RDS refuses CreateDBSnapshot while the instance is backing-up (its automated backup window).
    const release = aws.rdsFaults.holdStatus('orders', 'backing-up', { requests: 2 });
    try {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-24T02:00:00Z' }, 'backing-up');
      expect(run.status).toBe('SUCCEEDED');
      expect(snapshotCalls('orders', '202611240200').map((c) => c.error ?? 'ok')).toEqual(['InvalidDBInstanceStateFault', 'InvalidDBInstanceStateFault', 'ok']);
      expect(await aws.receiveAlerts()).toEqual([]);
    } finally {
      release();
      await aws.receiveAlerts();
    }
  });

  it('AccessDenied on the snapshot fails its database at the first attempt (no retries of what cannot succeed later), with the code in the alert', async () => {
    const release = aws.rdsFaults.refuse('CreateDBSnapshotCommand', 'AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/backup is not authorized to perform: rds:CreateDBSnapshot');
    try {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-25T02:00:00Z' }, 'access-denied');
      expect(run.status).toBe('FAILED');
      for (const db of ['orders', 'billing']) expect(snapshotCalls(db, '202611250200').map((c) => c.error)).toEqual(['AccessDenied']);
      expect((await aws.receiveAlerts())[0].message).toContain('AccessDenied');
    } finally {
      release();
    }
  });

  it('a throttled snapshot request ("Rate exceeded") is tried again and the backup succeeds', async () => {
    const release = aws.rdsFaults.refuse('CreateDBSnapshotCommand', 'Throttling', 'Rate exceeded', { requests: 2 });
    try {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-26T02:00:00Z' }, 'throttled');
      expect(run.status).toBe('SUCCEEDED');
      const calls = [...snapshotCalls('orders', '202611260200'), ...snapshotCalls('billing', '202611260200')];
      expect(calls.filter((c) => c.error === 'Throttling')).toHaveLength(2);
      expect(calls.filter((c) => !c.error)).toHaveLength(2);
      expect(await aws.receiveAlerts()).toEqual([]);
    } finally {
      release();
    }
  });

  it('an unencrypted Aurora cluster is copied to the DR region unencrypted (RDS cannot encrypt it on copy), and the report warns', async () => {
    await aws.rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'plain-ledger', Engine: 'aurora-postgresql', MasterUsername: 'app', MasterUserPassword: 'local-only-password', StorageEncrypted: false }));
    const run = await aws.runBackup({ policy: 'plain', scheduledTime: '2026-11-27T02:00:00Z' }, 'unencrypted-cluster');
    expect(run.status).toBe('SUCCEEDED');
    const [copy] = (await aws.rdsDr.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'rdsdr-plain-ledger-202611270200' }))).DBClusterSnapshots ?? [];
    expect(copy.StorageEncrypted).toBe(false);
    expect((await aws.backupReport(run)).warnings).toEqual([expect.stringMatching(/^plain-ledger: DR copy rdsdr-plain-ledger-202611270200 is NOT encrypted/)]);
    expect(await aws.receiveAlerts()).toEqual([]);
  });
});
