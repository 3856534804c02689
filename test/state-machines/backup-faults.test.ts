import { DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
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
        policies: { gold: { selection: { tags: GOLD }, snapshotTimeoutMinutes: 5, copyTimeoutMinutes: 10 } },
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
      expect(run.cause).toMatch(/orders \(instance\): rds-dr\.SnapshotTimeout: snapshot rdsdr-orders-202611220200 of orders still "creating" after 300 s \(limit 300 s\)/);
      // Backoff: 30, 60, 120 s, then the 90 s left of the 300 s budget: four waits, five looks.
      const looks = run.statesEntered.filter((s) => s === 'CheckSnapshot').length;
      expect(looks).toBe(5 + 1); // + billing's single look
      expect(run.statesEntered.filter((s) => s === 'WaitForSnapshot')).toHaveLength(4);
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
});
