import { ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('PITR readiness in the backup run (moto)', () => {
  let aws: LocalStack;

  beforeAll(async () => {
    aws = await LocalStack.start({
      config: localConfig({ incident: { pitrMinRetentionDays: 7, databases: { billing: { pitr: { minRetentionDays: 14 } } } } }),
    });
    // moto's default retention is 1 day: "orders" stays there, "billing" gets 14 (its own minimum).
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    await createPostgresInstance(aws.rds, 'billing', GOLD);
    await aws.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'billing', BackupRetentionPeriod: 14, ApplyImmediately: true }));
  });
  afterAll(async () => aws?.stop());

  it('warns on the warnings topic about the short database only, and the backup itself succeeds', async () => {
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' }, 'pitr');
    expect(run.status).toBe('SUCCEEDED');
    // In the backup report (the execution output), not as a failure.
    const output = run.output as { failedCount: number; pitr: { checked: number; shortfalls: { db: string; kind: string }[] } };
    expect(output.failedCount).toBe(0);
    expect(output.pitr.checked).toBe(2);
    expect(output.pitr.shortfalls.map((s) => [s.db, s.kind])).toEqual([['orders', 'retention-short']]);

    expect(await aws.receiveAlerts()).toEqual([]);
    const warnings = await aws.receiveWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0].subject).toBe('[rds-dr] PITR readiness: 1 database(s) short (orders)');
    expect(warnings[0].message).toContain('orders:\n  - automated backup retention is 1 day(s), required >= 7 days');
    expect(warnings[0].message).not.toContain('billing:');
    expect(warnings[0].message).toContain('docs/ALARMS.md#pitr-readiness');
  });

  it('a compliant fleet raises no warning', async () => {
    await aws.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'orders', BackupRetentionPeriod: 7, ApplyImmediately: true }));
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-23T02:00:00Z' }, 'pitr-ok');
    expect(run.status).toBe('SUCCEEDED');
    expect((run.output as { pitr: { shortfalls: unknown[] } }).pitr.shortfalls).toEqual([]);
    expect(await aws.receiveWarnings()).toEqual([]);
  });
});
