// The region-outage game day (issue 13, "Prove it"): the whole incident on the local AWS, one step at
// a time. A two-database fleet with DR read replicas is backed up; the primary region fails at the
// network level; both databases fail over; a bad failover input pages the DR region's topic only;
// rows are written to the promoted databases, which the DR region's backup protects; the region
// recovers; the failback (dry run, then switch) brings every database home with its new rows.
//
// One sequence for the test (test/state-machines/game-day.test.ts asserts on each step's facts) and
// the demo (`npm run game-day`, test/local/game-day.ts, prints each step's evidence). A step's checks
// are the evidence the demo requires; the test asserts on the facts themselves as well.
import { CreateDBInstanceReadReplicaCommand, DeleteDBInstanceCommand, RemoveTagsFromResourceCommand } from '@aws-sdk/client-rds';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { DR, localConfig, PRIMARY, primaryPlacement } from '../state-machines/fixtures.js';
import { createPostgresInstance } from './fleet.js';
import { type InstanceState, LocalAwsView } from './game-day-world.js';
import { type Alert, LocalStack } from './local-stack.js';
import type { RegionOutage } from './region-outage.js';
import type { WorkflowRun } from './workflow-runner.js';

export const FLEET = ['orders', 'billing'] as const;
export type Db = (typeof FLEET)[number];
export const GOLD = { 'rds-dr:policy': 'gold' };
export const SEED_ROWS = 500;
/** Rows written to each promoted database while the primary region is down. */
export const ROWS_AFTER_FAILOVER = 25;
export const OUTAGE_REASON = 'us-east-1 outage GAMEDAY-13';
export const FAILBACK_REASON = 'us-east-1 recovered, back home GAMEDAY-13';
export const standbyOf = (db: string) => `${db}-replica`;
export const newStandbyOf = (db: string) => `${db}-standby`;
export const writerParameter = (db: string) => `/app/${db}/writer`;
export const activeRegionParameter = (db: string) => `/rds-dr/active-region/${db}`;

export interface Check {
  what: string;
  ok: boolean;
}

export interface Step<F> {
  title: string;
  /** What happened, as the demo prints it. */
  evidence: string[];
  /** The evidence the step must show (the demo exits non-zero when one is not ok). */
  checks: Check[];
  facts: F;
}

type Series = { value: number; by: string } | undefined;
export interface RpoTick {
  step: string;
  /** The regions whose monitor ran. */
  monitors: string[];
  /** Series published under a replica's name instead of the database's (a failed-over database must keep its name). */
  replicaNamedSeries: number;
  databases: Record<Db, { live: Series; copy: Series; lastSnapshot: Series }>;
}
const tickLine = (t: RpoTick) =>
  `RPO tick (monitors in ${t.monitors.join(' and ')}): ` +
  FLEET.map((db) => `${db} live ${t.databases[db].live ? `${t.databases[db].live!.value.toFixed(0)} s (by ${t.databases[db].live!.by})` : 'none'}, copy ${t.databases[db].copy ? `${t.databases[db].copy!.value.toFixed(0)} s (by ${t.databases[db].copy!.by})` : 'none'}`).join('; ');

type Steps = Record<string, { step: { outcome: string; detail: string } }>;
const stepsOf = (run: WorkflowRun) => ((run.output as { steps?: Steps } | undefined)?.steps ?? {}) as Steps;
const runLine = (what: string, run: WorkflowRun) => `${what}: ${run.status}${run.error ? ` ${run.error}` : ''} (${run.statesEntered.length} states) ${run.executionArn}${run.cause ? `\n    cause: ${run.cause}` : ''}`;
const check = (what: string, ok: boolean): Check => ({ what, ok });
const sorted = (xs: string[]) => [...xs].sort();
const same = (a: string[], b: readonly string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted([...b]));
/** A schedule slot `minutesAgo` minutes before now (the workflows refuse a slot in the future). */
const slotAgo = (minutesAgo: number) => {
  const slot = new Date(Date.now() - minutesAgo * 60_000);
  slot.setUTCSeconds(0, 0);
  return slot.toISOString();
};
const stamp = (iso: string) => iso.replace(/[-:T]/g, '').slice(0, 12);

