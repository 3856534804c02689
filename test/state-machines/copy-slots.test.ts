// Copy slots shared by every backup run of the account, on the local AWS with snapshots and copies
// that take time: RDS allows 20 instance and 5 cluster snapshot copies in progress per destination
// region, and the harness refuses more, as RDS does.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStack } from '../local/local-stack.js';
import { createFleet, manualSnapshotIds } from '../local/fleet.js';
import { localConfig } from './fixtures.js';

describe('copy slots shared by every run of the account (moto, copies that take time)', () => {
  let aws: LocalStack;
  const SLOTS = 4;

  beforeAll(async () => {
    aws = await LocalStack.start({
      config: localConfig({
        copySlots: { instance: SLOTS, cluster: 2 },
        policies: {
          blue: { selection: { tags: { team: 'blue' } }, maxConcurrency: 40 },
          green: { selection: { tags: { team: 'green' } }, maxConcurrency: 40 },
        },
      }),
      motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: '1000' },
    });
    await createFleet(aws.rds, { instances: 30, clusters: 4, prefix: 'blue', tags: { team: 'blue' } });
    await createFleet(aws.rds, { instances: 30, clusters: 4, prefix: 'green', tags: { team: 'green' } });
  }, 300_000);
  afterAll(async () => aws?.stop());

  it('two policies firing together never have more copies in progress than the slots, and every database ends copied', async () => {
    aws.rdsFaults.simulateDurations({ instanceSnapshotMs: 100, clusterSnapshotMs: 100, instanceCopyMs: 400, clusterCopyMs: 400 });
    const [blue, green] = await Promise.all([
      aws.runBackup({ policy: 'blue', scheduledTime: '2026-11-30T03:00:00Z' }, 'blue-1'),
      aws.runBackup({ policy: 'green', scheduledTime: '2026-11-30T03:00:00Z' }, 'green-1'),
    ]);
    aws.rdsFaults.simulateDurations(undefined);
    for (const run of [blue, green]) {
      expect(run.cause).toBeUndefined();
      expect(run.status).toBe('SUCCEEDED');
      expect((run.output as { counts: { succeeded: number } }).counts.succeeded).toBe(34);
    }
    // Never more in progress than the slots, and never refused by RDS for it: the slots, not RDS, held the copies back.
    expect(aws.rdsFaults.peakInProgress('us-west-2', 'instanceCopyMs')).toBeLessThanOrEqual(SLOTS);
    expect(aws.rdsFaults.peakInProgress('us-west-2', 'instanceCopyMs')).toBeGreaterThan(1);
    expect(aws.rdsFaults.peakInProgress('us-west-2', 'clusterCopyMs')).toBeLessThanOrEqual(2);
    expect(aws.lambdaRdsCalls.filter((c) => c.error === 'SnapshotQuotaExceededFault')).toEqual([]);
    const copies = await manualSnapshotIds(aws.rdsDr);
    expect(copies.filter((id) => id.endsWith('-202611300300'))).toHaveLength(68);
  }, 600_000);

  it('a slot held by an execution that died is taken over once its lease runs out, and the copy goes ahead', async () => {
    // Every instance slot held by a run that died a moment ago: its leases run out in 3 s.
    const expires = new Date(Date.now() + 3_000);
    for (let slot = 0; slot < SLOTS; slot++) {
      await aws.dynamodb.send(
        new PutItemCommand({
          TableName: aws.coordinationTable,
          Item: {
            pk: { S: 'copy-slots#us-west-2#instance' },
            sk: { S: `slot#${String(slot).padStart(2, '0')}` },
            holder: { S: `arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:died|rdsdr-x${slot}` },
            expiresAt: { S: expires.toISOString() },
            expiresAtEpoch: { N: String(Math.floor(expires.getTime() / 1000)) },
          },
        }),
      );
    }
    const run = await aws.runBackup({ policy: 'blue', scheduledTime: '2026-11-30T04:00:00Z' }, 'blue-after-death');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect((run.output as { counts: { succeeded: number } }).counts.succeeded).toBe(34);
    expect(Date.now()).toBeGreaterThan(expires.getTime());
  }, 300_000);

  it('an overlapping run of the same policy leaves the databases the earlier run still works on to it, says so, and duplicates nothing', async () => {
    aws.rdsFaults.simulateDurations({ instanceSnapshotMs: 100, clusterSnapshotMs: 100, instanceCopyMs: 1_500, clusterCopyMs: 1_500 });
    const earlier = aws.runBackup({ policy: 'green', scheduledTime: '2026-11-30T05:00:00Z' }, 'green-earlier');
    await new Promise((r) => setTimeout(r, 1_000));
    const later = await aws.runBackup({ policy: 'green', scheduledTime: '2026-11-30T06:00:00Z' }, 'green-later');
    const first = await earlier;
    aws.rdsFaults.simulateDurations(undefined);
    expect(first.status).toBe('SUCCEEDED');
    expect(later.status).toBe('SUCCEEDED');
    const verdict = later.output as { counts: { succeeded: number; skipped: number; warnings: number }; message: string };
    expect(verdict.counts.skipped).toBeGreaterThan(0);
    expect(verdict.counts.succeeded + verdict.counts.skipped).toBe(34);
    expect(verdict.message).toMatch(/left to an earlier run still working on them/);
    expect(verdict.message).toMatch(/overlap: still being backed up by arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:green-earlier/);
    // What the later run skipped it did not snapshot.
    const laterSnapshots = (await manualSnapshotIds(aws.rds)).filter((id) => id.endsWith('-202611300600'));
    expect(laterSnapshots).toHaveLength(verdict.counts.succeeded);
  }, 300_000);
});
