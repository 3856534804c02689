// `npm start`: the main job on this machine. Starts the local AWS (moto + PostgreSQL + MariaDB),
// creates a sample fleet with real data (PostgreSQL and MySQL-family engines), runs the backup
// workflow (state-machines/backup.asl.json), damages the live data, runs the restore drill
// (state-machines/drill.asl.json) against the DR copies, and prints what happened and where alerts went.
import { CreateDBSnapshotCommand } from '@aws-sdk/client-rds';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAuroraPostgresCluster, createPostgresInstance, createReadReplica } from './fleet.js';
import { countMysqlItems, createMysqlSampleFleet, MYSQL_SAMPLE_FLEET } from './sample-fleet-mysql.js';
import { LocalStack, REPO_ROOT } from './local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from './moto.js';
import { status } from '../../bin/cli/status.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const configPath = resolve(REPO_ROOT, process.argv[2] ?? 'config/local.json');

type Row = Record<string, string | number>;
function printTable(rows: Row[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}

async function seed(aws: LocalStack, database: string, rows: number): Promise<void> {
  await aws.pg!.createDatabase(database);
  const c = aws.pg!.client(database);
  await c.connect();
  await c.query(`CREATE TABLE items (id int primary key, updated_at timestamptz not null default now(), payload text)`);
  await c.query(`INSERT INTO items (id, payload) SELECT g, md5(g::text) FROM generate_series(1, $1::int) g`, [rows]);
  await c.end();
}

async function countRows(aws: LocalStack, copyArn: string, database: string, mysqlFamily: boolean): Promise<number> {
  await aws.dataPlane!.restoreInto(copyArn, database);
  if (mysqlFamily) return countMysqlItems(aws, database);
  const c = aws.pg!.client(database);
  await c.connect();
  const { rows } = await c.query('SELECT count(*)::int AS n FROM items');
  await c.end();
  return rows[0].n as number;
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  console.log(`rds-dr local backup cycle (config ${configPath})`);
  console.log('starting moto_server, PostgreSQL and MariaDB on loopback ...');
  const aws = await LocalStack.start({ config, withPostgres: true, withMariadb: true });
  try {
    const { primaryRegion, drRegion } = aws.config;
    const fleet: Record<string, number> = { orders: 1200, billing: 800, ledger: 500 };
    const mysqlFamily = new Set(Object.keys(MYSQL_SAMPLE_FLEET));
    for (const [db, [, rows]] of Object.entries(MYSQL_SAMPLE_FLEET)) fleet[db] = rows;
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    await createPostgresInstance(aws.rds, 'billing', GOLD);
    await createPostgresInstance(aws.rds, 'scratch');
    await createReadReplica(aws.rds, 'orders-replica', 'orders', GOLD);
    await createAuroraPostgresCluster(aws.rds, 'ledger', GOLD);
    for (const [db, rows] of Object.entries(fleet)) {
      if (mysqlFamily.has(db)) continue;
      await seed(aws, db, rows);
      aws.dataPlane!.attach(db === 'ledger' ? 'cluster' : 'instance', db, db);
    }
    await createMysqlSampleFleet(aws, GOLD);
    console.log(
      `fleet in ${primaryRegion}: orders, billing (tagged PostgreSQL instances), scratch (untagged), orders-replica (tagged replica), ledger (tagged Aurora PostgreSQL cluster), ` +
        'shop (tagged MariaDB instance), accounts (tagged Aurora MySQL cluster)',
    );

    const policy = Object.keys(aws.config.policies)[0];
    const started = Date.now();
    const run = await aws.runBackup({ policy, scheduledTime: new Date().toISOString() });
    const seconds = (Date.now() - started) / 1000;
    console.log(`\nbackup workflow ${run.status} in ${seconds.toFixed(1)} s (${run.statesEntered.length} states)  execution ${run.executionArn}\n`);

    // The verdict is small at any fleet size; the per-database outcomes are in the run's full report in S3.
    const report = (run.output ? await aws.backupReport(run) : {}) as { succeeded?: { db: string; kind: string; snapshotId: string; copyArn: string; snapshotCreatedAt: string; copyAvailableAt: string }[] };
    console.log(`full report: s3://${aws.settings?.workBucket}/${(run.output as { reportKey?: string } | undefined)?.reportKey}\n`);
    const rows: Row[] = [];
    for (const r of report.succeeded ?? []) {
      const taken = (Date.parse(r.copyAvailableAt) - Date.parse(r.snapshotCreatedAt)) / 1000;
      const restored = await countRows(aws, r.copyArn, `${r.db}_dr_check`, mysqlFamily.has(r.db));
      rows.push({
        database: r.db,
        kind: r.kind,
        snapshot: r.snapshotId,
        [`copy in ${drRegion}`]: r.copyArn.split(':').pop() ?? '',
        seconds: taken.toFixed(2),
        'rows in copy': `${restored}/${fleet[r.db as keyof typeof fleet] ?? '?'}`,
      });
    }
    printTable(rows);
    if (run.status !== 'SUCCEEDED') console.log(`\nFAILED: ${run.error}\n${run.cause}`);

    // An accident after the backup: the drill must still find the snapshot-time data in the DR copies.
    const c = aws.pg!.client('orders');
    await c.connect();
    await c.query('DELETE FROM items WHERE id > 10');
    await c.end();
    await aws.sql('instance', 'shop', 'DELETE FROM items WHERE id > 10');
    console.log('\nlive damage after the backup: deleted all but 10 rows of orders.items and of shop.items');

    const drill = await aws.runDrill({ policy, scheduledTime: new Date().toISOString() });
    console.log(`\nrestore drill ${drill.status} (${drill.statesEntered.length} states)  execution ${drill.executionArn}\n`);
    const drillRows: Row[] = [];
    for (const { key, report } of await aws.drillReports(drill.executionArn)) {
      const checks = report.checks as { passed: boolean }[];
      drillRows.push({
        database: String(report.database),
        verdict: report.passed ? 'PASS' : 'FAIL',
        checks: `${checks.filter((c) => c.passed).length}/${checks.length} passed`,
        'restore seconds (RTO)': String(report.restoreSeconds ?? '-'),
        throwaway: String((report.throwaway as { cleanup: string }).cleanup),
        report: `s3://${aws.verification?.reportsBucket}/${key}`,
      });
    }
    printTable(drillRows);
    if (drill.status !== 'SUCCEEDED') console.log(`\nFAILED: ${drill.error}\n${drill.cause}`);

    // Pruning: give "orders" 60 days of older daily snapshots, then plan retention (dry run locally).
    for (let i = 1; i <= 60; i++) {
      const slot = new Date(Date.now() - i * 86_400_000);
      slot.setUTCHours(2, 0, 0, 0);
      await aws.rds.send(new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'orders',
        DBSnapshotIdentifier: `rdsdr-orders-${slot.toISOString().replace(/[-:T]/g, '').slice(0, 12)}`,
        Tags: [
          { Key: 'rds-dr:managed', Value: 'true' }, { Key: 'rds-dr:policy', Value: policy }, { Key: 'rds-dr:slot', Value: slot.toISOString() },
          { Key: 'rds-dr:source-arn', Value: `arn:aws:rds:${primaryRegion}:${LOCAL_ACCOUNT_ID}:db:orders` },
        ],
      }));
    }
    console.log('\nsynthetic history: 60 older daily snapshots of orders in', primaryRegion);
    const prune = await aws.runPrune({ dryRun: true }, `prune-dry-${Date.now()}`);
    console.log(`prune (dry run) ${prune.status}  execution ${prune.executionArn}\n`);
    const s3 = new S3Client({ ...motoClientConfig(aws.moto, drRegion), forcePathStyle: true });
    const planKey = `reports/prune/${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/${prune.executionArn.split(':').pop()}-plan.json`;
    const plan = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: planKey }))).Body!.transformToString()) as {
      decisions: { region: string; dbId: string; action: string; reasons: string[]; managed: boolean }[];
    };
    const groups = new Map<string, { keep: number; del: number; why: Set<string> }>();
    for (const d of plan.decisions.filter((x) => x.managed)) {
      const key = `${d.region} ${d.dbId}`;
      const g = groups.get(key) ?? { keep: 0, del: 0, why: new Set<string>() };
      if (d.action === 'keep') g.keep++;
      else g.del++;
      for (const r of d.reasons) g.why.add(r.replace(/ \d{4}[-\dW]*$/, '').replace(/\(.*$/, '').trim());
      groups.set(key, g);
    }
    printTable([...groups.entries()].map(([key, g]) => ({ 'region database': key, kept: g.keep, 'would delete': g.del, reasons: [...g.why].join(', ') })));
    console.log(`full plan with every snapshot's decision and reason: s3://${aws.reportsBucket}/${planKey}`);

    // Each region pages on its own: the backup's alerts arrive in the primary region, the drills' in the DR region.
    const alerts = [...(await aws.receiveAlerts('primary')), ...(await aws.receiveAlerts('dr'))];
    const dests = [...aws.config.alerts.emails.map((e) => `email ${e}`), ...(aws.config.alerts.pagerDutyUrl ? ['PagerDuty (HTTPS)'] : [])];
    console.log(`\nalerts: topics ${aws.alertTopicArnOf('primary')} and ${aws.alertTopicArnOf('dr')} -> ${dests.join(', ')} when deployed; locally an SQS inbox each.`);
    console.log(alerts.length ? alerts.map((a) => `  ${a.subject}\n${a.message}`).join('\n') : '  no alert: every database was backed up, copied and proven restorable.');
    // The RPO monitor's metrics, and the status table an on-call engineer gets from `npx rds-dr status`.
    // One monitor per region, each publishing the series it owns (lambdas/monitor/series-owner.ts).
    const monitors = { primary: await aws.runRpoMonitor('primary'), dr: await aws.runRpoMonitor('dr') };
    console.log(
      `\nRPO monitors published ${monitors.primary.metrics.length} metrics in ${aws.config.primaryRegion} (live recovery points) and ` +
        `${monitors.dr.metrics.length} in ${aws.config.drRegion} (DR copies) for ${monitors.primary.databases} databases. rds-dr status:\n`,
    );
    const table = await status(aws.config, { account: LOCAL_ACCOUNT_ID, colour: process.stdout.isTTY === true });
    console.log(table.output);
    if (table.breached) console.log('\nat least one objective is breached');
    const denied = aws.iam.decisions.filter((d) => !d.allowed).length;
    console.log(
      `\nIAM: ${aws.iam.decisions.length} calls by Lambdas and state machines evaluated against the synthesized roles, key, topic and bucket policies; ${denied} denied.`,
    );
    process.exitCode = [run, drill, prune].every((r) => r.status === 'SUCCEEDED') && !table.breached ? 0 : 1;
  } finally {
    await aws.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
