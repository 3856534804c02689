// Turns `rds-dr failover|failback|restore|drill ...` arguments into the exact JSON input the console would
// take, and the state machine (name and region) to start. Pure: nothing here talks to AWS, so every
// flag rule is unit-tested, and the workflows' first states still validate whatever arrives.
import type { RdsDrConfig } from '../../lib/platform/config/schema.js';
import { stateMachineName, type WorkflowName } from '../../lib/platform/registry.js';

/** The workflows a person starts by hand (registry names: lib/platform/registry.ts). */
export type WorkflowKind = Extract<WorkflowName, 'failover' | 'failback' | 'restore' | 'drill'>;

export interface StartCommand {
  kind: 'start';
  workflow: WorkflowKind;
  /** Name of the deployed state machine (`<appName>-<workflow>`). */
  stateMachineName: string;
  region: string;
  input: Record<string, unknown>;
  executionName?: string;
  follow: boolean;
  /** A local Step Functions endpoint instead of AWS's. */
  endpoint?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage:
  rds-dr status   [-c config.json] [--account <id>] [--all]
  rds-dr failover <db> --reason "<why, ticket>" [--dry-run] [--force]
  rds-dr failback <db> --reason "<why, ticket>" [--dry-run] [--switch]
  rds-dr restore  <db> (--time <ISO-8601|latest> | --snapshot <id|latest>) --target <new-id>
                  [--region <region>] [--verify] [--cutover] [--reason "<why>"]
  rds-dr drill    <db> [--snapshot <DR copy ARN>]   (alias: verify)
common: -c/--config <file> (default config/example.json)  --no-follow  --name <execution name>
        --endpoint <url> (a local Step Functions endpoint)`;

interface FlagSpec {
  /** Flags that take a value. */
  values: string[];
  /** Boolean switches. */
  switches: string[];
}

const COMMON: FlagSpec = { values: ['--config', '--name', '--endpoint', '--account'], switches: ['--no-follow'] };
const SPECS: Record<WorkflowKind, FlagSpec> = {
  failover: { values: ['--reason'], switches: ['--dry-run', '--force'] },
  failback: { values: ['--reason'], switches: ['--dry-run', '--switch'] },
  restore: { values: ['--time', '--snapshot', '--target', '--region', '--reason'], switches: ['--verify', '--cutover'] },
  drill: { values: ['--snapshot'], switches: [] },
};

export interface ParsedArgs {
  positional: string[];
  values: Record<string, string>;
  switches: Set<string>;
}

/** Splits argv by a spec; an unknown flag or a flag without its value is a UsageError naming it. */
export function parseFlags(argv: string[], spec: FlagSpec): ParsedArgs {
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  const positional: string[] = [];
  const allValues = [...COMMON.values, ...spec.values];
  const allSwitches = [...COMMON.switches, ...spec.switches];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '-c') arg = '--config';
    if (!arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (allSwitches.includes(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      switches.add(flag);
    } else if (allValues.includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      values[flag] = value;
    } else {
      throw new UsageError(`unknown option ${flag}; allowed here: ${[...allValues, ...allSwitches].join(', ')}`);
    }
  }
  return { positional, values, switches };
}

// `verify` is the drill's former name, kept as an alias so existing runbooks and scripts still work.
const COMMAND_WORKFLOWS: Record<string, WorkflowKind> = { failover: 'failover', failback: 'failback', restore: 'restore', drill: 'drill', verify: 'drill' };

/** The config file a command names (or the default), read before buildStartCommand. */
export function configPathOf(argv: string[]): string {
  const i = argv.findIndex((a) => a === '-c' || a === '--config' || a.startsWith('--config='));
  if (i < 0) return 'config/example.json';
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : (argv[i + 1] ?? 'config/example.json');
}

/** Builds the execution to start for `failover|failback|restore|drill` (or `verify`), or throws a UsageError naming the flag. */
export function buildStartCommand(command: string, argv: string[], config: RdsDrConfig): StartCommand {
  const workflow = COMMAND_WORKFLOWS[command];
  if (!workflow) throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  const args = parseFlags(argv, SPECS[workflow]);
  if (args.positional.length !== 1) throw new UsageError(`${command}: give exactly one database identifier, got ${args.positional.length}`);
  const db = args.positional[0];
  const base = {
    kind: 'start' as const,
    workflow,
    stateMachineName: stateMachineName(config.appName, workflow),
    executionName: args.values['--name'],
    endpoint: args.values['--endpoint'],
    follow: !args.switches.has('--no-follow'),
  };

  if (workflow === 'failover') {
    const reason = args.values['--reason'];
    if (!reason?.trim()) throw new UsageError('failover: --reason is required (what happened, incident ticket); it is logged with the promotion');
    // Failover runs in the DR region: the primary region may be the one that is down.
    return {
      ...base,
      region: config.drRegion,
      input: { db, reason, dryRun: args.switches.has('--dry-run'), force: args.switches.has('--force') },
    };
  }

  if (workflow === 'failback') {
    const reason = args.values['--reason'];
    if (!reason?.trim()) throw new UsageError('failback: --reason is required (incident ticket, change window); it is logged with every change');
    // Deployed next to the failover, in the DR region: it starts from the instance the failover promoted there.
    return {
      ...base,
      region: config.drRegion,
      input: { db, reason, dryRun: args.switches.has('--dry-run'), switch: args.switches.has('--switch') },
    };
  }

  if (workflow === 'restore') {
    const time = args.values['--time'];
    const snapshot = args.values['--snapshot'];
    if ((time === undefined) === (snapshot === undefined)) throw new UsageError('restore: give exactly one of --time <ISO-8601|latest> or --snapshot <id|latest>');
    const target = args.values['--target'];
    if (!target) throw new UsageError('restore: --target <new identifier> is required (the restored database gets this id)');
    const region = args.values['--region'] ?? config.primaryRegion;
    if (region !== config.primaryRegion && region !== config.drRegion) {
      throw new UsageError(`restore: --region must be ${config.primaryRegion} (primary) or ${config.drRegion} (DR), got "${region}"`);
    }
    const cutover = args.switches.has('--cutover');
    if (cutover && !args.values['--reason']?.trim()) throw new UsageError('restore: --cutover needs --reason (it replaces the live database)');
    const input: Record<string, unknown> = {
      db,
      ...(time !== undefined ? { restoreTime: time } : { snapshot }),
      targetId: target,
      region,
      verify: args.switches.has('--verify'),
      cutover,
    };
    if (args.values['--reason']) input.reason = args.values['--reason'];
    // The restore workflow is deployed in both regions; each restores where it runs.
    return { ...base, region, input };
  }

  const input: Record<string, unknown> = { db };
  if (args.values['--snapshot']) input.snapshot = args.values['--snapshot'];
  // Drills restore in the DR region, where the verification network is.
  return { ...base, region: config.drRegion, input };
}
