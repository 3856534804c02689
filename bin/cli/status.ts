// `npx rds-dr status [-c config.json]`: the dashboard's table in a terminal, from live AWS data.
// Exits 1 when any objective is breached, so it can gate a cron job or a CI pipeline.
import { loadConfigFile } from '../../lib/platform/config/load.js';
import { strictestObjectives } from '../../lib/platform/config/objectives.js';
import { toRuntimeSettings } from '../../lib/platform/config/runtime-settings.js';
import type { RdsDrConfig } from '../../lib/platform/config/schema.js';
import { reportsBucketParameterName } from '../../lib/platform/reports-bucket.js';
import { recoveryMetrics } from '../../lambdas/monitor/recovery-ages.js';
import { readRecoveryFacts } from '../../lambdas/monitor/recovery-facts.js';
import { anyBreach, renderTable, statusRows } from './status-table.js';

export async function status(config: RdsDrConfig, options: { account?: string; colour: boolean; now?: Date }): Promise<{ output: string; breached: boolean }> {
  const account = options.account ?? config.account;
  // The reports bucket's name changes each time the DR stack is created: read it where the DR stack publishes it.
  const settings = toRuntimeSettings(config, account ?? '000000000000', undefined, { parameter: reportsBucketParameterName(config.appName) });
  if (config.verification) {
    // The drill list is all that verification settings contribute here.
    settings.verification = {
      region: config.drRegion, subnetGroupName: '', securityGroupIds: [], expiryHours: config.verification.expiryHours,
      instanceClasses: config.verification.instanceClasses, reportsBucket: '',
      policies: Object.fromEntries(Object.entries(config.policies).filter(([, p]) => p.verify).map(([n, p]) => [n, { maxConcurrency: 1, restoreTimeoutSeconds: 1, databases: p.verify!.databases }])),
    };
  }
  const facts = await readRecoveryFacts(settings);
  const regions = { primary: config.primaryRegion, dr: config.drRegion };
  const rows = statusRows(facts, recoveryMetrics(facts, regions, options.now ?? new Date()), regions, strictestObjectives(config));
  return { output: renderTable(rows, options.colour), breached: anyBreach(rows) };
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'status') {
    console.error('usage: rds-dr status [-c config/prod.json] [--account 123456789012]');
    return 2;
  }
  const flag = (name: string) => {
    const i = rest.findIndex((a) => a === name || a === `--${name.replace(/^-+/, '')}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const config = loadConfigFile(flag('-c') ?? flag('--config') ?? 'config/example.json');
  const result = await status(config, { account: flag('--account') ?? process.env.AWS_ACCOUNT_ID, colour: process.stdout.isTTY === true });
  console.log(result.output);
  if (result.breached) console.log('\nat least one objective is breached');
  return result.breached ? 1 : 0;
}
