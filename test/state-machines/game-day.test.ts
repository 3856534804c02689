// The region-outage game day (issue 13, "Prove it"): the whole incident on the local AWS, each step
// of test/local/game-day-scenario.ts (the sequence `npm run game-day` prints) asserted on its facts:
// data, alerts (which topic, what text), metrics and the RDS state in both regions. One scenario:
// each `it` continues where the previous one ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPAIRED_REGION_CLIENT } from '../../lambdas/aws/clients.js';
import {
  FLEET,
  GameDay,
  GOLD,
  missingEvidence,
  newStandbyOf,
  OUTAGE_REASON,
  ROWS_AFTER_FAILOVER,
  SEED_ROWS,
  standbyOf,
} from '../local/game-day-scenario.js';
import { DR, PRIMARY } from './fixtures.js';

/** Integration, not timing: generous on a loaded 2-core machine. */
const STEP_TIMEOUT = 300_000;

describe('region-outage game day on the local AWS', () => {
  let day: GameDay;

  beforeAll(async () => {
    day = await GameDay.start();
  }, STEP_TIMEOUT);
  afterAll(async () => day?.stop());

  it('1. backs up the fleet in the primary region and copies it to the DR region', async () => {
    const step = await day.backup();
    expect(step.facts.run.cause ?? '').toBe('');
    expect(step.facts.run.status).toBe('SUCCEEDED');
    expect(step.facts.succeeded).toEqual(['billing', 'orders']);
    expect(step.facts.failed).toEqual([]);
    expect(step.facts.copies).toEqual(['billing', 'orders'].map((db) => expect.stringMatching(new RegExp(`^rdsdr-${db}-\\d{12}$`))));
    for (const db of FLEET) expect(step.facts.copyRows[db]).toEqual({ 'before-outage': SEED_ROWS });
    expect(missingEvidence(step)).toEqual([]);
  }, STEP_TIMEOUT);

  it('2. the primary region fails for every client', async () => {
    const step = await day.regionFails();
    expect(step.facts.outage).toMatchObject({ region: PRIMARY, kind: 'refused' });
    expect(missingEvidence(step)).toEqual([]);
  });

  it('3. fails over both databases in the DR region: promoted, recorded, cut over in SSM, notices on the DR warnings topic', async () => {
    const step = await day.failover();
    for (const db of FLEET) {
      const run = step.facts.runs[db];
      expect(run.cause ?? '', db).toBe('');
      expect(run.status).toBe('SUCCEEDED');
      const out = run.output as { plan: { protection: string }; steps: Record<string, { step: { detail: string } }> };
      // The primary is unreachable: recorded, never blocking.
      expect(out.steps.checks.step.detail).toMatch(/primary-state pass: us-east-1 unreachable \(Error: connect ECONNREFUSED.*\); expected in a regional outage, recorded only/);
      expect(out.steps.cutover.step.detail).toMatch(new RegExp(`SSM parameter /app/${db}/writer in us-west-2 -> \\S+: updated`));
      expect(out.steps.cutover.step.detail).toMatch(new RegExp(`SSM parameter /app/${db}/writer in us-east-1 -> \\S+ \\(best effort\\): failed — Error: connect ECONNREFUSED`));
      // The primary's policy tags could not be read: the policy of its DR copies stands in, and the step says so.
      expect(out.steps.activeRegion.step.detail).toMatch(/the primary's tags could not be read \(us-east-1 unreachable\?\), so the selection tags of policy gold, whose copies of \w+ are in us-west-2, stand in for them/);

      const promoted = step.facts.promoted[db];
      expect(promoted).toMatchObject({ status: 'available', replicaOf: undefined });
      expect(promoted?.tags).toMatchObject({ 'rds-dr:failover-of': db, 'rds-dr:policy': 'gold' });
      expect(step.facts.writers[db]).toBe(promoted?.endpoint);
      expect(JSON.parse(step.facts.records[db] ?? '{}')).toEqual({ region: DR, since: expect.any(String), by: run.executionArn });
      const notice = step.facts.notices.find((n) => n.subject.includes(`failover of ${db} completed`));
      expect(notice?.message).toContain(OUTAGE_REASON);
      expect(notice?.message).toContain(run.executionArn);
    }
    expect(missingEvidence(step)).toEqual([]);
  }, STEP_TIMEOUT);

  it('4. a failed step in the DR region pages the DR alert topic; nothing reaches or is attempted toward the primary\'s', async () => {
    const step = await day.failedStepPagesDr();
    expect(step.facts.run).toMatchObject({ status: 'FAILED', error: 'rds-dr.InvalidInput', statesEntered: ['PlanFailover'] });
    expect(step.facts.before).toEqual({ dr: [], primary: [] });
    expect(step.facts.dr).toHaveLength(1);
    expect(step.facts.dr[0].subject).toContain('rds-dr.InvalidInput');
    expect(step.facts.dr[0].message).toMatch(/unknown field\(s\) dryrun/);
    expect(step.facts.dr[0].message).toContain(step.facts.run.executionArn);
    expect(step.facts.primary).toEqual([]);
    expect(step.facts.snsAttemptsIntoOutageAll).toBe(0);
    expect(missingEvidence(step)).toEqual([]);
  }, STEP_TIMEOUT);

  it('5. rows written to the promoted databases are protected by the DR region\'s backup (its copy home skipped while the region is down)', async () => {
    const step = await day.protectedInDr();
    for (const db of FLEET) expect(step.facts.written[db]).toBe(ROWS_AFTER_FAILOVER);
    // The standbys started without the policy's tags and the primary's were unreadable (step 3): the
    // failover took them from the policy of each database's DR copies, so the DR backup selects them.
    expect(step.facts.policyTagged).toEqual(FLEET.map(standbyOf));
    expect(step.facts.run.cause ?? '').toBe('');
    expect(step.facts.run.status).toBe('SUCCEEDED');
    expect(step.facts.succeeded).toEqual(['billing-replica', 'orders-replica']);
    expect(step.facts.failed).toEqual([]);
    for (const db of FLEET) {
      expect(step.facts.snapshotRows[db]).toEqual({ 'before-outage': SEED_ROWS, 'after-failover': ROWS_AFTER_FAILOVER });
      expect(step.facts.reportWarnings.join('\n')).toMatch(new RegExp(`copy of rdsdr-${standbyOf(db)}-\\d{12} to us-east-1 skipped: the region is unreachable`));
    }
    // RPO during the outage: the DR region's monitor publishes both series of each failed-over database
    // under its own name; the copy series is never a false 0 s (its copies home were skipped: the older DR copies count).
    for (const db of FLEET) {
      expect(step.facts.tick.databases[db].live?.by, db).toBe(DR);
      expect(step.facts.tick.databases[db].copy?.by, db).toBe(DR);
      expect(step.facts.tick.databases[db].live!.value, db).toBeGreaterThanOrEqual(0);
      expect(step.facts.tick.databases[db].copy!.value, db).toBeGreaterThan(0);
    }
    expect(step.facts.tick.monitors).toEqual([DR]);
    expect(missingEvidence(step)).toEqual([]);
  }, STEP_TIMEOUT);

  it('6. the region recovers: the outage refused only calls that give up fast; RPO metrics of every database are there, from the DR backup', async () => {
    const step = await day.regionRecovers();
    // Only impaired-region clients called into the primary, and no SNS. (Not "a multiple of 3 attempts per
    // command": the SDK's retry quota, shared by a client's calls, may end a call's retries sooner.)
    for (const call of Object.keys(step.facts.attempts)) expect(call).toMatch(/^(RDSClient|SSMClient)\./);
    expect(step.facts.attemptLimits).toEqual([IMPAIRED_REGION_CLIENT.maxAttempts]);
    for (const db of FLEET) {
      expect(step.facts.rpo[db].primary, db).toBeDefined();
      expect(step.facts.rpo[db].dr, db).toBeDefined();
      expect(Math.abs((step.facts.rpo[db].lastSnapshot ?? -1e9) - step.facts.sinceDrSlot), db).toBeLessThan(300);
    }
    expect(step.facts.replicaNamedMetrics).toBe(0);
    expect(missingEvidence(step)).toEqual([]);
  }, STEP_TIMEOUT);

  it('7. fails back both databases: a dry run, then the switch', async () => {
    const step = await day.failback();
    expect(step.facts.finalSnapshots).toEqual(FLEET.map((db) => `${db}-final-before-failback`));
    for (const db of FLEET) {
      const dry = step.facts.dryRuns[db];
      expect(dry.cause ?? '', db).toBe('');
      expect(dry.status).toBe('SUCCEEDED');
      const run = step.facts.switches[db];
      expect(run.cause ?? '', db).toBe('');
      expect(run.status).toBe('SUCCEEDED');
      const steps = (run.output as { steps: Record<string, { step: { outcome: string } }> }).steps;
      for (const name of ['replica', 'stopWrites', 'promote', 'drStandby', 'activeRegion']) expect(steps[name].step.outcome, `${db} ${name}`).toBe('done');
      expect(step.facts.notices.some((n) => n.subject.includes(`failback of ${db} completed`) && n.message.includes(run.executionArn))).toBe(true);
    }
    expect(step.facts.alerts).toEqual({ dr: [], primary: [] });
    expect(missingEvidence(step)).toEqual([]);
  }, STEP_TIMEOUT);

  it('8. home again: writers in the primary region with the outage\'s rows, new DR standbys, records back, and the next primary backup protects them', async () => {
    const step = await day.homeAgain();
    // RPO series without a gap over the whole incident (every step's tick), and each monitor back to its own series.
    expect(step.facts.gaps).toEqual([]);
    for (const db of FLEET) expect([step.facts.tick.databases[db].live?.by, step.facts.tick.databases[db].copy?.by], db).toEqual([PRIMARY, DR]);
    for (const db of FLEET) {
      const s = step.facts.state[db];
      expect(s.writer).toMatchObject({ status: 'available', replicaOf: undefined });
      expect(s.writer?.tags).toMatchObject({ ...GOLD, 'rds-dr:failback-source': expect.stringMatching(new RegExp(`:db:${standbyOf(db)}$`)) });
      expect(s.writerParameter).toEqual({ [PRIMARY]: s.writer?.endpoint, [DR]: s.writer?.endpoint });
      expect(s.standby?.replicaOf).toMatch(new RegExp(`(^|:db:)${db}$`));
      expect(s.standby?.id).toBe(newStandbyOf(db));
      // The DR instance the failover promoted is left as it was: standalone, for the operator to delete.
      expect(s.oldWriter).toMatchObject({ status: 'available', replicaOf: undefined });
      expect(JSON.parse(s.record ?? '{}')).toEqual({ region: PRIMARY, since: expect.any(String), by: expect.stringMatching(new RegExp(`:gameday-7-failback-${db}$`)) });
      expect(s.rows).toEqual({ primary: ROWS_AFTER_FAILOVER, primaryAll: SEED_ROWS + ROWS_AFTER_FAILOVER, standby: ROWS_AFTER_FAILOVER });
      expect(step.facts.snapshotRows[db]).toEqual({ 'before-outage': SEED_ROWS, 'after-failover': ROWS_AFTER_FAILOVER });
    }
    expect(step.facts.run.cause ?? '').toBe('');
    expect(step.facts.succeeded).toEqual(['billing', 'orders']);
    expect(step.facts.failed).toEqual([]);
    expect(step.facts.copies).toEqual(['billing', 'orders'].map((db) => expect.stringMatching(new RegExp(`^rdsdr-${db}-\\d{12}$`))));
    expect(step.facts.drRun.status).toBe('SUCCEEDED');
    expect(step.facts.drSucceeded).toEqual([]);
    expect(missingEvidence(step)).toEqual([]);
  }, STEP_TIMEOUT);
});
