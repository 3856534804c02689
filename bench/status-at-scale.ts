// `npm run bench`: the RPO monitor's run and `rds-dr status`'s data gathering at 100 and 1,000
// databases on the local AWS (moto, with RDS's pages of 100 records), as calls per region and
// wall time. Reported, never asserted: the call counts are asserted at 300 databases in
// test/lambdas/monitor/monitor-at-scale.moto.test.ts.
//
// Times are moto's, not RDS's: moto re-reads its whole list for every page, so a local page costs
// more as the fleet grows; the call counts are what carries over to AWS (RDS answers a page in
// roughly 0.1-1 s, and ~12 requests/s per account and region are shared by everything).
import { status } from '../bin/cli/status.js';
import { monitorRecovery } from '../lambdas/monitor/monitor-recovery.js';
import { drillVerdictsFromSettings } from '../lambdas/monitor/recovery-facts.js';
import { ScaleStack } from '../test/local/scale-stack.js';
import { DR, PRIMARY } from '../test/state-machines/fixtures.js';

const fmt = (ms: number) => `${Math.round(ms).toLocaleString('en-US')} ms`;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await run();
  return { ms: performance.now() - start, result };
}

function calls(stack: ScaleStack): string {
  const show = (label: string) => `${label} ${stack.meter.total(label)} ${JSON.stringify(stack.meter.byOperation(label))}`;
  return [PRIMARY, DR].map((r) => `RDS ${show(r)}`).concat(show('s3'), show('cloudwatch')).join('\n      ');
}

/** Builds each fleet size in turn in one moto and prints what the monitor and status cost at it. */
export async function benchStatusAtScale(sizes: number[] = [100, 1_000]): Promise<void> {
  const now = new Date();
  const setup = await timed(() => ScaleStack.start(sizes[0], now, Math.max(...sizes)));
  const stack = setup.result;
  try {
    for (const [i, size] of sizes.entries()) {
      const built = i === 0 ? setup : await timed(() => stack.grow(size));
      console.log(`status at scale: ${size.toLocaleString('en-US')} databases (${stack.fleet.filter((d) => d.kind === 'cluster').length} Aurora clusters, ${stack.fleet.filter((d) => d.drill).length} drilled), built in ${fmt(built.ms)}`);
      const drills = drillVerdictsFromSettings(stack.settings);
      for (const label of ['cold', 'warm']) {
        stack.meter.reset();
        const run = await timed(() => monitorRecovery(stack.settings, drills, new Date()));
        console.log(`  RPO monitor (${label}): ${fmt(run.ms)}, ${run.result.metrics.length.toLocaleString('en-US')} metrics, ${run.result.summary.breaching} breaching; calls:\n      ${calls(stack)}`);
      }
      stack.meter.reset();
      const report = await timed(() => status(stack.config, { colour: false }));
      console.log(`  rds-dr status: ${fmt(report.ms)}, ${report.result.output.split('\n').length} lines of output; calls:\n      ${calls(stack)}`);
    }
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStatusAtScale();