export class GameDay extends LocalAwsView {
  private outage?: RegionOutage;
  /** Slots of the three backups: before the outage, in the DR region during it, in the primary region after the failback. */
  readonly slots = { before: slotAgo(30), duringOutage: slotAgo(10), afterFailback: slotAgo(0) };

  /** Each database's RPO series as the monitors published them, once per step: the "no gap" evidence. */
  readonly rpoTicks: RpoTick[] = [];

  private constructor(aws: LocalStack) {
    super(aws);
  }

  /**
   * One schedule tick of the RPO monitors: the DR region's always, the primary region's unless the
   * region is down (its monitor is down with it). Records, per database, the live series (Region =
   * primary) and the copy series (Region = DR), whoever published them.
   */
  async rpoTick(step: string): Promise<RpoTick> {
    const monitors = [{ where: DR, run: await this.aws.runRpoMonitor('dr') }];
    if (!this.outage) monitors.push({ where: PRIMARY, run: await this.aws.runRpoMonitor('primary') });
    const series = (name: string, db: string, region: string) => {
      for (const m of monitors) {
        const found = m.run.metrics.find((x) => x.name === name && x.db === db && x.region === region);
        if (found) return { value: found.value, by: m.where };
      }
      return undefined;
    };
    const tick: RpoTick = {
      step,
      monitors: monitors.map((m) => m.where),
      replicaNamedSeries: monitors.flatMap((m) => m.run.metrics).filter((m) => m.db?.endsWith('-replica')).length,
      databases: Object.fromEntries(
        FLEET.map((db) => [db, { live: series('RecoveryPointAgeSeconds', db, PRIMARY), copy: series('RecoveryPointAgeSeconds', db, DR), lastSnapshot: series('LastSnapshotAgeSeconds', db, PRIMARY) }]),
      ) as RpoTick['databases'],
    };
    this.rpoTicks.push(tick);
    return tick;
  }

  /**
   * The local AWS (moto + PostgreSQL) with the failover tests' layout: each database a tagged
   * PostgreSQL instance with real rows, a cross-region read replica as its standby, the writer's
   * host in an SSM parameter in both regions (Route 53's control plane is in us-east-1, the failed
   * region), and the failback's placement in the primary region.
   */
  static async start(): Promise<GameDay> {
    const aws = await LocalStack.start({
      withPostgres: true,
      config: localConfig(),
      prepare: async (moto, config) => {
        const placement = await primaryPlacement(moto);
        const database = (db: string) => ({
          standby: { replicaInstance: standbyOf(db) },
          maxReplicaLagSeconds: 60,
          endpoint: { ssmParameter: writerParameter(db) },
          cutover: 'endpoint',
          failback: placement,
        });
        return { ...config, incident: { failbackKmsKeyArn: placement.kmsKeyId, databases: Object.fromEntries(FLEET.map((db) => [db, database(db)])) } };
      },
    });
    const day = new GameDay(aws);
    try {
      for (const db of FLEET) await day.createDatabase(db);
    } catch (err) {
      await aws.stop();
      throw err;
    }
    return day;
  }

