// `npm run bench`: the daily backup cycle of a fleet on the local AWS, at N databases (instances and
// Aurora clusters, split over three policies that fire together), with simulated RDS timings: every
// snapshot and copy reports `creating` for its simulated duration (test/local/faults.ts), and Wait
// states last Seconds / TIME_SCALE — shortened, not skipped. Reported, never asserted.
//
// Printed per N: the largest state payload and history of any single execution (the parent or a
// Distributed Map child), RDS calls per database per region, the peak request rate per region (the
// busiest simulated minute), the peak copies in progress per destination region and kind, copy-slot
// utilisation while copies were queued, and the cycle time projected to real timings against the
// physical floor ceil(N_instances / 20) x copy time (and / 5 for clusters).
//
// Local compute is not scaled: a poll turn that takes 1 s of wall time here (moto answers one
// request at a time, IAM simulation judges every call) counts as TIME_SCALE s of simulated time,
// so the projection is pessimistic; in AWS a turn takes well under a second.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createFleet } from '../test/local/fleet.js';
import { LocalStack } from '../test/local/local-stack.js';
import type { WorkflowRun } from '../test/local/workflow-runner.js';
import { localConfig } from '../test/state-machines/fixtures.js';

/** Simulated seconds per wall second. */
/**
 * Simulated seconds per wall second. x20, not more: local compute counts as simulated time, and at
 * x60 a loaded moto's answers, not the workflow, set the measured cycle (README "Fleet benchmark").
 */
const TIME_SCALE = Number(process.env.RDSDR_BENCH_TIME_SCALE ?? 20);
/** Simulated RDS timings, seconds (an incremental cross-region copy of a mid-size database). */
const SNAPSHOT_SECONDS = 5 * 60;
const COPY_SECONDS = 10 * 60;
const POLICIES = ['gold', 'silver', 'bronze'];
const SLOTS = { instance: 20, cluster: 5 };

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const hours = (seconds: number) => `${(seconds / 3600).toFixed(2)} h`;

type Run = { id: string; what: string; startedAt: number; doneAt: number };

/**
 * Copy-slot utilisation while copies were queued: busy slot-time over slot-time, counted only while
 * copies were queued for the slots — while the copies running plus those ready and waiting (from
 * their source snapshot's end, when RDS had it ready, to their copy's start) outnumbered the slots,
 * so that some copy waited even had every ready one started at once. A slot left free then (no batch
 * had looked yet) counts against it; a slot free because fewer copies were ready than slots does
 * not. `undefined` when copies never outnumbered the slots.
 */
function utilisation(timeline: Run[], snapshots: string, copies: string, slots: number): number | undefined {
  const readyAt = new Map(timeline.filter((t) => t.what === snapshots).map((t) => [t.id, t.doneAt]));
  const edges: { at: number; busy: number; queued: number }[] = [];
  for (const c of timeline.filter((t) => t.what === copies)) {
    edges.push({ at: c.startedAt, busy: 1, queued: 0 }, { at: c.doneAt, busy: -1, queued: 0 });
    const ready = readyAt.get(c.id);
    if (ready !== undefined && ready < c.startedAt) edges.push({ at: ready, busy: 0, queued: 1 }, { at: c.startedAt, busy: 0, queued: -1 });
  }
  edges.sort((a, b) => a.at - b.at);
  let busy = 0;
  let queued = 0;
  let used = 0;
  let available = 0;
  for (const [i, e] of edges.entries()) {
    busy += e.busy;
    queued += e.queued;
    const span = (edges[i + 1]?.at ?? e.at) - e.at;
    if (queued > 0 && busy + queued > slots && span > 0) {
      used += Math.min(busy, slots) * span;
      available += slots * span;
    }
  }
  return available > 0 ? used / available : undefined;
}

function peakPerMinute(calls: { region: string; at: number }[], region: string, wallMsPerMinute: number): number {
  const buckets = new Map<number, number>();
  for (const c of calls.filter((x) => x.region === region)) {
    const bucket = Math.floor(c.at / wallMsPerMinute);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  }
  return Math.max(0, ...buckets.values()) / 60;
}

const largest = (runs: WorkflowRun[], field: 'historyEvents' | 'largestPayload') => Math.max(...runs.flatMap((r) => [r[field], ...r.children.map((c) => c[field])]));

