// When deletions fail: a deletion RDS refuses, or a whole batch whose Lambda keeps failing, is an
// outcome the report counts and names; the run fails with a short, readable cause; the next run
// deletes what is left (a batch run twice finds its snapshots already gone).
import { CreateDBSnapshotCommand, paginateDescribeDBSnapshots } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID } from '../local/moto.js';
import type { LambdaHandler } from '../local/workflow-runner.js';
import { localConfig, PRIMARY } from './fixtures.js';

const KEEP = { daily: 30, weekly: 0, monthly: 0, yearly: 0, minimum: 3 };
const EXPIRED = 250;
const yesterday = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 1, 2));
const slots = Array.from({ length: KEEP.daily + EXPIRED }, (_, i) => new Date(yesterday.getTime() - i * 86_400_000));
const idOf = (slot: Date) => `rdsdr-orders-${slot.toISOString().replace(/[-:T]/g, '').slice(0, 12)}`;
/** An expired snapshot whose batch will fail. */
const VICTIM = idOf(slots[KEEP.daily + 120]);

type Batch = { Items: { snapshotId: string }[] };

describe('prune on the local AWS when deletions fail', () => {
  let aws: LocalStack;

  const managedLeft = async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeDBSnapshots({ client: aws.rds }, { SnapshotType: 'manual' })) ids.push(...(page.DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier ?? ''));
    return ids.filter((id) => id.startsWith('rdsdr-'));
  };

  beforeAll(async () => {
    aws = await LocalStack.start({
      motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: '1000' },
      config: localConfig({
        pruning: { maxDeleteShare: 0.9, maxConcurrency: 2 },
        policies: { gold: { selection: { tags: { 'rds-dr:policy': 'gold' } }, retention: { primary: KEEP, dr: KEEP } } },
      }),
    });
    await createPostgresInstance(aws.rds, 'orders');
    const create = (slot: Date) =>
      aws.rds.send(new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: idOf(slot),
        Tags: [
          { Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:policy', Value: 'gold' },
          { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:db:orders` }, { Key: 'rds-dr:slot', Value: slot.toISOString() },
        ],
      }));
    for (let i = 0; i < slots.length; i += 50) await Promise.all(slots.slice(i, i + 50).map(create));
  });
  afterAll(async () => aws?.stop());

  it('counts every deletion of a batch that keeps failing and each one RDS refuses as failed, and fails with a short cause naming them', async () => {
    const undoBatch = aws.wrapLambda('delete-snapshot-batch', (original) => async (batch: never) => {
      if ((batch as Batch).Items.some((i) => i.snapshotId === VICTIM)) throw new Error('batch blew up');
      return original(batch);
    });
    const undoRefusal = aws.rdsFaults.refuse('DeleteDBSnapshotCommand', 'InvalidDBSnapshotStateFault', 'Cannot delete the snapshot right now', { requests: 3 });
    await aws.receiveAlerts();
    const run = await aws.runPrune({}, 'prune-failing').finally(() => (undoBatch(), undoRefusal()));

    const failedBatch = run.children.find((c) => c.status === 'FAILED');
    expect(run.children.filter((c) => c.status === 'FAILED')).toEqual([failedBatch]);
    const lost = (failedBatch!.input as Batch).Items.length;
    const failed = lost + 3;
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.PruneFailed');
    expect(run.cause).toMatch(new RegExp(`^Prune deleted ${EXPIRED - failed} of ${EXPIRED} planned snapshot\\(s\\); 0 refused at the last check, ${failed} failed\\.`));
    expect(run.cause).toMatch(/- FAILED us-east-1 rdsdr-orders-\d+: InvalidDBSnapshotStateFault: Cannot delete the snapshot right now/);
    expect(run.cause).toContain(`- FAILED us-east-1 ${(failedBatch!.input as Batch).Items[0].snapshotId}: its batch FAILED: Error: `);
    expect(run.cause).toContain(`- … and ${failed - 20} more failed (see the audit)`);
    expect(Buffer.byteLength(run.cause ?? '')).toBeLessThan(8_192);
    expect((await managedLeft()).length).toBe(KEEP.daily + failed);
    const [alert] = (await aws.receiveAlerts()).filter((a) => a.subject.includes('rds-dr-prune FAILED'));
    expect(alert.message).toContain(`${failed} failed`);
  });

  it('deletes what the failed run left on the next run, counting a retried batch\'s deletions as already gone', async () => {
    // The first invocation of each batch deletes, then fails as if its response were lost: Step Functions retries the batch.
    const seen = new Set<string>();
    const undo = aws.wrapLambda('delete-snapshot-batch', (original: LambdaHandler) => async (batch: never) => {
      const result = await original(batch);
      const first = (batch as Batch).Items[0].snapshotId;
      if (!seen.has(first)) {
        seen.add(first);
        throw Object.assign(new Error('connection reset'), { name: 'Lambda.ServiceException' });
      }
      return result;
    });
    const left = (await managedLeft()).length - KEEP.daily;
    const run = await aws.runPrune({}, 'prune-after-failure').finally(undo);
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({ failed: false, counts: { planned: left, deleted: 0, alreadyGone: left, refused: 0, failed: 0, withoutOutcome: 0 } });
    expect((await managedLeft()).sort()).toEqual(slots.slice(0, KEEP.daily).map(idOf).sort());
  });
});
