// `npm run bench`: how long planRetention takes for 100,000 snapshots of 1,000 databases (100 each,
// half in each of two regions), in a zone with DST. Reported, never asserted: exits non-zero only
// when planning crashes or returns a malformed plan. Then bench/status-at-scale.ts: the RPO monitor
// and `rds-dr status` at 100 and 1,000 databases on the local AWS; then bench/fleet-cycle.ts: the
// backup cycle at 10, 100 and 1,000 databases with simulated RDS timings.
//
// Two numbers, because period keys are memoized per zone and 15 minutes of UTC: "cold" clears the
// memo before each run (a Lambda's first plan of the day), "warm" keeps it (a re-plan in the same
// process, e.g. the dry run followed by the real run).
import { clearPeriodMemo } from '../lambdas/core/retention/periods.js';
import { planRetention, type RetentionPolicy, type RetentionSnapshot } from '../lambdas/core/retention/plan-retention.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const DATABASES = 1_000;
const PER_DATABASE = 100;
const RUNS = 5;
const POLICY: RetentionPolicy = { daily: 30, weekly: 12, monthly: 12, yearly: 1, minimum: 3, timeZone: 'Europe/Berlin', keepDeletedDatabases: 'all' };
const POLICIES = { 'us-east-1': POLICY, 'us-west-2': { ...POLICY, daily: 14, timeZone: 'America/New_York' } };

/** mulberry32: a small seeded PRNG, so every run plans the same fleet. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Per database: ~60 recent dailies, then older weeklies — what a year of pruning leaves plus new ones. */
function syntheticFleet(): RetentionSnapshot[] {
  const random = seeded(42);
  const out: RetentionSnapshot[] = [];
  for (let d = 0; d < DATABASES; d++) {
    const region = d % 2 ? 'us-west-2' : 'us-east-1';
    const slotMinute = Math.floor(random() * 24 * 60); // each database's own backup time
    for (let i = 0; i < PER_DATABASE; i++) {
      const daysAgo = i < 60 ? i + 1 : 60 + (i - 60) * 7;
      const at = NOW.getTime() - daysAgo * 86_400_000 + slotMinute * 60_000 - 43_200_000 + Math.floor(random() * 600_000);
      const id = `rdsdr-db${d}-${i}`;
      out.push({
        id, arn: `arn:aws:rds:${region}:123456789012:snapshot:${id}`, region, kind: d % 3 ? 'instance' : 'cluster', dbId: `db${d}`,
        createdAt: new Date(at).toISOString(), status: random() < 0.01 ? 'creating' : 'available',
        managed: random() > 0.02, legalHold: random() < 0.005, inUseByVerification: random() < 0.001,
      });
    }
  }
  return out;
}

const snapshots = syntheticFleet();
const context = { existingDatabases: new Set(Array.from({ length: DATABASES - 10 }, (_, i) => `db${i}`)) };

function timedRun(cold: boolean): { ms: number; deletes: number } {
  if (cold) clearPeriodMemo();
  const start = performance.now();
  const decisions = planRetention(snapshots, POLICIES, NOW, context);
  const ms = performance.now() - start;
  if (decisions.length !== snapshots.length || decisions.some((d) => !d.reasons.length)) throw new Error('malformed plan');
  return { ms, deletes: decisions.filter((d) => d.action === 'delete').length };
}

const fmt = (n: number) => `${Math.round(n)} ms`;
function report(label: string, cold: boolean): void {
  const runs = Array.from({ length: RUNS }, () => timedRun(cold));
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  console.log(
    `planRetention: ${snapshots.length.toLocaleString('en-US')} snapshots / ${DATABASES.toLocaleString('en-US')} databases (${label}): ` +
      `median ${fmt(times[Math.floor(RUNS / 2)])} (min ${fmt(times[0])}, max ${fmt(times[RUNS - 1])}) over ${RUNS} runs; plan deletes ${runs[0].deletes.toLocaleString('en-US')}`,
  );
}

const first = timedRun(true); // warm-up for the JIT; also the true first-call time of a fresh process
console.log(`planRetention: first call in a fresh process: ${fmt(first.ms)}`);
report('cold time-zone memo', true);
report('warm time-zone memo', false);

// The RPO monitor and `rds-dr status` at 100 and 1,000 databases on the local AWS (moto).
const { benchStatusAtScale } = await import('./status-at-scale.js');
await benchStatusAtScale();

// The backup cycle of a fleet at 10, 100 and 1,000 databases (RDSDR_BENCH_FLEET=10,100 for fewer).
const { benchFleetCycle } = await import('./fleet-cycle.js');
benchFleetCycle();
