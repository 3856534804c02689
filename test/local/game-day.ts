// `npm run game-day`: the region-outage game day on the local AWS (moto + PostgreSQL), printed step
// by step with its evidence — the same sequence test/state-machines/game-day.test.ts asserts on
// (test/local/game-day-scenario.ts). Exits 1 when any step's evidence is missing.
import { GAME_DAY_STEPS, GameDay, missingEvidence, type Step } from './game-day-scenario.js';

// The handlers' structured logs (warnings of calls refused by the outage) would bury the evidence.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

async function main(): Promise<void> {
  console.log('rds-dr region-outage game day: starting moto_server and PostgreSQL on loopback ...');
  const day = await GameDay.start();
  const missing: string[] = [];
  try {
    for (const name of GAME_DAY_STEPS) {
      const started = Date.now();
      const step: Step<unknown> = await day[name]();
      console.log(`\n${step.title}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      for (const line of step.evidence) console.log(`  ${line}`);
      for (const c of step.checks) console.log(`  ${c.ok ? '✓' : '✗ MISSING:'} ${c.what}`);
      missing.push(...missingEvidence(step).map((what) => `${step.title.split(' ')[0]} ${what}`));
    }
    const denied = day.aws.iam.decisions.filter((d) => !d.allowed).length;
    console.log(`\nIAM: ${day.aws.iam.decisions.length} calls by Lambdas and state machines evaluated against the synthesized policies; ${denied} denied.`);
  } finally {
    await day.stop();
  }
  if (missing.length > 0) {
    console.log(`\ngame day FAILED: ${missing.length} piece(s) of evidence missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('\ngame day passed: every step showed its evidence.');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
