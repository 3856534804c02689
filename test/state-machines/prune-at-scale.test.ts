// "Prune deletes any number of snapshots across runs without crossing a payload limit": a prune
// deleting thousands of snapshots on the local AWS, with Step Functions' payload and history quotas
// enforced per execution (test/local/sfn-limits.ts). The inline Map this replaced crossed the payload
// limit at ~1,055 deletions. 3,000 by default, as the issue asks (PRUNE_AT_SCALE_DELETIONS sets
// another count): moto answers one RDS call at a time (~40 ms a deletion with the IAM simulation's
// tag lookup), so on a 2-core machine they take ~3.3 minutes in all.
import { CreateDBSnapshotCommand, paginateDescribeDBSnapshots, type RDSClient } from '@aws-sdk/client-rds';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionPace } from '../../lambdas/core/deletion-pace.js';
import { createPostgresInstance } from '../local/fleet.js';
import { LOCAL_RDS_BUDGET_SCALE, LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from '../local/sfn-limits.js';
import type { WorkflowRun } from '../local/workflow-runner.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';

const DELETIONS = Number(process.env.PRUNE_AT_SCALE_DELETIONS ?? 3_000);
const DATABASES = 10;
const KEEP = { daily: 15, weekly: 0, monthly: 0, yearly: 0, minimum: 3 };
/** Expired snapshots per database and region: the deletions split over both regions. */
const EXPIRED = Math.ceil(DELETIONS / (2 * DATABASES));
const BATCHES_AT_ONCE = 5;

const dbs = Array.from({ length: DATABASES }, (_, i) => `ledger${i}`);
const yesterday = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 1, 2));
/** Daily slots: the newest KEEP.daily are kept, the EXPIRED before them are not in any bucket. */
const slots = Array.from({ length: KEEP.daily + EXPIRED }, (_, i) => new Date(yesterday.getTime() - i * 86_400_000));
const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 12);
const idOf = (db: string, slot: Date) => `rdsdr-${db}-${stamp(slot)}`;

async function managedIds(rds: RDSClient): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: 'manual' })) {
    for (const s of page.DBSnapshots ?? []) if (s.DBSnapshotIdentifier?.startsWith('rdsdr-')) ids.add(s.DBSnapshotIdentifier);
  }
  return ids;
}

describe(`a prune deleting ${2 * DATABASES * EXPIRED} snapshots (${DATABASES} databases, 2 regions) on the local AWS`, () => {
  let aws: LocalStack;
  let run: WorkflowRun;
  let largestPayload = { bytes: 0, where: '' };

  beforeAll(async () => {
    aws = await LocalStack.start({
      // moto counts every snapshot against one limit per region, as RDS counts manual snapshots against the quota.
      motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: String(4 * DATABASES * slots.length) },
      config: localConfig({
        // Each database loses EXPIRED of its KEEP.daily + EXPIRED snapshots in a region: the share guard stays on, just above that.
        pruning: { maxDeleteShare: Math.min(1, EXPIRED / slots.length + 0.01), maxDeletesPerRun: 20_000, snapshotQuota: 100_000, maxConcurrency: BATCHES_AT_ONCE },
        policies: { gold: { selection: { tags: { 'rds-dr:policy': 'gold' } }, retention: { primary: KEEP, dr: KEEP } } },
      }),
    });
    // As cheaply as moto allows: the snapshots directly, in parallel, named and tagged as backups make them.
    for (const rds of [aws.rds, aws.rdsDr]) {
      for (const db of dbs) await createPostgresInstance(rds, db);
      const jobs = dbs.flatMap((db) =>
        slots.map((slot) => () =>
          rds.send(new CreateDBSnapshotCommand({
            DBInstanceIdentifier: db,
            DBSnapshotIdentifier: idOf(db, slot),
            Tags: [
              { Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:policy', Value: 'gold' },
              { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:db:${db}` }, { Key: 'rds-dr:slot', Value: slot.toISOString() },
            ],
          })),
        ),
      );
      for (let i = 0; i < jobs.length; i += 50) await Promise.all(jobs.slice(i, i + 50).map((job) => job()));
    }
    const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));
    aws.onWorkflowEvent = (executionArn, event) => {
      if (event.type !== 'StateEntered' && event.type !== 'StateExited') return;
      const size = Math.max(bytes(event.state.input), event.type === 'StateExited' ? bytes(event.state.output) : 0);
      if (size > largestPayload.bytes) largestPayload = { bytes: size, where: `${event.state.name} in ${executionArn}` };
    };
    run = await aws.runPrune({}, 'prune-at-scale');
  }, 900_000);
  afterAll(async () => aws?.stop());

  it('completes, having deleted every planned snapshot and kept the rest', async () => {
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    for (const rds of [aws.rds, aws.rdsDr]) {
      const left = await managedIds(rds);
      const kept = dbs.flatMap((db) => slots.slice(0, KEEP.daily).map((slot) => idOf(db, slot)));
      expect([...left].sort()).toEqual(kept.sort());
    }
  });

  it('stays far below Step Functions\' quotas in every execution: the parent\'s history does not grow with the deletions', () => {
    const executions = [run, ...run.children];
    const batchSize = deletionPace(aws.settings!.pruning.rdsRequestsPerSecond, BATCHES_AT_ONCE).deletionsPerBatch;
    expect(run.children).toHaveLength(Math.ceil((2 * DATABASES * EXPIRED) / batchSize));
    expect(run.children.every((c) => c.status === 'SUCCEEDED')).toBe(true);
    expect(run.historyEvents).toBeLessThan(50);
    expect(Math.max(...executions.map((e) => e.historyEvents))).toBeLessThan(MAX_HISTORY_EVENTS / 100);
    expect(largestPayload.bytes, largestPayload.where).toBeLessThan(MAX_PAYLOAD_BYTES / 4);
  });

  it('paces each batch by its share of the RDS request budget', () => {
    // The deployed default (4 requests/s) as the local AWS lifts it for moto.
    expect(aws.settings!.pruning.rdsRequestsPerSecond).toBe(4 * LOCAL_RDS_BUDGET_SCALE);
    const pace = deletionPace(aws.settings!.pruning.rdsRequestsPerSecond, BATCHES_AT_ONCE);
    for (const child of run.children) {
      expect((child.input as { BatchInput: unknown }).BatchInput).toEqual({ executionArn: run.executionArn, deletionIntervalMs: pace.deletionIntervalMs });
    }
  });

  it('reports the right counts in a small summary, and every outcome in the audit', async () => {
    const planned = 2 * DATABASES * EXPIRED;
    const verdict = run.output as { counts: unknown; auditKey: string; failures: unknown[]; message: string };
    expect(verdict.counts).toEqual({ planned, deleted: planned, alreadyGone: 0, refused: 0, failed: 0, withoutOutcome: 0 });
    expect(verdict.failures).toEqual([]);
    expect(verdict.message).toMatch(new RegExp(`^Prune deleted ${planned} of ${planned} planned snapshot\\(s\\); 0 refused at the last check, 0 failed\\.`));
    expect(Buffer.byteLength(JSON.stringify(run.output))).toBeLessThan(4_096);
    const s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    const audit = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: verdict.auditKey }))).Body!.transformToString());
    expect(audit.outcomes).toHaveLength(planned);
    expect(new Set(audit.outcomes.map((o: { region: string; snapshotId: string }) => `${o.region}/${o.snapshotId}`)).size).toBe(planned);
    expect(audit.outcomes.every((o: { outcome: string }) => o.outcome === 'deleted')).toBe(true);
  });
});
