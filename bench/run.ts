// `npm run bench`: how long planRetention takes for 100,000 snapshots of 1,000 databases across two
// regions (100 each: ~50 days daily + older weeklies), in a zone with DST. Reported, never asserted.
import { planRetention, type RetentionPolicy, type RetentionSnapshot } from '../lambdas/prune-snapshots/plan-retention.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const POLICY: RetentionPolicy = { daily: 30, weekly: 12, monthly: 12, yearly: 1, minimum: 3, timeZone: 'Europe/Berlin', keepDeletedDatabases: 'all' };

function syntheticFleet(databases: number, perDatabase: number): RetentionSnapshot[] {
  const out: RetentionSnapshot[] = [];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let d = 0; d < databases; d++) {
    const region = d % 2 ? 'us-west-2' : 'us-east-1';
    for (let i = 0; i < perDatabase; i++) {
      const daysAgo = i < 50 ? i + 1 : 50 + (i - 50) * 7;
      const at = NOW.getTime() - daysAgo * 86_400_000 - Math.floor(random() * 3_600_000);
      out.push({
        id: `rdsdr-db${d}-${i}`, arn: `arn:aws:rds:${region}:123456789012:snapshot:rdsdr-db${d}-${i}`, region, kind: 'instance',
        dbId: `db${d}`, createdAt: new Date(at).toISOString(), status: random() < 0.01 ? 'creating' : 'available',
        managed: random() > 0.02, legalHold: random() < 0.005, inUseByVerification: false,
      });
    }
  }
  return out;
}

const snapshots = syntheticFleet(1_000, 100);
const existing = new Set(Array.from({ length: 990 }, (_, i) => `db${i}`));
const policies = { 'us-east-1': POLICY, 'us-west-2': { ...POLICY, daily: 14 } };
const run = () => {
  const t = performance.now();
  const decisions = planRetention(snapshots, policies, NOW, { existingDatabases: existing });
  return { ms: performance.now() - t, deletes: decisions.filter((d) => d.action === 'delete').length };
};
run(); // warm-up (JIT, time-zone formatter, period memo)
const runs = Array.from({ length: 7 }, run);
const times = runs.map((r) => r.ms).sort((a, b) => a - b);
const fmt = (n: number) => `${Math.round(n)} ms`;
console.log(
  `planRetention: ${snapshots.length.toLocaleString('en-US')} snapshots / 1,000 databases: median ${fmt(times[3])} (min ${fmt(times[0])}, max ${fmt(times[6])}) over ${times.length} runs; plan deletes ${runs[0].deletes.toLocaleString('en-US')}`,
);
const cold = (() => {
  const t = performance.now();
  planRetention(syntheticFleet(1_000, 100).map((s) => ({ ...s, createdAt: new Date(Date.parse(s.createdAt) - 86_400_000 * 400).toISOString() })), policies, NOW, { existingDatabases: existing });
  return performance.now() - t;
})();
console.log(`planRetention, cold time-zone memo (dates never seen before): ${fmt(cold)}`);
