// The backup workflow at fleet scale on the local AWS, with Step Functions' payload and history
// limits enforced per execution (child executions included), the RDS contracts (at most 20 instance
// and 5 cluster snapshot copies in progress per destination region) and IAM simulation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStack } from '../local/local-stack.js';
import { createFleet, manualSnapshotIds } from '../local/fleet.js';
import { localConfig } from './fixtures.js';
import type { WorkflowRun } from '../local/workflow-runner.js';

const FLEET = Number(process.env.RDSDR_SCALE_FLEET ?? 1_000);
const CLUSTERS = Math.round(FLEET / 20);
const DOOMED = 300;


/** The largest history of any one execution of the run (the parent or a Distributed Map child). */
const largestHistory = (run: WorkflowRun) => Math.max(run.historyEvents, ...run.children.map((c) => c.historyEvents));

describe(`backup workflow at ${FLEET} databases (moto)`, () => {
  let aws: LocalStack;

  beforeAll(async () => {
    aws = await LocalStack.start({
      // Copy slots raised as an account with a raised copy quota would: moto copies at once, and what is
      // measured here is that nothing grows with the fleet; test/state-machines/copy-slots.test.ts holds
      // copies to RDS's default slots while they take time.
      config: localConfig({
        copySlots: { instance: 100, cluster: 25 },
        policies: {
          fleet: { selection: { tags: { 'rds-dr:policy': 'fleet' } }, maxConcurrency: 40 },
          doomed: { selection: { tags: { 'rds-dr:policy': 'doomed' } }, maxConcurrency: 40 },
        },
      }),
      // An account with this many databases has its manual-snapshot quota raised (default 100 per region).
      motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: String((FLEET + DOOMED) * 4) },
    });
    await createFleet(aws.rds, { instances: FLEET - CLUSTERS, clusters: CLUSTERS, prefix: 'db', tags: { 'rds-dr:policy': 'fleet' } });
    await createFleet(aws.rds, { instances: DOOMED, clusters: 0, prefix: 'doomed', tags: { 'rds-dr:policy': 'doomed' } });
  }, 600_000);
  afterAll(async () => aws?.stop());

  it('snapshots and copies every database with no state payload or history growing with the fleet', async () => {
    const run = await aws.runBackup({ policy: 'fleet', scheduledTime: '2026-11-30T02:00:00Z' }, 'fleet-1');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    const output = run.output as { counts: { succeeded: number; failed: number }; reportKey: string };
    expect(output.counts).toMatchObject({ succeeded: FLEET, failed: 0 });
    expect((await manualSnapshotIds(aws.rdsDr)).filter((id) => id.endsWith('-202611300200'))).toHaveLength(FLEET);
    // One child execution per batch of 25; the parent is a handful of states whatever the fleet.
    expect(run.children).toHaveLength(Math.ceil(FLEET / 25));
    expect(run.historyEvents).toBeLessThan(40);
    expect(largestHistory(run)).toBeLessThan(2_500);
    // The verdict is the same size at any fleet: the full report is in S3.
    expect(Buffer.byteLength(JSON.stringify(run.output))).toBeLessThan(8_192);
  }, 900_000);

  it('300 databases failing make one readable alert that fits SNS: counts, the first 50 names, and where the full list is', async () => {
    const release = aws.rdsFaults.refuse('CreateDBSnapshotCommand', 'AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/backup is not authorized to perform: rds:CreateDBSnapshot', { requests: DOOMED });
    const run = await aws.runBackup({ policy: 'doomed', scheduledTime: '2026-11-30T03:00:00Z' }, 'doomed-1').finally(release);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.BackupFailed');
    const [alert, ...more] = await aws.receiveAlerts();
    expect(more).toEqual([]);
    expect(alert.message).toContain(`${DOOMED} of ${DOOMED} database(s) FAILED, 0 succeeded.`);
    expect(alert.message.match(/^- doomed-i\d{4} \(instance\): AccessDenied: /gm)).toHaveLength(50);
    const pointer = new RegExp(`- … and ${DOOMED - 50} more failed database\\(s\\): full list in s3://${aws.settings!.workBucket}/(runs/backup/\\S+/report\\.json)`).exec(alert.message);
    expect(pointer).not.toBeNull();
    const report = await aws.backupReport(run, pointer![1]);
    expect(Buffer.byteLength(alert.message)).toBeLessThan(256 * 1024);
    // The full list is in S3, every database named once.
    expect(new Set(report.failed.map((f) => f.db)).size).toBe(DOOMED);
  }, 600_000);
});
