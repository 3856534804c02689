// The shared incident pieces (lambdas/core: endpoint-cutover, timeline): endpoint cutover planning/execution and the timeline.
import { describe, expect, it } from 'vitest';
import { executeCutover, incompleteCutoverMessage, planCutover, type EndpointGateway } from '../../../lambdas/core/endpoint-cutover.js';
import { isUnreachable } from '../../../lambdas/aws/unreachable.js';
import { runIncidentReport } from '../../../lambdas/incident/report-step.js';
import { buildTimeline, collectSteps, timelineReportKey, timelineStep } from '../../../lambdas/core/timeline.js';

const regions = { primaryRegion: 'us-east-1', drRegion: 'us-west-2' };
const targets = { route53: { hostedZoneId: 'Z123', recordName: 'orders-db.example.com', ttl: 30 }, ssmParameter: '/app/orders/writer' };

class MemoryGateway implements EndpointGateway {
  cnames = new Map<string, string>();
  params = new Map<string, string>();
  down = new Set<string>();
  /** Regions whose SSM answers with an error (an HTTP answer: the region is reachable). */
  denied = new Set<string>();
  writes: string[] = [];
  /** Every write tried, including those that failed. */
  attempts: string[] = [];
  async readCname(zone: string, name: string) {
    if (this.down.has('route53')) throw Object.assign(new Error('connect ETIMEDOUT route53.amazonaws.com'), { name: 'TimeoutError' });
    return this.cnames.get(`${zone}/${name}`);
  }
  async upsertCname(zone: string, name: string, _ttl: number, value: string) {
    this.attempts.push(`route53:${name}`);
    if (this.down.has('route53')) throw Object.assign(new Error('connect ETIMEDOUT route53.amazonaws.com'), { name: 'TimeoutError' });
    this.writes.push(`route53:${name}`);
    this.cnames.set(`${zone}/${name}`, value);
  }
  async readParameter(region: string, name: string) {
    // What the SDK throws for a refused connection: no HTTP answer, the socket's code.
    if (this.down.has(region)) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error', code: 'ECONNREFUSED' });
    if (this.denied.has(region)) throw Object.assign(new Error('not authorized to perform ssm:GetParameter'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    return this.params.get(`${region}${name}`);
  }
  async putParameter(region: string, name: string, value: string) {
    this.attempts.push(`ssm:${region}`);
    if (this.down.has(region)) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error', code: 'ECONNREFUSED' });
    this.writes.push(`ssm:${region}`);
    this.params.set(`${region}${name}`, value);
  }
  isUnreachable(err: unknown) {
    return isUnreachable(err);
  }
}

describe('planCutover', () => {
  it('plans DR SSM first (it depends on nothing but the DR region), then Route 53 (required), then primary SSM (best effort)', () => {
    const actions = planCutover({ db: 'orders', endpoint: 'orders-replica.abc.us-west-2.rds.amazonaws.com', targets, ...regions });
    expect(actions.map((a) => [a.target, a.target === 'ssm' ? a.region : 'global', a.bestEffort])).toEqual([
      ['ssm', 'us-west-2', false],
      ['route53', 'global', false],
      ['ssm', 'us-east-1', true],
    ]);
  });
  it('rejects a non-host endpoint', () => {
    expect(() => planCutover({ db: 'orders', endpoint: 'http://x:5432', targets, ...regions })).toThrow(/endpoint/);
  });
});

describe('executeCutover', () => {
  const host = 'new.example.com';
  it('updates every target, then a re-run changes nothing', async () => {
    const gw = new MemoryGateway();
    const actions = planCutover({ db: 'orders', endpoint: host, targets, ...regions });
    expect((await executeCutover(actions, gw, false)).map((o) => o.outcome)).toEqual(['updated', 'updated', 'updated']);
    expect((await executeCutover(actions, gw, false)).map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(gw.writes).toHaveLength(3);
  });
  it('dry run writes nothing and reports what it would change', async () => {
    const gw = new MemoryGateway();
    gw.params.set('us-west-2/app/orders/writer', 'old.example.com');
    const out = await executeCutover(planCutover({ db: 'orders', endpoint: host, targets, ...regions }), gw, true);
    expect(out.map((o) => o.outcome)).toEqual(['would-update', 'would-update', 'would-update']);
    expect(out[0].before).toBe('old.example.com');
    expect(gw.writes).toEqual([]);
  });
  it('an unreachable primary region is recorded, not fatal', async () => {
    const gw = new MemoryGateway();
    gw.down.add('us-east-1');
    const out = await executeCutover(planCutover({ db: 'orders', endpoint: host, targets, ...regions }), gw, false);
    expect(out.map((o) => o.outcome)).toEqual(['updated', 'updated', 'failed']);
    expect(out[2].error).toMatch(/ECONNREFUSED/);
  });
  it('a primary region that did not answer the read is not written to: the write would only fail the same way', async () => {
    const gw = new MemoryGateway();
    gw.down.add('us-east-1');
    const out = await executeCutover(planCutover({ db: 'orders', endpoint: host, targets, ...regions }), gw, false);
    expect(gw.attempts).toEqual(['ssm:us-west-2', 'route53:orders-db.example.com']);
    expect(out[2]).toMatchObject({ outcome: 'failed', error: 'Error: connect ECONNREFUSED (reading it failed: us-east-1 unreachable, so no write was tried)' });
    // Still reported as not done, with the command that makes the change once the region is back.
    const report = incompleteCutoverMessage(out);
    expect(report).toMatch(/Not done: SSM parameter \/app\/orders\/writer in us-east-1 -> new.example.com \(best effort\) — Error: connect ECONNREFUSED/);
    expect(report).toContain(`Best effort, once that region is back: aws ssm put-parameter --region us-east-1 --name '/app/orders/writer' --type String --overwrite --value 'new.example.com'`);
  });
  it('a read the primary region answered with an error still tries the write (the region is up)', async () => {
    const gw = new MemoryGateway();
    gw.denied.add('us-east-1');
    const out = await executeCutover(planCutover({ db: 'orders', endpoint: host, targets, ...regions }), gw, false);
    expect(gw.attempts).toEqual(['ssm:us-west-2', 'route53:orders-db.example.com', 'ssm:us-east-1']);
    expect(out.map((o) => o.outcome)).toEqual(['updated', 'updated', 'updated']);
  });
  it('an unreachable DR region SSM is fatal, after trying every target', async () => {
    const gw = new MemoryGateway();
    gw.down.add('us-west-2');
    await expect(executeCutover(planCutover({ db: 'orders', endpoint: host, targets, ...regions }), gw, false)).rejects.toThrow(
      /Not done: SSM parameter \/app\/orders\/writer in us-west-2 -> new.example.com — Error: connect ECONNREFUSED/,
    );
    expect(gw.writes).toEqual(['route53:orders-db.example.com', 'ssm:us-east-1']);
  });
  it('Route 53 unreachable after the DR parameter was repointed: says what was done, what was not and why, and the one command that finishes it', async () => {
    const gw = new MemoryGateway();
    gw.down.add('route53');
    gw.down.add('us-east-1');
    const error = await executeCutover(planCutover({ db: 'orders', endpoint: host, targets, ...regions }), gw, false).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.name).toBe('rds-dr.CutoverFailed');
    const lines = error!.message.split('\n');
    expect(lines[0]).toBe('endpoint cutover to new.example.com is incomplete.');
    expect(lines[1]).toBe('Done: SSM parameter /app/orders/writer in us-west-2 -> new.example.com.');
    expect(lines[2]).toMatch(/^Not done: Route 53 CNAME orders-db.example.com \(zone Z123, TTL 30\) -> new.example.com — TimeoutError: connect ETIMEDOUT route53.amazonaws.com \(depends on us-east-1 \(Route 53 control plane\)\); SSM parameter \/app\/orders\/writer in us-east-1/);
    expect(lines[3]).toBe(
      `Finish it with: aws route53 change-resource-record-sets --hosted-zone-id Z123 --change-batch '{"Comment":"rds-dr cutover","Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"orders-db.example.com","Type":"CNAME","TTL":30,"ResourceRecords":[{"Value":"new.example.com"}]}}]}'`,
    );
    expect(lines[4]).toBe(`Best effort, once that region is back: aws ssm put-parameter --region us-east-1 --name '/app/orders/writer' --type String --overwrite --value 'new.example.com'`);
    expect(gw.params.get('us-west-2/app/orders/writer')).toBe(host);
  });
  it('names the path a public zone with accelerated recovery takes when us-east-1 is impaired', async () => {
    const gw = new MemoryGateway();
    gw.down.add('route53');
    const publicZone = { ...targets, route53: { ...targets.route53, zone: 'public' as const, acceleratedRecovery: true } };
    await expect(executeCutover(planCutover({ db: 'orders', endpoint: host, targets: publicZone, ...regions }), gw, false)).rejects.toThrow(
      /depends on us-east-1, or us-west-2 ~60 min into a us-east-1 impairment \(accelerated recovery\)/,
    );
  });
});

describe('timeline', () => {
  const t0 = new Date('2026-11-23T01:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  it('collects steps from step results in start order and measures the total from the execution start', () => {
    const steps = collectSteps({
      cutover: { step: timelineStep('cutover', at(100), at(110), 'done', 'x'), outcomes: [] },
      plan: { step: timelineStep('plan', at(1), at(2), 'done', 'p') },
      junk: { nothing: true },
      wait: timelineStep('wait-writable', at(30), at(100), 'done', 'w'),
    });
    expect(steps.map((s) => s.name)).toEqual(['plan', 'wait-writable', 'cutover']);
    const tl = buildTimeline({ workflow: 'failover', db: 'orders', executionArn: 'arn:aws:states:us-west-2:1:execution:sm:run-1', executionStartTime: t0.toISOString(), dryRun: false, steps }, at(500));
    expect(tl.totalSeconds).toBe(110);
    expect(tl.stepSeconds).toEqual({ plan: 1, 'wait-writable': 70, cutover: 10 });
    expect(timelineReportKey(tl)).toBe('incidents/failover/orders/2026/11/23/run-1.json');
  });
  it('the report stores JSON and publishes a notice; a failed notice is recorded, not fatal', async () => {
    const stored: string[] = [];
    const result = await runIncidentReport(
      { workflow: 'failover', db: 'orders', executionArn: 'arn:aws:states:us-west-2:1:execution:sm:run-1', executionStartTime: t0.toISOString(), reason: 'INC-1', steps: { plan: { step: timelineStep('plan', at(1), at(2), 'done', 'p') } } },
      { store: async (key, body) => (stored.push(body), `s3://b/${key}`), notify: async () => { throw new Error('unreachable'); } },
      () => at(60),
    );
    expect(result.reportLocation).toBe('s3://b/incidents/failover/orders/2026/11/23/run-1.json');
    expect(result.notice).toEqual({ published: false, error: 'Error: unreachable' });
    expect(result.totalSeconds).toBe(60);
    expect(JSON.parse(stored[0]).steps.map((s: { name: string }) => s.name)).toEqual(['plan', 'report']);
  });
  it('a failed run is reported with a failed step and its message, and no notice (the failure alert covers it)', async () => {
    let notified = 0;
    const stored: string[] = [];
    const result = await runIncidentReport(
      {
        workflow: 'failover', db: 'orders', executionArn: 'arn:aws:states:us-west-2:1:execution:sm:run-2', executionStartTime: t0.toISOString(),
        steps: { plan: { step: timelineStep('plan', at(1), at(2), 'done', 'p') } },
        failure: { Error: 'rds-dr.PreCheckFailed', Cause: JSON.stringify({ errorType: 'rds-dr.PreCheckFailed', errorMessage: 'pre-check replica-lag failed' }) },
      },
      { store: async (key, body) => (stored.push(body), `s3://b/${key}`), notify: async () => void notified++ },
      () => at(10),
    );
    expect(notified).toBe(0);
    expect(result.notice.published).toBe(false);
    const body = JSON.parse(stored[0]);
    expect(body.outcome).toBe('failed');
    expect(body.failure).toEqual({ error: 'rds-dr.PreCheckFailed', cause: 'pre-check replica-lag failed' });
    expect(body.steps.map((s: { name: string; outcome: string }) => `${s.name}:${s.outcome}`)).toEqual(['plan:done', 'failed:failed', 'report:done']);
  });
});