  private async createDatabase(db: Db): Promise<void> {
    const { aws } = this;
    const arn = await createPostgresInstance(aws.rds, db, GOLD);
    await aws.pg!.createDatabase(db);
    const c = aws.pg!.client(db);
    await c.connect();
    try {
      await c.query('CREATE TABLE items (id int primary key, written text not null)');
      await c.query(`INSERT INTO items (id, written) SELECT g, 'before-outage' FROM generate_series(1, $1::int) g`, [SEED_ROWS]);
    } finally {
      await c.end();
    }
    aws.dataPlane!.attach('instance', db, db);
    const replica = await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: standbyOf(db), SourceDBInstanceIdentifier: arn }));
    // moto 5.2.1 gives a read replica its source's tags; AWS documents no such inheritance (the replica's
    // tags are the ones its creator chose). The standby starts without the policy's tags, so the failover
    // has to find them itself while the primary region, where they are, is down.
    await aws.rdsDr.send(new RemoveTagsFromResourceCommand({ ResourceName: replica.DBInstance!.DBInstanceArn!, TagKeys: Object.keys(GOLD) }));
    const host = (await this.instance(PRIMARY, db))?.endpoint ?? '';
    for (const region of [PRIMARY, DR]) await this.ssm[region].send(new PutParameterCommand({ Name: writerParameter(db), Value: host, Type: 'String', Overwrite: true }));
  }

  async stop(): Promise<void> {
    await this.outage?.end();
    await this.aws.stop();
  }

  // ---- 1. backup ------------------------------------------------------------------------------

  async backup() {
    const { aws } = this;
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: this.slots.before }, 'gameday-1-primary');
    const report = run.output ? await aws.backupReport(run) : undefined;
    const copies = (await this.snapshotIds(DR)).filter((id) => id.endsWith(stamp(this.slots.before)));
    const copyRows = Object.fromEntries(await Promise.all(FLEET.map(async (db) => [db, await this.rowsInSnapshot(DR, `rdsdr-${db}-${stamp(this.slots.before)}`)] as const)));
    const tick = await this.rpoTick('1');
    const facts = { run, succeeded: sorted(report?.succeeded.map((s) => s.db) ?? []), failed: report?.failed ?? [], copies: sorted(copies), copyRows, tick };
    return {
      title: `1. backup of the fleet in ${PRIMARY}, copies to ${DR}`,
      evidence: [
        runLine('backup (primary)', run),
        tickLine(tick),
        `succeeded: ${facts.succeeded.join(', ') || 'none'}; failed: ${facts.failed.map((f) => f.db).join(', ') || 'none'}`,
        `copies in ${DR}: ${facts.copies.join(', ') || 'none'}`,
        ...FLEET.map((db) => `rows in the ${DR} copy of ${db}: ${JSON.stringify(copyRows[db])}`),
      ],
      checks: [
        check('RPO: both series of every database (live from the primary monitor, copies from the DR monitor)', FLEET.every((db) => tick.databases[db].live !== undefined && tick.databases[db].copy !== undefined)),
        check('the backup succeeded', run.status === 'SUCCEEDED'),
        check(`every database backed up (${FLEET.join(', ')})`, same(facts.succeeded, FLEET)),
        check(`a copy of each in ${DR}`, same(facts.copies, FLEET.map((db) => `rdsdr-${db}-${stamp(this.slots.before)}`))),
        check(`each copy holds the ${SEED_ROWS} rows`, FLEET.every((db) => copyRows[db]['before-outage'] === SEED_ROWS)),
      ],
      facts,
    } satisfies Step<unknown>;
  }

  // ---- 2. the primary region fails -----------------------------------------------------------

  async regionFails() {
    this.outage = await this.aws.regionOutage(PRIMARY, 'refused');
    // Before any failover: the live series of a database in the failed region has no observer; its
    // copy series (what can be recovered now) keeps coming from the DR region's monitor.
    const tick = await this.rpoTick('2');
    return {
      title: `2. ${PRIMARY} fails: every call into it is refused at the network level, for every client`,
      evidence: [`outage of ${PRIMARY} (${this.outage.kind}) started`, tickLine(tick)],
      checks: [
        check(`${PRIMARY} is down`, this.outage.region === PRIMARY),
        check(`RPO: the copy series of every database, from the ${DR} monitor`, FLEET.every((db) => tick.databases[db].copy?.by === DR && tick.databases[db].copy!.value > 0)),
      ],
      facts: { outage: this.outage, tick },
    } satisfies Step<unknown>;
  }

  // ---- 3. failover ---------------------------------------------------------------------------

  async failover() {
    const runs: Record<string, WorkflowRun> = {};
    for (const db of FLEET) {
      await this.replicaLag(DR, standbyOf(db), 1);
      runs[db] = await this.aws.runFailover({ db, reason: OUTAGE_REASON }, `gameday-3-failover-${db}`);
    }
    const promoted: Record<string, InstanceState | undefined> = {};
    const writers: Record<string, string | undefined> = {};
    const records: Record<string, string | undefined> = {};
    for (const db of FLEET) {
      promoted[db] = await this.instance(DR, standbyOf(db));
      writers[db] = await this.parameter(DR, writerParameter(db));
      records[db] = await this.parameter(DR, activeRegionParameter(db));
    }
    const notices = await this.aws.receiveWarnings('dr');
    const noticeOf = (db: string) => notices.find((n) => n.message.includes(`failover of ${db} completed`) && n.message.includes(runs[db].executionArn));
    const tick = await this.rpoTick('3');
    const facts = { runs, promoted, writers, records, notices, tick };
    return {
      title: `3. failover of ${FLEET.join(' and ')} in ${DR} (the primary region down)`,
      evidence: [
        ...FLEET.flatMap((db) => [
        runLine(`failover of ${db}`, runs[db]),
        `  checks:        ${stepsOf(runs[db]).checks?.step.detail}`,
        `  active region: ${stepsOf(runs[db]).activeRegion?.step.detail}`,
        `  cutover:       ${stepsOf(runs[db]).cutover?.step.detail}`,
        `  ${standbyOf(db)} in ${DR}: ${promoted[db]?.status}, ${promoted[db]?.replicaOf ? `still a replica of ${promoted[db]?.replicaOf}` : 'a writer'}; SSM ${writerParameter(db)} (${DR}) = ${writers[db]}`,
        `  record ${activeRegionParameter(db)} = ${records[db]}`,
        `  notice on the ${DR} warnings topic: ${noticeOf(db)?.subject ?? 'none'}`,
      ]),
        tickLine(tick),
      ],
      checks: [
        ...FLEET.flatMap((db) => [
        check(`failover of ${db} succeeded`, runs[db].status === 'SUCCEEDED'),
        check(`${standbyOf(db)} is a writer`, promoted[db]?.status === 'available' && promoted[db]?.replicaOf === undefined),
        check(`SSM ${writerParameter(db)} in ${DR} points at ${standbyOf(db)}`, !!writers[db] && writers[db] === promoted[db]?.endpoint),
        check(`${db} is recorded active in ${DR}`, records[db]?.includes(`"region":"${DR}"`) === true),
        check(`the ${DR} warnings topic has the failover notice of ${db}`, noticeOf(db) !== undefined),
      ]),
        check(`RPO: both series of every failed-over database, from the ${DR} monitor`, FLEET.every((db) => tick.databases[db].live?.by === DR && tick.databases[db].copy?.by === DR)),
      ],
      facts,
    } satisfies Step<unknown>;
  }

  // ---- 4. a failed step in the DR region pages there, and only there ---------------------------

  async failedStepPagesDr() {
    const before = { dr: await this.aws.receiveAlerts('dr'), primary: await this.aws.receiveAlerts('primary') };
    const publishesIntoOutage = () => (this.outage?.attempts ?? []).filter((a) => a.client === 'SNSClient').length;
    // A typo at 3 a.m.: an unknown field. The failover refuses it in its first state, changing nothing.
    const run = await this.aws.runFailover({ db: 'orders', reason: OUTAGE_REASON, dryrun: true }, 'gameday-4-bad-input');
    const dr = await this.aws.receiveAlerts('dr');
    const primary = await this.aws.receiveAlerts('primary');
    const facts = { run, before, dr, primary, snsAttemptsIntoOutageAll: publishesIntoOutage() };
    const paged = (a: Alert) => a.subject.includes('rds-dr.InvalidInput') && /unknown field\(s\) dryrun/.test(a.message) && a.message.includes(run.executionArn);
    return {
      title: `4. a failed step in ${DR} pages the ${DR} alert topic, and nothing is sent toward ${PRIMARY}`,
      evidence: [
        runLine('failover with a bad input', run),
        ...dr.map((a) => `alert on the ${DR} topic: ${a.subject}\n    ${a.message.split('\n').slice(0, 6).join('\n    ')}`),
        `alerts on the ${PRIMARY} topic: ${primary.length}; SNS attempts into ${PRIMARY} during the outage: ${facts.snsAttemptsIntoOutageAll}`,
      ],
      checks: [
        check('the bad input failed the run in its first state', run.status === 'FAILED' && run.error === 'rds-dr.InvalidInput' && run.statesEntered.join() === 'PlanFailover'),
        check(`one alert on the ${DR} alert topic naming the field and the execution`, dr.length === 1 && paged(dr[0])),
        check('no alert before it (every earlier step succeeded)', before.dr.length === 0 && before.primary.length === 0),
        check(`nothing on the ${PRIMARY} alert topic`, primary.length === 0),
        check(`no SNS call attempted toward ${PRIMARY} during the outage`, facts.snsAttemptsIntoOutageAll === 0),
      ],
      facts,
    } satisfies Step<unknown>;
  }

  // ---- 5. writes in the DR region, protected there ---------------------------------------------

  async protectedInDr() {
    const { aws } = this;
    const written: Record<string, number> = {};
    for (const [i, db] of FLEET.entries()) {
      const from = 100_000 * (i + 1);
      await aws.sql('instance', standbyOf(db), `INSERT INTO items (id, written) SELECT g, 'after-failover' FROM generate_series(${from + 1}, ${from + ROWS_AFTER_FAILOVER}) g`);
      written[db] = await this.count(standbyOf(db), `written = 'after-failover'`);
    }
    const policyTagged: string[] = [];
    for (const db of FLEET) if ((await this.instance(DR, standbyOf(db)))?.tags['rds-dr:policy'] === GOLD['rds-dr:policy']) policyTagged.push(standbyOf(db));
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: this.slots.duringOutage }, 'gameday-5-dr', DR);
    const report = run.output ? await aws.backupReport(run) : undefined;
    const snapshotOf = (db: string) => `rdsdr-${standbyOf(db)}-${stamp(this.slots.duringOutage)}`;
    const snapshots = (await this.snapshotIds(DR)).filter((id) => id.endsWith(stamp(this.slots.duringOutage)));
    const snapshotRows = Object.fromEntries(await Promise.all(FLEET.map(async (db) => [db, await this.rowsInSnapshot(DR, snapshotOf(db))] as const)));
    const warnings = await aws.receiveWarnings('dr');
    const tick = await this.rpoTick('5');
    const facts = { tick, written, policyTagged, run, succeeded: sorted(report?.succeeded.map((s) => s.db) ?? []), failed: report?.failed ?? [], reportWarnings: report?.warnings ?? [], snapshots: sorted(snapshots), snapshotRows, warnings };
    return {
      title: `5. rows written to the promoted databases; the ${DR} backup protects them there`,
      evidence: [
        ...FLEET.map((db) => `${ROWS_AFTER_FAILOVER} rows written to ${standbyOf(db)} in ${DR}: ${written[db]} 'after-failover' rows there`),
        `the promoted databases carry the policy's tags: ${policyTagged.join(', ') || 'none'} (the failover took them from the policies of their ${DR} copies, the primary's being unreadable)`,
        runLine(`backup (${DR})`, run),
        `succeeded: ${facts.succeeded.join(', ') || 'none'}; failed: ${facts.failed.map((f) => f.db).join(', ') || 'none'}`,
        `snapshots in ${DR}: ${facts.snapshots.join(', ') || 'none'}`,
        ...FLEET.map((db) => `rows in ${snapshotOf(db)}: ${JSON.stringify(snapshotRows[db])}`),
        ...facts.reportWarnings.map((w) => `report warning: ${w}`),
        `on the ${DR} warnings topic: ${warnings.map((w) => w.subject).join('; ') || 'nothing'}`,
        tickLine(tick),
      ],
      checks: [
        check(`RPO during the outage: both series of every database from the ${DR} monitor, the copy series not a false 0 s`, FLEET.every((db) => tick.databases[db].live?.by === DR && tick.databases[db].copy?.by === DR && tick.databases[db].copy!.value > 0)),
        check(`each database's last snapshot is its ${DR} backup`, FLEET.every((db) => Math.abs((tick.databases[db].lastSnapshot?.value ?? -1e9) - (Date.now() - Date.parse(this.slots.duringOutage)) / 1000) < 300)),
        check(`${ROWS_AFTER_FAILOVER} new rows in each promoted database`, FLEET.every((db) => written[db] === ROWS_AFTER_FAILOVER)),
        check(`the promoted databases carry the policy's tags`, same(policyTagged, FLEET.map(standbyOf))),
        check(`the ${DR} backup succeeded`, run.status === 'SUCCEEDED'),
        check('it backed up both promoted databases', same(facts.succeeded, FLEET.map(standbyOf))),
        check(`each snapshot holds the rows written after the failover`, FLEET.every((db) => snapshotRows[db]['after-failover'] === ROWS_AFTER_FAILOVER && snapshotRows[db]['before-outage'] === SEED_ROWS)),
        check(`the report says each copy to ${PRIMARY} was skipped (unreachable)`, FLEET.every((db) => facts.reportWarnings.some((w) => w.includes(`copy of ${snapshotOf(db)} to ${PRIMARY} skipped: the region is unreachable`)))),
      ],
      facts,
    } satisfies Step<unknown>;
  }

  // ---- 6. the region recovers -------------------------------------------------------------------

  async regionRecovers() {
    const outage = this.outage!;
    await outage.end();
    this.outage = undefined;
    const attempts: Record<string, number> = {};
    for (const a of outage.attempts) attempts[`${a.client}.${a.command}`] = (attempts[`${a.client}.${a.command}`] ?? 0) + 1;
    const tick = await this.rpoTick('6');
    const sinceDrSlot = (Date.now() - Date.parse(this.slots.duringOutage)) / 1000;
    const rpo = Object.fromEntries(FLEET.map((db) => [db, { primary: tick.databases[db].live?.value, dr: tick.databases[db].copy?.value, lastSnapshot: tick.databases[db].lastSnapshot?.value }]));
    // The retry profiles of the clients that called the failed region (each call gives up after at most that many attempts).
    const attemptLimits = [...new Set(outage.attempts.map((a) => a.maxAttempts))].sort();
    const facts = { attempts, attemptLimits, tick, rpo, sinceDrSlot, replicaNamedMetrics: tick.replicaNamedSeries };
    return {
      title: `6. ${PRIMARY} recovers`,
      evidence: [
        `attempts refused during the outage: ${Object.entries(attempts).map(([k, n]) => `${k} ×${n}`).join(', ')}`,
        tickLine(tick),
        ...FLEET.map((db) => `  ${db}: RecoveryPointAgeSeconds ${PRIMARY} ${rpo[db].primary?.toFixed(0)} s, ${DR} ${rpo[db].dr?.toFixed(0)} s; LastSnapshotAgeSeconds ${rpo[db].lastSnapshot?.toFixed(0)} s (the ${DR} backup was ${sinceDrSlot.toFixed(0)} s ago)`),
      ],
      checks: [
        check(`the outage refused the calls made toward ${PRIMARY} (${outage.attempts.length} attempts)`, outage.attempts.length > 0),
        check(`only clients that give up fast called ${PRIMARY} (attempt limits: ${attemptLimits.join(', ')})`, attemptLimits.length > 0 && attemptLimits.every((n) => n !== undefined && n <= 3)),
        check(`RPO metrics of every database in both regions (none missing)`, FLEET.every((db) => rpo[db].primary !== undefined && rpo[db].dr !== undefined)),
        check(`each database's last snapshot is its ${DR} backup (under its own name, not the replica's)`, FLEET.every((db) => Math.abs((rpo[db].lastSnapshot ?? -1e9) - sinceDrSlot) < 300) && facts.replicaNamedMetrics === 0),
      ],
      facts,
    } satisfies Step<unknown>;
  }

  // ---- 7. failback ----------------------------------------------------------------------------

  async failback() {
    const { aws } = this;
    const finalSnapshots: string[] = [];
    const dryRuns: Record<string, WorkflowRun> = {};
    const switches: Record<string, WorkflowRun> = {};
    for (const db of FLEET) {
      // The stale original primary still holds the name (RUNBOOK §1, target-name): final snapshot, then delete.
      if (await this.instance(PRIMARY, db)) {
        const finalSnapshot = `${db}-final-before-failback`;
        await aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: db, FinalDBSnapshotIdentifier: finalSnapshot }));
        finalSnapshots.push(finalSnapshot);
      }
      dryRuns[db] = await aws.runFailback({ db, reason: FAILBACK_REASON, dryRun: true, switch: true }, `gameday-7-failback-dry-${db}`);
      // CloudWatch's ReplicaLag of the replica the failback creates in the primary region: caught up.
      await this.replicaLag(PRIMARY, db, 0);
      switches[db] = await aws.runFailback({ db, reason: FAILBACK_REASON, switch: true }, `gameday-7-failback-${db}`);
    }
    const notices = await aws.receiveWarnings('dr');
    const alerts = { dr: await aws.receiveAlerts('dr'), primary: await aws.receiveAlerts('primary') };
    const noticeOf = (db: string) => notices.find((n) => n.message.includes(`failback of ${db} completed`) && n.message.includes(switches[db].executionArn));
    const facts = { finalSnapshots, dryRuns, switches, notices, alerts };
    return {
      title: `7. failback to ${PRIMARY}: dry run, then switch`,
      evidence: [
        `operator: final snapshot and delete of the stale original primaries: ${finalSnapshots.join(', ') || 'none'}`,
        ...FLEET.flatMap((db) => [
          runLine(`failback dry run of ${db}`, dryRuns[db]),
          runLine(`failback switch of ${db}`, switches[db]),
          ...Object.entries(stepsOf(switches[db])).map(([name, s]) => `  ${name}: ${s.step.outcome}: ${s.step.detail}`),
          `  notice on the ${DR} warnings topic: ${noticeOf(db)?.subject ?? 'none'}`,
        ]),
        `alerts: ${DR} ${alerts.dr.length}, ${PRIMARY} ${alerts.primary.length}`,
      ],
      checks: [
        ...FLEET.flatMap((db) => [
          check(`failback dry run of ${db} succeeded`, dryRuns[db].status === 'SUCCEEDED'),
          check(`failback switch of ${db} succeeded`, switches[db].status === 'SUCCEEDED'),
          check(`the ${DR} warnings topic has the failback notice of ${db}`, noticeOf(db) !== undefined),
        ]),
        check('no alert in either region', alerts.dr.length === 0 && alerts.primary.length === 0),
      ],
      facts,
    } satisfies Step<unknown>;
  }

  // ---- 8. home again --------------------------------------------------------------------------

  async homeAgain() {
    const { aws } = this;
    const state: Record<string, { writer?: InstanceState; standby?: InstanceState; oldWriter?: InstanceState; record?: string; writerParameter: Record<string, string | undefined>; rows: Record<string, number> }> = {};
    for (const db of FLEET) {
      state[db] = {
        writer: await this.instance(PRIMARY, db),
        standby: await this.instance(DR, newStandbyOf(db)),
        oldWriter: await this.instance(DR, standbyOf(db)),
        record: await this.parameter(DR, activeRegionParameter(db)),
        writerParameter: { [PRIMARY]: await this.parameter(PRIMARY, writerParameter(db)), [DR]: await this.parameter(DR, writerParameter(db)) },
        rows: {
          primary: await this.count(db, `written = 'after-failover'`),
          primaryAll: await this.count(db),
          standby: await this.count(newStandbyOf(db), `written = 'after-failover'`),
        },
      };
    }
    const run = await aws.runBackup({ policy: 'gold', scheduledTime: this.slots.afterFailback }, 'gameday-8-primary');
    const report = run.output ? await aws.backupReport(run) : undefined;
    const snapshotOf = (db: string) => `rdsdr-${db}-${stamp(this.slots.afterFailback)}`;
    const snapshotRows = Object.fromEntries(await Promise.all(FLEET.map(async (db) => [db, await this.rowsInSnapshot(PRIMARY, snapshotOf(db))] as const)));
    const copies = (await this.snapshotIds(DR)).filter((id) => id.endsWith(stamp(this.slots.afterFailback)));
    const drRun = await aws.runBackup({ policy: 'gold', scheduledTime: this.slots.afterFailback }, 'gameday-8-dr', DR);
    const drReport = drRun.output ? await aws.backupReport(drRun) : undefined;
    const tick = await this.rpoTick('8');
    // No gap: every tick of the incident has each database's copy series, and its live series at every
    // tick but the one between the outage and the failover (step 2), when no region could observe it.
    const gaps = this.rpoTicks.flatMap((t) => FLEET.flatMap((db) => [...(t.databases[db].copy ? [] : [`${db} copy @${t.step}`]), ...(t.databases[db].live || t.step === '2' ? [] : [`${db} live @${t.step}`])]));
    const facts = {
      tick,
      gaps,
      state,
      run,
      succeeded: sorted(report?.succeeded.map((s) => s.db) ?? []),
      failed: report?.failed ?? [],
      snapshotRows,
      copies: sorted(copies),
      drRun,
      drSucceeded: sorted(drReport?.succeeded.map((s) => s.db) ?? []),
    };
    const writerIsHome = (db: string) => {
      const s = state[db];
      return s.writer?.status === 'available' && s.writer.replicaOf === undefined && s.writerParameter[PRIMARY] === s.writer.endpoint && s.writerParameter[DR] === s.writer.endpoint;
    };
    const standbyFollows = (db: string) => !!state[db].standby?.replicaOf && new RegExp(`(^|:db:)${db}$`).test(state[db].standby!.replicaOf!);
    return {
      title: `8. home again: the writers in ${PRIMARY}, new standbys in ${DR}, the next backups`,
      evidence: [
        ...FLEET.flatMap((db) => {
          const s = state[db];
          return [
            `${db} in ${PRIMARY}: ${s.writer?.status}, ${s.writer?.replicaOf ? `replica of ${s.writer.replicaOf}` : 'writer'}, tags ${JSON.stringify(s.writer?.tags)}`,
            `  ${newStandbyOf(db)} in ${DR}: ${s.standby?.status}, replica of ${s.standby?.replicaOf}`,
            `  ${standbyOf(db)} in ${DR}: ${s.oldWriter?.status}, ${s.oldWriter?.replicaOf ? `replica of ${s.oldWriter.replicaOf}` : 'standalone (left for the operator to delete)'}`,
            `  record ${activeRegionParameter(db)} = ${s.record}`,
            `  SSM ${writerParameter(db)}: ${PRIMARY} ${s.writerParameter[PRIMARY]}, ${DR} ${s.writerParameter[DR]}`,
            `  rows written during the outage: ${s.rows.primary} in ${PRIMARY} (of ${s.rows.primaryAll}), ${s.rows.standby} through the new standby`,
          ];
        }),
        runLine('backup (primary)', run),
        `succeeded: ${facts.succeeded.join(', ') || 'none'}; copies in ${DR}: ${facts.copies.join(', ') || 'none'}`,
        ...FLEET.map((db) => `rows in ${snapshotOf(db)}: ${JSON.stringify(snapshotRows[db])}`),
        tickLine(tick),
        `RPO series across the incident's ${this.rpoTicks.length} ticks: ${gaps.length ? `gaps: ${gaps.join(', ')}` : 'no gap'}`,
        runLine(`backup (${DR})`, drRun),
        `${DR} backup now selects: ${facts.drSucceeded.join(', ') || 'nothing (every database is home)'}`,
      ],
      checks: [
        ...FLEET.flatMap((db) => [
          check(`${db} is the writer in ${PRIMARY} and both SSM parameters point at it`, writerIsHome(db)),
          check(`${newStandbyOf(db)} in ${DR} replicates ${db}`, standbyFollows(db)),
          check(`${db} is recorded active in ${PRIMARY}`, state[db].record?.includes(`"region":"${PRIMARY}"`) === true),
          check(`the rows written during the outage are in ${db} in ${PRIMARY} and its standby`, state[db].rows.primary === ROWS_AFTER_FAILOVER && state[db].rows.standby === ROWS_AFTER_FAILOVER && state[db].rows.primaryAll === SEED_ROWS + ROWS_AFTER_FAILOVER),
          check(`${db} carries the policy's tags again`, state[db].writer?.tags['rds-dr:policy'] === GOLD['rds-dr:policy']),
        ]),
        check('the next primary backup protects every database', run.status === 'SUCCEEDED' && same(facts.succeeded, FLEET)),
        check(`its snapshots hold the rows written during the outage`, FLEET.every((db) => snapshotRows[db]['after-failover'] === ROWS_AFTER_FAILOVER)),
        check(`and their copies are in ${DR}`, same(facts.copies, FLEET.map(snapshotOf))),
        check('RPO: live series from the primary monitor again, copies from the DR monitor', FLEET.every((db) => tick.databases[db].live?.by === PRIMARY && tick.databases[db].copy?.by === DR)),
        check('RPO series continuous through the incident (no gap at any tick)', gaps.length === 0),
        check(`the ${DR} backup no longer selects them`, drRun.status === 'SUCCEEDED' && facts.drSucceeded.length === 0),
      ],
      facts,
    } satisfies Step<unknown>;
  }
}

/** The steps in order, for the demo. */
export const GAME_DAY_STEPS = ['backup', 'regionFails', 'failover', 'failedStepPagesDr', 'protectedInDr', 'regionRecovers', 'failback', 'homeAgain'] as const;

/** The checks of a step that do not hold. */
export const missingEvidence = (step: Step<unknown>): string[] => step.checks.filter((c) => !c.ok).map((c) => c.what);
