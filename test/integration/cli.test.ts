// `rds-dr verify|failover|restore` end to end: the CLI's real SDK adapter talks to a local Step
// Functions endpoint whose executions are the ASL workflows run by the local runner against moto.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/cli/main.js';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID } from '../local/moto.js';
import { LocalSfnEndpoint } from '../local/sfn-endpoint.js';
import { DR, localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('rds-dr CLI against the local AWS', () => {
  let aws: LocalStack;
  let sfnDr: LocalSfnEndpoint;
  const dir = mkdtempSync(join(tmpdir(), 'rdsdr-cli-'));
  const configPath = join(dir, 'config.json');

  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await main([...argv, '-c', configPath, '--endpoint', sfnDr.endpoint], { write: (l) => lines.push(l), pollMs: 20 });
    return { code, out: lines.join('\n') };
  };

  beforeAll(async () => {
    const config = localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: {
        gold: {
          selection: { tags: GOLD },
          verify: { restoreTimeoutMinutes: 10, databases: { orders: { database: 'orders', tables: [{ name: 'public.items', minRows: 20 }] } } },
        },
      },
    });
    writeFileSync(configPath, JSON.stringify(config));
    aws = await LocalStack.start({ config, withPostgres: true });
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    await aws.pg!.createDatabase('orders');
    const c = aws.pg!.client('orders');
    await c.connect();
    await c.query('CREATE TABLE items (id int primary key); INSERT INTO items SELECT generate_series(1, 25)');
    await c.end();
    aws.dataPlane!.attach('instance', 'orders', 'orders');
    expect((await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' })).status).toBe('SUCCEEDED');

    sfnDr = new LocalSfnEndpoint(DR, LOCAL_ACCOUNT_ID);
    sfnDr.register('rds-dr-verify', (input, name) => aws.runVerify(input, name));
    aws.onWorkflowEvent = sfnDr.onEvent;
    await sfnDr.start();
  });
  afterAll(async () => {
    await sfnDr?.stop();
    await aws?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify: starts the drill in the DR region, prints each state as it passes, exits 0 on success', async () => {
    const { code, out } = await cli('verify', 'orders', '--name', 'cli-drill');
    expect(out).toContain(`starting rds-dr-verify in ${DR} with input {"db":"orders"}`);
    expect(out).toContain(`execution arn:aws:states:${DR}:${LOCAL_ACCOUNT_ID}:execution:rds-dr-verify:cli-drill`);
    // States in the order they ran, as the console shows them.
    const states = [...out.matchAll(/▶ (\w+)/g)].map((m) => m[1]);
    expect(states[0]).toBe('PlanVerification');
    expect(states.indexOf('RestoreInstance')).toBeLessThan(states.indexOf('RunChecks'));
    expect(states.indexOf('RunChecks')).toBeLessThan(states.indexOf('DeleteThrowawayInstance'));
    expect(out).toMatch(/SUCCEEDED after [\d.]+s/);
    expect(code).toBe(0);
  });

  it('a refused input fails at the first state: the CLI shows the field and exits 1', async () => {
    const { code, out } = await cli('verify', 'nosuchdb');
    const states = [...out.matchAll(/▶ (\w+)/g)].map((m) => m[1]);
    expect(states[0]).toBe('PlanVerification');
    expect(states).not.toContain('RestoreInstance');
    expect(out).toMatch(/✗ TaskFailed: rds-dr.InvalidInput input.db: "nosuchdb" is not drilled by this deployment/);
    expect(out).toMatch(/FAILED after [\d.]+s: .*input.db: "nosuchdb"/);
    expect(code).toBe(1);
  });

  it('usage errors exit 2 without starting anything; an undeployed workflow is named', async () => {
    expect((await cli('verify')).code).toBe(2);
    const missing = await cli('failover', 'orders', '--reason', 'drill');
    expect(missing.out).toContain(`no state machine "rds-dr-failover" in ${DR}`);
    expect(missing.code).toBe(2);
  });
});
