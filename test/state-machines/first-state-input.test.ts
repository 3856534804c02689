// Whatever arrives at a first state, the workflow fails there and the alert reaches someone.
// A `null` execution input is bad input like any other: every workflow fails it in its first state
// with rds-dr.InvalidInput, pages once, and calls nothing. (The first states read the input from
// $$.Execution.Input, which is null here, rather than from "$".)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStack } from '../local/local-stack.js';
import type { WorkflowRun } from '../local/workflow-runner.js';
import { localConfig } from './fixtures.js';

describe('null execution input', () => {
  let aws: LocalStack;
  beforeAll(async () => {
    // A deployment with every workflow: drills (verification) and failover (incident) included.
    const config = localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: { gold: { selection: { tags: { 'rds-dr:policy': 'gold' } }, verify: { databases: { orders: { database: 'orders' } } } } },
      incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } },
    });
    aws = await LocalStack.start({ config });
  }, 120_000);
  afterAll(async () => aws?.stop());

  const cases: [string, string, (aws: LocalStack) => Promise<WorkflowRun>][] = [
    ['backup', 'DiscoverDatabases', (a) => a.runBackup(null, 'null-backup')],
    ['drill', 'PlanVerification', (a) => a.runDrill(null, 'null-drill')],
    ['prune', 'PlanPrune', (a) => a.runPrune(null, 'null-prune')],
    ['prune-dr', 'PlanPrune', (a) => a.runPrune(null, 'null-prune-dr', a.config.drRegion)],
    ['restore', 'PlanRestore', (a) => a.runRestore(null, undefined, 'null-restore')],
    ['failover', 'PlanFailover', (a) => a.runFailover(null, 'null-failover')],
    ['failback', 'PlanFailback', (a) => a.runFailback(null, 'null-failback')],
  ];
  // The DR region's workflows page through the DR stack's own topic.
  const pagesIn = (workflow: string) => (['drill', 'failover', 'failback', 'prune-dr'].includes(workflow) ? 'dr' : 'primary');
  it.each(cases)('%s fails at %s with rds-dr.InvalidInput and one alert', async (workflow, firstState, run) => {
    await aws.receiveAlerts(pagesIn(workflow));
    const calls = aws.sdkCalls.length + aws.sdkCallsDr.length;
    const result = await run(aws);
    expect(result.status).toBe('FAILED');
    expect(result.error, result.cause).toBe('rds-dr.InvalidInput');
    expect(result.statesEntered).toEqual([firstState]);
    expect(aws.sdkCalls.length + aws.sdkCallsDr.length).toBe(calls);
    const alerts = await aws.receiveAlerts(pagesIn(workflow));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toMatch(/input must be a JSON object|no restore drills configured/);
  });

  it('an input with a 100 kB database name fails validation and still pages: the alert is cut to what SNS accepts, essentials first', async () => {
    await aws.receiveAlerts();
    const db = 'x'.repeat(100_000);
    const result = await aws.runRestore({ db, snapshot: 'latest', targetId: 'huge-1' }, undefined, 'huge-input');
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('rds-dr.InvalidInput');
    const alerts = await aws.receiveAlerts();
    expect(alerts).toHaveLength(1);
    expect(Buffer.byteLength(alerts[0].message, 'utf8')).toBeLessThanOrEqual(262_144);
    expect(alerts[0].message).toContain(`Execution: ${result.executionArn}`);
    expect(alerts[0].message).toContain('Error:     rds-dr.InvalidInput');
  });
});
