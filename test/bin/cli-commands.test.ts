import { describe, expect, it } from 'vitest';
import { buildStartCommand, configPathOf, UsageError } from '../../bin/cli/commands.js';
import { parseConfig } from '../../lib/platform/config/schema.js';

const config = parseConfig({
  appName: 'shop-dr',
  primaryRegion: 'us-east-1',
  drRegion: 'us-west-2',
  alerts: { emails: ['oncall@example.com'] },
  policies: { gold: { selection: { instances: ['orders'] } } },
});

const usage = (command: string, argv: string[]) => {
  try {
    buildStartCommand(command, argv, config);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('rds-dr CLI commands build the console input', () => {
  it('failover runs in the DR region with the exact console input', () => {
    const cmd = buildStartCommand('failover', ['orders', '--reason', 'us-east-1 outage INC-123', '--dry-run'], config);
    expect(cmd).toMatchObject({ stateMachineName: 'shop-dr-failover', region: 'us-west-2', follow: true });
    expect(cmd.input).toEqual({ db: 'orders', reason: 'us-east-1 outage INC-123', dryRun: true, force: false });
  });

  it('failback runs in the DR region (next to the failover) with the exact console input; --switch is the go for phase 2', () => {
    const prepare = buildStartCommand('failback', ['orders', '--reason', 'us-east-1 recovered CHG-42'], config);
    expect(prepare).toMatchObject({ stateMachineName: 'shop-dr-failback', region: 'us-west-2', follow: true });
    expect(prepare.input).toEqual({ db: 'orders', reason: 'us-east-1 recovered CHG-42', dryRun: false, switch: false });
    const go = buildStartCommand('failback', ['orders', '--reason', 'CHG-42', '--switch', '--dry-run'], config);
    expect(go.input).toEqual({ db: 'orders', reason: 'CHG-42', dryRun: true, switch: true });
  });

  it('restore to a point in time defaults to the primary region; --reason=... and --no-follow work', () => {
    const cmd = buildStartCommand('restore', ['orders', '--time', '2026-11-20T14:29:00Z', '--target', 'orders-pitr-1129', '--verify', '--cutover', '--reason=bad migration INC-7', '--no-follow'], config);
    expect(cmd).toMatchObject({ stateMachineName: 'shop-dr-restore', region: 'us-east-1', follow: false });
    expect(cmd.input).toEqual({ db: 'orders', restoreTime: '2026-11-20T14:29:00Z', targetId: 'orders-pitr-1129', region: 'us-east-1', verify: true, cutover: true, reason: 'bad migration INC-7' });
  });

  it('restore from the newest snapshot in the DR region starts the DR deployment of the workflow', () => {
    const cmd = buildStartCommand('restore', ['orders', '--snapshot', 'latest', '--target', 'orders-dr', '--region', 'us-west-2'], config);
    expect(cmd.region).toBe('us-west-2');
    expect(cmd.input).toEqual({ db: 'orders', snapshot: 'latest', targetId: 'orders-dr', region: 'us-west-2', verify: false, cutover: false });
  });

  it('verify goes to the DR region drill workflow, with an optional snapshot ARN', () => {
    const arn = 'arn:aws:rds:us-west-2:123456789012:snapshot:rdsdr-orders-202611220200';
    const cmd = buildStartCommand('verify', ['orders', '--snapshot', arn, '--name', 'drill-1'], config);
    expect(cmd).toMatchObject({ stateMachineName: 'shop-dr-drill', region: 'us-west-2', executionName: 'drill-1', input: { db: 'orders', snapshot: arn } });
  });

  it.each([
    ['failover', ['orders'], /--reason is required/],
    ['failback', ['orders'], /failback: --reason is required/],
    ['failback', ['orders', '--reason', 'x', '--force'], /unknown option --force; allowed here: .*--switch/],
    ['failback', ['orders', '--reason', 'x', '--switch=yes'], /--switch takes no value/],
    ['failover', ['orders', '--reason'], /--reason needs a value/],
    ['failover', ['orders', 'billing', '--reason', 'x'], /exactly one database identifier, got 2/],
    ['failover', ['orders', '--reason', 'x', '--forse'], /unknown option --forse; allowed here: .*--force/],
    ['failover', ['orders', '--reason', 'x', '--dry-run=yes'], /--dry-run takes no value/],
    ['restore', ['orders', '--target', 'x'], /exactly one of --time .* or --snapshot/],
    ['restore', ['orders', '--time', 'latest', '--snapshot', 'latest', '--target', 'x'], /exactly one of --time/],
    ['restore', ['orders', '--time', 'latest'], /--target <new identifier> is required/],
    ['restore', ['orders', '--time', 'latest', '--target', 'x', '--region', 'eu-west-1'], /--region must be us-east-1 \(primary\) or us-west-2 \(DR\), got "eu-west-1"/],
    ['restore', ['orders', '--time', 'latest', '--target', 'x', '--cutover'], /--cutover needs --reason/],
    ['verify', ['orders', '--force'], /unknown option --force/],
    ['promote', ['orders'], /unknown command "promote"/],
  ])('%s %j is refused naming the flag', (command, argv, expected) => {
    expect(usage(command, argv)).toMatch(expected);
  });

  it('finds the config file in any position and form', () => {
    expect(configPathOf(['orders', '-c', 'config/prod.json'])).toBe('config/prod.json');
    expect(configPathOf(['--config=config/prod.json', 'orders'])).toBe('config/prod.json');
    expect(configPathOf(['orders'])).toBe('config/example.json');
  });
});
