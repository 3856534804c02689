// `npx rds-dr status [-c config.json] [--all]`: a summary of the fleet against its objectives, then
// the databases that breach one, worst first (every database with --all). Exits 1 when any
// objective is breached, so it can gate a cron job or a CI pipeline.
import { loadConfigFile } from '../../lib/platform/config/load.js';
import { strictestObjectives } from '../../lib/platform/config/objectives.js';
import { toRuntimeSettings } from '../../lib/platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../../lib/platform/config/schema.js';
import { reportsBucketParameterName } from '../../lib/platform/reports-bucket.js';
import { recoveryMetrics } from '../../lambdas/monitor/recovery-ages.js';
import { readRecoveryFacts } from '../../lambdas/monitor/recovery-facts.js';
import { judgeRecovery } from '../../lambdas/monitor/recovery-judgement.js';
import { parseFlags, UsageError } from './commands.js';
import { renderStatus } from './status-table.js';

export interface StatusOptions {
  account?: string;
  colour: boolean;
  /** List every database, not only the breaching ones. */
  all?: boolean;
  now?: Date;
}

export async function status(config: RdsDrConfig, options: StatusOptions): Promise<{ output: string; breached: boolean }> {
  const account = options.account ?? config.account;
  // The reports bucket's name changes each time the DR stack is created: read it where the DR stack publishes it.
  const settings = toRuntimeSettings(config, { account: account ?? '000000000000', region: config.primaryRegion }, undefined, { parameter: reportsBucketParameterName(config.appName) });
  if (config.verification) {
    // The drill list is all that verification settings contribute here.
    settings.verification = {
      region: config.drRegion, subnetGroupName: '', securityGroupIds: [], expiryHours: config.verification.expiryHours,
      instanceClasses: config.verification.instanceClasses, reportsBucket: '',
      policies: Object.fromEntries(Object.entries(config.policies).filter(([, p]) => p.verify).map(([n, p]) => [n, { maxConcurrency: 1, sample: { perRun: 1, maxAgeDays: 1 }, restoreTimeoutSeconds: 1, databases: p.verify!.databases }])),
    };
  }
  const facts = await readRecoveryFacts(settings);
  const regions = { primary: config.primaryRegion, dr: config.drRegion };
  const objectives = strictestObjectives(config);
  const judgements = judgeRecovery(facts, recoveryMetrics(facts, regions, options.now ?? new Date()), regions, objectives);
  return { output: renderStatus(judgements, regions, objectives, { colour: options.colour, all: options.all }), breached: judgements.some((j) => j.breached) };
}

const STATUS_USAGE = 'usage: rds-dr status [-c config/prod.json] [--account 123456789012] [--all]';
// parseFlags also knows the workflow commands' common flags; status takes only these.
const STATUS_FLAGS = new Set(['--config', '--account', '--all']);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'status') {
    console.error(STATUS_USAGE);
    return 2;
  }
  let args: ReturnType<typeof parseFlags>;
  try {
    args = parseFlags(rest, { values: [], switches: ['--all'] });
    const stray = [...Object.keys(args.values), ...args.switches].find((f) => !STATUS_FLAGS.has(f)) ?? args.positional[0];
    if (stray !== undefined) throw new UsageError(`status: unexpected ${stray}`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${STATUS_USAGE}`);
    return 2;
  }
  const config = loadConfigFile(args.values['--config'] ?? 'config/example.json');
  const result = await status(config, { account: args.values['--account'] ?? process.env.AWS_ACCOUNT_ID, colour: process.stdout.isTTY === true, all: args.switches.has('--all') });
  console.log(result.output);
  if (result.breached) console.log('\nat least one objective is breached');
  return result.breached ? 1 : 0;
}
