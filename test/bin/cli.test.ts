// `rds-dr verify|failover|restore` end to end: the CLI's real SDK adapter talks to a local Step
// Functions endpoint whose executions are the ASL workflows run by the local runner against moto.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceReadReplicaCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/cli/main.js';
import { SfnExecutions } from '../../lambdas/aws/step-functions.js';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import { LocalSfnEndpoint } from '../local/sfn-endpoint.js';
import { DR, localConfig, PRIMARY } from '../state-machines/fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('rds-dr CLI against the local AWS', () => {
  let aws: LocalStack;
  let sfnDr: LocalSfnEndpoint;
  let sfnPrimary: LocalSfnEndpoint;
  const dir = mkdtempSync(join(tmpdir(), 'rdsdr-cli-'));
  const configPath = join(dir, 'config.json');

  const ssm = (region: string) => new SSMClient(motoClientConfig(aws.moto, region));
  /** The CLI with each region's Step Functions at its local endpoint (as --endpoint does for one region). */
  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const gateway = (region: string) => new SfnExecutions(region, region === DR ? sfnDr.endpoint : sfnPrimary.endpoint);
    const code = await main([...argv, '-c', configPath], { write: (l) => lines.push(l), pollMs: 20, gateway });
    return { code, out: lines.join('\n') };
  };

  beforeAll(async () => {
    const config = localConfig({
      incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' }, maxReplicaLagSeconds: 60, endpoint: { ssmParameter: '/app/orders/writer' } } } },
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

    // The standby for the failover dry run: a cross-region replica, its lag, the writer parameter (the notice
    // topic, the DR stack's warnings topic, is created by the local AWS from the template).
    const primaryArn = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders' }))).DBInstances?.[0]?.DBInstanceArn;
    await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: primaryArn }));
    await new CloudWatchClient(motoClientConfig(aws.moto, DR)).send(new PutMetricDataCommand({
      Namespace: 'AWS/RDS',
      MetricData: [{ MetricName: 'ReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-replica' }], Value: 3, Unit: 'Seconds', Timestamp: new Date() }],
    }));
    for (const region of [PRIMARY, DR]) await ssm(region).send(new PutParameterCommand({ Name: '/app/orders/writer', Value: 'orders.primary.example', Type: 'String', Overwrite: true }));

    sfnDr = new LocalSfnEndpoint(DR, LOCAL_ACCOUNT_ID);
    sfnDr.register('rds-dr-drill', (input, name) => aws.runDrill(input, name));
    sfnDr.register('rds-dr-failover', (input, name) => aws.runFailover(input, name));
    sfnPrimary = new LocalSfnEndpoint(PRIMARY, LOCAL_ACCOUNT_ID);
    sfnPrimary.register('rds-dr-restore', (input, name) => aws.runRestore(input, PRIMARY, name));
    aws.onWorkflowEvent = (arn, event) => (arn.includes(`:${DR}:`) ? sfnDr : sfnPrimary).onEvent(arn, event);
    await sfnDr.start();
    await sfnPrimary.start();
  });
  afterAll(async () => {
    await sfnDr?.stop();
    await sfnPrimary?.stop();
    await aws?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drill: starts the drill in the DR region, prints each state as it passes, exits 0 on success', async () => {
    const { code, out } = await cli('drill', 'orders', '--name', 'cli-drill');
    expect(out).toContain(`starting rds-dr-drill in ${DR} with input {"db":"orders"}`);
    expect(out).toContain(`execution arn:aws:states:${DR}:${LOCAL_ACCOUNT_ID}:execution:rds-dr-drill:cli-drill`);
    // States in the order they ran, as the console shows them.
    const states = [...out.matchAll(/▶ (\w+)/g)].map((m) => m[1]);
    // The per-database states run in the Distributed Map's child executions: the parent shows the Map as one state.
    expect(states[0]).toBe('PlanVerification');
    expect(states.indexOf('VerifyEachDatabase')).toBeGreaterThan(0);
    expect(states.indexOf('VerifyEachDatabase')).toBeLessThan(states.indexOf('SummarizeVerification'));
    expect(out).toMatch(/SUCCEEDED after [\d.]+s/);
    expect(code).toBe(0);
  });

  it('a refused input fails at the first state: the CLI shows the field and exits 1 (through `verify`, the old name of `drill`)', async () => {
    const { code, out } = await cli('verify', 'nosuchdb');
    expect(out).toContain(`starting rds-dr-drill in ${DR} with input {"db":"nosuchdb"}`);
    const states = [...out.matchAll(/▶ (\w+)/g)].map((m) => m[1]);
    expect(states[0]).toBe('PlanVerification');
    expect(states).not.toContain('RestoreInstance');
    expect(out).toMatch(/✗ TaskFailed: rds-dr.InvalidInput input.db: "nosuchdb" is not drilled by this deployment/);
    expect(out).toMatch(/FAILED after [\d.]+s: .*input.db: "nosuchdb"/);
    expect(code).toBe(1);
  });

  it('failover --dry-run: runs in the DR region, prints the pre-checks and the would-do steps, changes nothing', async () => {
    const { code, out } = await cli('failover', 'orders', '--reason', 'game day INC-0', '--dry-run', '--name', 'cli-failover-dry');
    expect(out).toContain(`starting rds-dr-failover in ${DR} with input {"db":"orders","reason":"game day INC-0","dryRun":true,"force":false}`);
    const states = [...out.matchAll(/▶ (\w+)/g)].map((m) => m[1]);
    expect(states[0]).toBe('PlanFailover');
    expect(states).toEqual(expect.arrayContaining(['RunPreChecks', 'PromoteStandby', 'CutoverEndpoint', 'ReportTimeline']));
    expect(out).toMatch(/would PromoteReadReplica orders-replica in us-west-2/);
    expect(code).toBe(0);
    const replica = (await aws.rdsDr.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-replica' }))).DBInstances?.[0];
    expect(replica?.ReadReplicaSourceDBInstanceIdentifier).toMatch(/orders$/);
    for (const region of [PRIMARY, DR]) expect((await ssm(region).send(new GetParameterCommand({ Name: '/app/orders/writer' }))).Parameter?.Value).toBe('orders.primary.example');
  });

  it('restore --snapshot latest: restores in the primary region, prints each state, exits 0', async () => {
    const { code, out } = await cli('restore', 'orders', '--snapshot', 'latest', '--target', 'orders-cli');
    expect(out).toContain(`starting rds-dr-restore in ${PRIMARY} with input {"db":"orders","snapshot":"latest","targetId":"orders-cli","region":"${PRIMARY}","verify":false,"cutover":false}`);
    const states = [...out.matchAll(/▶ (\w+)/g)].map((m) => m[1]);
    expect(states.slice(0, 3)).toEqual(['PlanRestore', 'InitState', 'StartRestore']);
    expect(states).toContain('ReportTimeline');
    expect(code).toBe(0);
    expect((await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders-cli' }))).DBInstances?.[0]?.DBInstanceStatus).toBe('available');
  });

  it('usage errors exit 2 without starting anything; --endpoint reaches a local endpoint; an undeployed workflow is named', async () => {
    expect((await cli('verify')).code).toBe(2);
    expect((await cli('failover', 'orders')).out).toMatch(/--reason is required/);
    const empty = new LocalSfnEndpoint(PRIMARY, LOCAL_ACCOUNT_ID);
    await empty.start();
    try {
      const lines: string[] = [];
      const code = await main(['restore', 'orders', '--time', 'latest', '--target', 'orders-pitr', '-c', configPath, '--endpoint', empty.endpoint], { write: (l) => lines.push(l) });
      expect(lines.join('\n')).toContain(`no state machine "rds-dr-restore" in ${PRIMARY}`);
      expect(code).toBe(2);
    } finally {
      await empty.stop();
    }
  });
});
