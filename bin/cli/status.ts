// `npx rds-dr status [-c config.json] [--all]`: a summary of the fleet against its objectives, then
// the databases that breach one, worst first (every database with --all), then the standbys. Exits 1
// when any objective is breached or a region cannot be read, so it can gate a cron job or a CI pipeline.
//
// It is also what someone runs while a region is down: every call uses the `interactive` clients
// (2 attempts, 2 s to connect, 5 s per request), and a region that cannot be read is named with its
// error while everything the other region holds is still shown.
import { loadConfigFile } from '../../lib/platform/config/load.js';
import { strictestObjectives } from '../../lib/platform/config/objectives.js';
import { toRuntimeSettings } from '../../lib/platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../../lib/platform/config/schema.js';
import { reportsBucketParameterName } from '../../lib/platform/reports-bucket.js';
import { recoveryMetrics } from '../../lambdas/monitor/recovery-ages.js';
import { awsClients } from '../../lambdas/aws/clients.js';
import { describeCluster, describeInstance } from '../../lambdas/aws/rds-databases.js';
import { readRegionalRecoveryFacts, unreadRegion, type UnreadRegion } from '../../lambdas/monitor/recovery-facts.js';
import { judgeRecovery } from '../../lambdas/monitor/recovery-judgement.js';
import { parseFlags, UsageError } from './commands.js';
import { LIST_ALL_UP_TO, renderStatus, unreadRegionLines } from './status-table.js';
import { fingerprintLines, readFingerprints } from './status-fingerprints.js';
import { S3FingerprintStore } from '../../lambdas/aws/fingerprint-store.js';
import { S3Reports } from '../../lambdas/aws/reports.js';

export interface StatusOptions {
  account?: string;
  colour: boolean;
  /** List every database, not only the breaching ones. */
  all?: boolean;
  now?: Date;
}

export interface StatusResult {
  output: string;
  breached: boolean;
  /** Regions that could not be read (down, or refusing), with the error: what they hold is unknown. */
  unreachable: Omit<UnreadRegion, 'cause'>[];
}

/** The configured standbys as the DR region shows them, one line each. */
async function standbyLines(config: RdsDrConfig): Promise<{ lines: string[]; unread?: UnreadRegion }> {
  const region = config.drRegion;
  const rds = awsClients.rds(region, 'interactive');
  const standbys = Object.entries(config.incident.databases).flatMap(([db, d]) => (d.standby ? [{ db, standby: d.standby }] : []));
  try {
    const lines = await Promise.all(
      standbys.map(async ({ db, standby }) => {
        if ('replicaInstance' in standby) {
          const r = await describeInstance(rds, standby.replicaInstance);
          const role = r?.ReadReplicaSourceDBInstanceIdentifier ? `read replica of ${r.ReadReplicaSourceDBInstanceIdentifier}` : 'standalone (promoted)';
          return `  ${db}: replica ${standby.replicaInstance} in ${region}: ${r ? `${r.DBInstanceStatus}, ${role}` : 'not found'}`;
        }
        const c = await describeCluster(rds, standby.secondaryCluster);
        return `  ${db}: secondary cluster ${standby.secondaryCluster} of ${standby.globalCluster} in ${region}: ${c ? c.Status : 'not found'}`;
      }),
    );
    return { lines: lines.length ? ['', 'standbys:', ...lines] : [] };
  } catch (err) {
    return { lines: [], unread: unreadRegion(region, err) };
  }
}

/** The drilled databases' last fingerprints, from the reports bucket in the DR region; none when that region is unread. */
async function driftLines(config: RdsDrConfig, unknownRegions: ReadonlySet<string>, options: StatusOptions): Promise<string[]> {
  const drilled = [...new Set(Object.values(config.policies).flatMap((p) => Object.keys(p.verify?.databases ?? {})))];
  if (!drilled.length) return [];
  if (unknownRegions.has(config.drRegion)) return ['  drift fingerprints: unknown (they are in the unreachable DR region)'];
  const store = new S3FingerprintStore(new S3Reports(config.drRegion, { parameter: reportsBucketParameterName(config.appName) }, 'interactive'));
  try {
    return fingerprintLines(await readFingerprints(drilled, store), options.now ?? new Date(), { all: options.all, listUpTo: LIST_ALL_UP_TO });
  } catch (err) {
    return [`  drift fingerprints: unreadable (${(err as Error).message})`];
  }
}

export async function status(config: RdsDrConfig, options: StatusOptions): Promise<StatusResult> {
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
  const standbyDbs = Object.entries(config.incident.databases).flatMap(([db, d]) => (d.standby ? [db] : []));
  const [{ facts, unread }, standbys] = await Promise.all([readRegionalRecoveryFacts(settings, { reach: 'interactive', known: standbyDbs }), standbyLines(config)]);
  if (standbys.unread && !unread.some((u) => u.region === standbys.unread?.region)) unread.push(standbys.unread);
  const regions = { primary: config.primaryRegion, dr: config.drRegion };
  const objectives = strictestObjectives(config);
  // What an unread region would have told is unknown: its ages are left out (shown as "-"), not judged.
  const unknown = new Set(unread.map((u) => u.region));
  const metrics = recoveryMetrics(facts, regions, options.now ?? new Date()).filter((m) => !unknown.has(m.region));
  const judgements = judgeRecovery(facts, metrics, regions, objectives);
  const drift = await driftLines(config, unknown, options);
  const report = renderStatus(judgements, regions, objectives, { colour: options.colour, all: options.all, unknownRegions: unknown, afterSummary: drift });
  const unreachable = unread.map(({ cause: _, ...u }) => u);
  const output = [...unreadRegionLines(unreachable, regions), report, ...standbys.lines].join('\n');
  return { output, breached: judgements.some((j) => j.breached), unreachable };
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
  if (result.unreachable.length) console.log(`\nnot every region could be read (${result.unreachable.map((u) => u.region).join(', ')}): the status is incomplete`);
  return result.breached || result.unreachable.length > 0 ? 1 : 0;
}
