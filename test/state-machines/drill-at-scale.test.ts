// "A drill run over a 300-database policy stays under the limits": the drill on the local AWS over a
// policy of 300 databases (each with a DR copy to restore), Step Functions' payload and history quotas
// enforced per execution (test/local/sfn-limits.ts), Distributed Map children included. The inline Map
// this replaced crossed the 256 KiB payload at ~200 databases; now a run drills sample.perRun of them
// (the ones drilled longest ago), at most maxConcurrency restores at once, and the next run moves on.
import { CreateDBInstanceCommand, CreateDBSnapshotCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from '../local/sfn-limits.js';
import type { WorkflowRun } from '../local/workflow-runner.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';

const DATABASES = 300;
const PER_RUN = 5;
const RESTORES_AT_ONCE = 2;
const SLOT = '202611220200';

const dbs = Array.from({ length: DATABASES }, (_, i) => `fleet${String(i).padStart(3, '0')}`);
/** Never drilled, so the first run takes the first PER_RUN in configured order and the second the next PER_RUN: those get data to restore. */
const drilledByTheTwoRuns = dbs.slice(0, 2 * PER_RUN);

describe(`a drill run over a ${DATABASES}-database policy`, () => {
  let aws: LocalStack;
  let s3: S3Client;
  const runs: WorkflowRun[] = [];
  let largestPayload = { bytes: 0, where: '' };
  /** Child executions between their first and last state: the restores in flight. */
  const inFlight = new Set<string>();
  let mostInFlight = 0;

  const rotationState = async () =>
    JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: 'drill-rotation/gold.json' }))).Body!.transformToString()) as Record<string, string>;
  const drilledIn = (run: WorkflowRun) => run.children.map((c) => (c.input as { item: { db: string } }).item.db).sort();

  beforeAll(async () => {
    aws = await LocalStack.start({
      withPostgres: true,
      // moto refuses snapshots past 100 a region by default and checks that limit on restores too.
      motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: String(10 * DATABASES) },
      config: localConfig({
        verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
        policies: {
          gold: {
            selection: { tags: { 'rds-dr:policy': 'gold' } },
            verify: {
              maxConcurrency: RESTORES_AT_ONCE,
              restoreTimeoutMinutes: 10,
              sample: { perRun: PER_RUN, maxAgeDays: 7 },
              databases: Object.fromEntries(dbs.map((db) => [db, { database: 'fleet', tables: [{ name: 'public.items', minRows: 3 }] }])),
            },
          },
        },
      }),
    });
    s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    await aws.pg!.createDatabase('fleet');
    const c = aws.pg!.client('fleet');
    await c.connect();
    await c.query('CREATE TABLE items (id int primary key); INSERT INTO items SELECT generate_series(1, 3)');
    await c.end();
    // A DR copy of each database, as cheaply as moto allows: a DR-region instance snapshotted with the
    // name and tags a backup gives its copies. Only the databases the two runs drill carry data.
    for (const db of drilledByTheTwoRuns) aws.dataPlane!.attach('instance', db, 'fleet');
    const copy = async (db: string) => {
      await aws.rdsDr.send(new CreateDBInstanceCommand({
        DBInstanceIdentifier: db, Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'local-only-password',
      }));
      const out = await aws.rdsDr.send(new CreateDBSnapshotCommand({
        DBInstanceIdentifier: db,
        DBSnapshotIdentifier: `rdsdr-${db}-${SLOT}`,
        Tags: [
          { Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:policy', Value: 'gold' },
          { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:db:${db}` }, { Key: 'rds-dr:slot', Value: '2026-11-22T02:00:00.000Z' },
        ],
      }));
      await aws.dataPlane!.onSdkCall({ region: DR, service: 'rds', action: 'createDBSnapshot', input: {}, output: out });
    };
    for (let i = 0; i < dbs.length; i += 50) await Promise.all(dbs.slice(i, i + 50).map(copy));

    const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));
    aws.onWorkflowEvent = (executionArn, event) => {
      if (event.type !== 'StateEntered' && event.type !== 'StateExited') return;
      const size = Math.max(bytes(event.state.input), event.type === 'StateExited' ? bytes(event.state.output) : 0);
      if (size > largestPayload.bytes) largestPayload = { bytes: size, where: `${event.state.name} in ${executionArn}` };
      if (event.type === 'StateEntered' && event.state.name === 'RestoreKind') inFlight.add(executionArn);
      if (event.type === 'StateExited' && event.state.name === 'ReportVerification') inFlight.delete(executionArn);
      mostInFlight = Math.max(mostInFlight, inFlight.size);
    };
    runs.push(await aws.runDrill({ policy: 'gold', scheduledTime: '2026-11-29T03:00:00Z' }, 'drill-at-scale-1'));
    runs.push(await aws.runDrill({ policy: 'gold', scheduledTime: '2026-11-30T03:00:00Z' }, 'drill-at-scale-2'));
  }, 600_000);
  afterAll(async () => aws?.stop());

  it('completes, drilling perRun databases (never drilled first, in configured order), each restored, verified and deleted', async () => {
    const [first] = runs;
    expect(first.cause).toBeUndefined();
    expect(first.status).toBe('SUCCEEDED');
    expect(drilledIn(first)).toEqual(dbs.slice(0, PER_RUN));
    expect(first.children.every((c) => c.status === 'SUCCEEDED')).toBe(true);
    const throwaways = ((await aws.rdsDr.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).filter((d) => d.DBInstanceIdentifier?.startsWith('rdsdr-verify-'));
    expect(throwaways).toEqual([]);
    // What the workflows asked of RDS about any restore still running, to tell a harness slip from a product leak.
    const leftovers = aws.dataPlane!.runningRestores;
    const about = aws.workflowSdkCalls.filter((c) => leftovers.some((id) => JSON.stringify(c.input).includes(id)));
    expect(leftovers, JSON.stringify(about.map(({ action, error }) => ({ action, error })))).toEqual([]);
  });

  it('has at most maxConcurrency restores in flight at once', () => {
    expect(mostInFlight).toBeGreaterThan(0);
    expect(mostInFlight).toBeLessThanOrEqual(RESTORES_AT_ONCE);
  });

  it('stays far below Step Functions\' quotas in every execution', () => {
    for (const run of runs) {
      expect(run.historyEvents).toBeLessThan(50);
      expect(Math.max(...[run, ...run.children].map((e) => e.historyEvents))).toBeLessThan(MAX_HISTORY_EVENTS / 100);
    }
    expect(largestPayload.bytes, largestPayload.where).toBeLessThan(MAX_PAYLOAD_BYTES / 8);
  });

  it('returns a small summary that counts the run and warns that perRun cannot keep up with 300 overdue databases', () => {
    const summary = runs[0].output as { counts: unknown; rotationWarning: string; message: string; outcomesLocation: string };
    expect(summary.counts).toEqual({ planned: PER_RUN, passed: PER_RUN, failed: 0, missing: 0 });
    expect(summary.rotationWarning).toBe(
      `${DATABASES - PER_RUN} of ${DATABASES} database(s) not drilled in 7 days are not in this run (sample.perRun ${PER_RUN}): raise verify.sample.perRun or schedule the drill more often.`,
    );
    expect(summary.message).toContain(`Rotation: this run drilled ${PER_RUN} of ${DATABASES} database(s); ${DATABASES} were overdue, ${DATABASES - PER_RUN} of them left for later runs.`);
    expect(summary.outcomesLocation).toMatch(new RegExp(`^s3://${aws.drWorkBucket}/runs/drill/`));
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(4_096);
  });

  it('rotates: the second run drills the next databases, and the rotation state records both runs', async () => {
    const [first, second] = runs;
    expect(second.cause).toBeUndefined();
    expect(second.status).toBe('SUCCEEDED');
    expect(drilledIn(second)).toEqual(dbs.slice(PER_RUN, 2 * PER_RUN));
    expect(drilledIn(second).some((db) => drilledIn(first).includes(db))).toBe(false);
    const state = await rotationState();
    expect(Object.keys(state).sort()).toEqual(drilledByTheTwoRuns);
    expect(new Set(dbs.slice(0, PER_RUN).map((db) => state[db])).size).toBe(1);
    expect(Date.parse(state[dbs[PER_RUN]])).toBeGreaterThan(Date.parse(state[dbs[0]]));
  });
});
