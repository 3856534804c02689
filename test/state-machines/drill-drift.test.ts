// Drift against the last good drill, end to end on the local AWS: two backups, two drills per database;
// the fingerprints live in the reports bucket (fingerprints/<db>/), read and written under the synthesized IAM.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fingerprint } from '../../lambdas/core/fingerprint.js';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import { status } from '../../bin/cli/status.js';
import { DR, localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('drift against the last good drill (local AWS + PostgreSQL)', () => {
  let aws: LocalStack;
  let s3: S3Client;
  const bucket = () => aws.verification!.reportsBucket;

  const sql = async (db: string, text: string) => {
    const c = aws.pg!.client(db);
    await c.connect();
    try {
      return (await c.query(text)).rows;
    } finally {
      await c.end();
    }
  };
  const keys = async (prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix }))).Contents ?? []).map((o) => o.Key ?? '').sort();
  const readJson = async <T>(key: string): Promise<T> => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }))).Body!.transformToString()) as T;
  const reportOf = async (executionArn: string) => {
    const [one, ...more] = await aws.drillReports(executionArn);
    expect(more).toEqual([]);
    return one.report as { passed: boolean; checks: { name: string; passed: boolean; observed?: string; warning?: string }[]; fingerprint?: Record<string, unknown> };
  };
  const backup = async (scheduledTime: string) => expect((await aws.runBackup({ policy: 'gold', scheduledTime })).status).toBe('SUCCEEDED');

  beforeAll(async () => {
    const config = localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: {
        gold: {
          selection: { tags: GOLD },
          verify: {
            restoreTimeoutMinutes: 10,
            // Drift with its defaults: size ±20 % warns, ±50 % fails, a table losing > 50 % of its rows fails, a schema change warns.
            databases: { shop: { database: 'shop', tables: [{ name: 'public.orders', minRows: 1 }] }, catalog: { database: 'catalog' } },
          },
        },
      },
    });
    aws = await LocalStack.start({ config, withPostgres: true });
    s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    for (const db of ['shop', 'catalog']) {
      await createPostgresInstance(aws.rds, db, GOLD);
      await aws.pg!.createDatabase(db);
      aws.dataPlane!.attach('instance', db, db);
    }
    await sql(
      'shop',
      `CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL); INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 250) g;
       CREATE TABLE events (id int PRIMARY KEY, kind text); INSERT INTO events SELECT g, 'created' FROM generate_series(1, 400) g;`,
    );
    await sql('catalog', `CREATE TABLE items (id int PRIMARY KEY, body text NOT NULL); INSERT INTO items SELECT g, repeat('x', 200) FROM generate_series(1, 1000) g;`);
    await backup('2026-11-22T02:00:00Z');
  }, 300_000);
  afterAll(async () => aws?.stop());

  it('the first drill sets the baseline and stores the fingerprint (latest + history) in the reports bucket', async () => {
    const run = await aws.runDrill({ db: 'shop' }, 'drift-shop-1');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    const report = await reportOf(run.executionArn);
    expect(report.checks.filter((c) => c.name.startsWith('drift'))).toEqual([expect.objectContaining({ name: 'drift baseline set', passed: true, observed: expect.stringMatching(/^2 table\(s\), 650 rows, /) })]);
    expect(await keys('fingerprints/shop/')).toEqual([expect.stringMatching(/^fingerprints\/shop\/history\/.+\.json$/), 'fingerprints/shop/latest.json']);
    const latest = await readJson<Fingerprint>('fingerprints/shop/latest.json');
    expect(latest.rows).toEqual({ 'public.events': 400, 'public.orders': 250 });
    expect(report.fingerprint).toMatchObject({ capturedAt: latest.capturedAt, tables: 2, rows: 650, sizeBytes: latest.sizeBytes });
  });

  it('a table emptied between the backups fails the next drill with its before/after counts; an added column is a schema-change warning; the baseline stays', async () => {
    const baseline = await readJson<Fingerprint>('fingerprints/shop/latest.json');
    await sql('shop', 'DELETE FROM events; ALTER TABLE orders ADD COLUMN note text');
    await backup('2026-11-23T02:00:00Z');
    const run = await aws.runDrill({ db: 'shop' }, 'drift-shop-2');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('rds-dr.VerificationFailed');
    const report = await reportOf(run.executionArn);
    expect(report.passed).toBe(false);
    const failed = report.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.name)).toEqual(['drift table public.events rows']);
    expect(failed[0].observed).toBe(`0 rows, -100.0 % from 400 rows at the last good drill (${baseline.capturedAt})`);
    const schema = report.checks.find((c) => c.name === 'drift schema')!;
    expect(schema).toMatchObject({ passed: true, observed: 'table public.orders: column added: note text' });
    expect(schema.warning).toBe('schema changed: table public.orders: column added: note text');

    const [alert] = await aws.receiveAlerts('dr');
    expect(alert.message).toContain(`drift table public.events rows: observed "0 rows, -100.0 % from 400 rows at the last good drill (${baseline.capturedAt})"`);
    expect(alert.message).toContain('warning: drift schema: schema changed: table public.orders: column added: note text');
    // A failed drill is never the baseline: the next one still compares with the last good drill.
    expect((await readJson<Fingerprint>('fingerprints/shop/latest.json')).capturedAt).toBe(baseline.capturedAt);
    expect(await keys('fingerprints/shop/history/')).toHaveLength(1);
  });

  it('a ~30 % larger database warns (the drill passes), says the % in the report and the run summary, and becomes the baseline', async () => {
    const first = await aws.runDrill({ db: 'catalog' }, 'drift-catalog-1');
    expect(first.status).toBe('SUCCEEDED');
    const baseline = await readJson<Fingerprint>('fingerprints/catalog/latest.json');
    // Grow the source until it is ~30 % above the restored copy the baseline measured (pg_database_size).
    const size = async () => Number((await sql('catalog', 'SELECT pg_database_size(current_database())::bigint AS n'))[0].n);
    let next = 1001;
    while ((await size()) < baseline.sizeBytes * 1.3) {
      await sql('catalog', `INSERT INTO items SELECT g, repeat('y', 200) FROM generate_series(${next}, ${next + 999}) g`);
      next += 1000;
    }
    await backup('2026-11-24T02:00:00Z');

    const run = await aws.runDrill({ policy: 'gold', scheduledTime: '2026-11-24T03:00:00Z' }, 'drift-weekly');
    const catalog = (await aws.drillReports(run.executionArn)).find((r) => r.key.startsWith('reports/verification/catalog/'))!.report as Awaited<ReturnType<typeof reportOf>>;
    expect(catalog.passed).toBe(true);
    const sizeCheck = catalog.checks.find((c) => c.name === 'drift database size')!;
    expect(sizeCheck.passed).toBe(true);
    const percent = Number(/database size \+(\d+\.\d) %/.exec(sizeCheck.warning ?? '')?.[1]);
    expect(percent).toBeGreaterThan(20);
    expect(percent).toBeLessThan(50);
    expect(catalog.checks.filter((c) => c.name.startsWith('drift') && c.warning).map((c) => c.name)).toEqual(['drift database size']);
    // The run fails on shop (still emptied) and names catalog's warning under its pass.
    expect(run.status).toBe('FAILED');
    expect(run.cause).toMatch(/- catalog: passed, restore [\d.]+ s\n {4}warning: drift database size: database size \+\d+\.\d % \(\d+ -> \d+ bytes\), beyond ±20 %/);
    expect((await readJson<Fingerprint>('fingerprints/catalog/latest.json')).capturedAt).not.toBe(baseline.capturedAt);
  });

  it('rds-dr status shows each drilled database\'s last good fingerprint, summary first', async () => {
    const shop = await readJson<Fingerprint>('fingerprints/shop/latest.json');
    const catalog = await readJson<Fingerprint>('fingerprints/catalog/latest.json');
    const { output } = await status(aws.config, { account: LOCAL_ACCOUNT_ID, colour: false, all: true });
    const lines = output.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  drift fingerprints'));
    // In the summary, before the table.
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('every database')));
    expect(lines[at]).toMatch(/^ {2}drift fingerprints \(last good drill\) of 2 drilled: 2 recorded, 0 without a baseline yet; oldest \d+[sm] ago$/);
    expect(lines[at + 1]).toMatch(new RegExp(`^    catalog: ${catalog.capturedAt} \\(\\d+[sm] ago\\), 1 tables, ${Object.values(catalog.rows)[0]} rows, \\d+\\.\\d MiB$`));
    expect(lines[at + 2]).toMatch(new RegExp(`^    shop: ${shop.capturedAt} \\(\\d+[sm] ago\\), 2 tables, 650 rows, ${(shop.sizeBytes / 1048576).toFixed(1)} MiB$`));
  });

  it('an unreadable stored baseline (not a fingerprint) is replaced: the drill sets a new baseline rather than failing', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'fingerprints/shop/latest.json', Body: '{"capturedAt": 1}' }));
    const run = await aws.runDrill({ db: 'shop' }, 'drift-shop-3');
    expect(run.status).toBe('SUCCEEDED');
    const report = await reportOf(run.executionArn);
    expect(report.checks.filter((c) => c.name.startsWith('drift')).map((c) => c.name)).toEqual(['drift baseline set']);
    expect((await readJson<Fingerprint>('fingerprints/shop/latest.json')).rows).toEqual({ 'public.events': 0, 'public.orders': 250 });
  });
});