async function cycle(n: number): Promise<void> {
  const clusters = Math.max(1, Math.round(n / 20));
  const instances = n - clusters;
  const aws = await LocalStack.start({
    config: localConfig({
      copySlots: SLOTS,
      policies: Object.fromEntries(POLICIES.map((p) => [p, { selection: { tags: { tier: p } }, maxConcurrency: 40 }])),
    }),
    motoEnv: { MOTO_RDS_SNAPSHOT_LIMIT: String(n * 4 + 100) },
    timeScale: TIME_SCALE,
  });
  try {
    for (const [i, policy] of POLICIES.entries()) {
      const share = (total: number) => Math.floor(total / POLICIES.length) + (i < total % POLICIES.length ? 1 : 0);
      await createFleet(aws.rds, { instances: share(instances), clusters: share(clusters), prefix: policy, tags: { tier: policy } });
    }
    const wallPerSimSecond = 1000 / TIME_SCALE;
    aws.rdsFaults.simulateDurations({
      instanceSnapshotMs: SNAPSHOT_SECONDS * wallPerSimSecond,
      clusterSnapshotMs: SNAPSHOT_SECONDS * wallPerSimSecond,
      instanceCopyMs: COPY_SECONDS * wallPerSimSecond,
      clusterCopyMs: COPY_SECONDS * wallPerSimSecond,
    });
    const started = Date.now();
    const runs = await Promise.all(POLICIES.map((p) => aws.runBackup({ policy: p, scheduledTime: '2026-11-30T02:00:00Z' }, `bench-${p}`)));
    const wallMs = Date.now() - started;
    aws.rdsFaults.simulateDurations(undefined);
    const failed = runs.filter((r) => r.status !== 'SUCCEEDED');
    const succeeded = runs.reduce((sum, r) => sum + ((r.output as { counts?: { succeeded: number } })?.counts?.succeeded ?? 0), 0);
    const calls = [...aws.lambdaRdsCalls, ...aws.sdkCalls.map((c) => ({ region: c.region, at: 0 }))];
    const perRegion = (region: string) => calls.filter((c) => c.region === region).length;
    const simulatedSeconds = (wallMs / 1000) * TIME_SCALE;
    const floorSeconds = Math.max(Math.ceil(instances / SLOTS.instance), Math.ceil(clusters / SLOTS.cluster)) * COPY_SECONDS;
    const u = (what: string, slots: number) => {
      const value = utilisation(aws.rdsFaults.timeline, what.replace('Copy', 'Snapshot'), what, slots);
      return value === undefined ? 'never queued' : `${(value * 100).toFixed(1)} %`;
    };
    console.log(`fleet cycle: ${n} databases (${instances} instances, ${clusters} Aurora clusters) in ${POLICIES.length} policies firing together`);
    console.log(`  outcome:               ${runs.map((r) => `${r.executionArn.split(':').pop()} ${r.status}`).join(', ')}; ${succeeded}/${n} backed up${failed.length ? `; FAILED: ${failed.map((r) => r.cause).join(' | ')}` : ''}`);
    console.log(`  largest payload:       ${kib(largest(runs, 'largestPayload'))} (limit 256 KiB)`);
    console.log(`  largest history:       ${largest(runs, 'historyEvents')} events in one execution (limit 25,000); ${runs.reduce((s, r) => s + r.children.length, 0)} child executions`);
    for (const region of [aws.config.primaryRegion, aws.config.drRegion]) {
      console.log(`  RDS calls, ${region}: ${perRegion(region)} (${(perRegion(region) / n).toFixed(2)} per database); busiest minute ${peakPerMinute(aws.lambdaRdsCalls, region, wallPerSimSecond * 60).toFixed(2)} requests/s (limit ~12)`);
    }
    console.log(`  peak copies in flight: ${aws.rdsFaults.peakInProgress(aws.config.drRegion, 'instanceCopyMs')} instance (slots ${SLOTS.instance}), ${aws.rdsFaults.peakInProgress(aws.config.drRegion, 'clusterCopyMs')} cluster (slots ${SLOTS.cluster})`);
    console.log(`  slot utilisation:      ${u('instanceCopyMs', SLOTS.instance)} instance, ${u('clusterCopyMs', SLOTS.cluster)} cluster (while copies were queued)`);
    console.log(`  projected cycle time:  ${hours(simulatedSeconds)} with ${SNAPSHOT_SECONDS / 60}-min snapshots and ${COPY_SECONDS / 60}-min copies; floor ${hours(floorSeconds)} (+${(((simulatedSeconds - floorSeconds) / floorSeconds) * 100).toFixed(0)} %, including the first snapshot wave); wall ${(wallMs / 1000).toFixed(0)} s at x${TIME_SCALE}`);
  } finally {
    await aws.stop();
  }
}

/**
 * Each size in its own process: a local AWS loads every handler once with its settings and points the
 * SDK's cached clients at its own moto, as a Lambda's cold start does.
 */
export function benchFleetCycle(sizes = (process.env.RDSDR_BENCH_FLEET ?? '10,100,1000').split(',').map(Number)): void {
  for (const n of sizes) execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(n)], { stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) {
  cycle(Number(process.argv[2])).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
