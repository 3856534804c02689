// `npm start`: the main job on this machine. Starts the local AWS (moto + PostgreSQL), creates a
// sample fleet with real data, runs the backup workflow (state-machines/backup.asl.json), damages
// the live data, runs the restore drill (state-machines/verify.asl.json) against the DR copies, and
// prints what happened and where alerts went.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAuroraPostgresCluster, createPostgresInstance, createReadReplica } from './fleet.js';
import { LocalStack, REPO_ROOT } from './local-stack.js';

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

async function countRows(aws: LocalStack, copyArn: string, database: string): Promise<number> {
  await aws.dataPlane!.restoreInto(copyArn, database);
  const c = aws.pg!.client(database);
  await c.connect();
  const { rows } = await c.query('SELECT count(*)::int AS n FROM items');
  await c.end();
  return rows[0].n as number;
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  console.log(`rds-dr local backup cycle (config ${configPath})`);
  console.log('starting moto_server and PostgreSQL on loopback ...');
  const aws = await LocalStack.start({ config, withPostgres: true });
  try {
    const { primaryRegion, drRegion } = aws.config;
    const fleet = { orders: 1200, billing: 800, ledger: 500 };
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    await createPostgresInstance(aws.rds, 'billing', GOLD);
    await createPostgresInstance(aws.rds, 'scratch');
    await createReadReplica(aws.rds, 'orders-replica', 'orders', GOLD);
    await createAuroraPostgresCluster(aws.rds, 'ledger', GOLD);
    for (const [db, rows] of Object.entries(fleet)) {
      await seed(aws, db, rows);
      aws.dataPlane!.attach(db === 'ledger' ? 'cluster' : 'instance', db, db);
    }
    console.log(`fleet in ${primaryRegion}: orders, billing (tagged instances), scratch (untagged), orders-replica (tagged replica), ledger (tagged Aurora cluster)`);

    const policy = Object.keys(aws.config.policies)[0];
    const started = Date.now();
    const run = await aws.runBackup({ policy, scheduledTime: new Date().toISOString() });
    const seconds = (Date.now() - started) / 1000;
    console.log(`\nbackup workflow ${run.status} in ${seconds.toFixed(1)} s (${run.statesEntered.length} states)  execution ${run.executionArn}\n`);

    const report = (run.output ?? {}) as { succeeded?: { db: string; kind: string; snapshotId: string; copyArn: string; snapshotCreatedAt: string; copyAvailableAt: string }[] };
    const rows: Row[] = [];
    for (const r of report.succeeded ?? []) {
      const taken = (Date.parse(r.copyAvailableAt) - Date.parse(r.snapshotCreatedAt)) / 1000;
      const restored = await countRows(aws, r.copyArn, `${r.db}_dr_check`);
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
    console.log('\nlive damage after the backup: deleted all but 10 rows of orders.items');

    const drill = await aws.runVerify({ policy, scheduledTime: new Date().toISOString() });
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

    const alerts = await aws.receiveAlerts();
    const dests = [...aws.config.alerts.emails.map((e) => `email ${e}`), ...(aws.config.alerts.pagerDutyUrl ? ['PagerDuty (HTTPS)'] : [])];
    console.log(`\nalerts: topic ${aws.alertTopicArn} -> ${dests.join(', ')} when deployed; locally an SQS inbox.`);
    console.log(alerts.length ? alerts.map((a) => `  ${a.subject}\n${a.message}`).join('\n') : '  no alert: every database was backed up, copied and proven restorable.');
    process.exitCode = run.status === 'SUCCEEDED' && drill.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await aws.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
