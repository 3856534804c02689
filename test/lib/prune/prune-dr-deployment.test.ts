// The prune workflow's DR-region deployment: the snapshots the DR backup takes of failed-over
// databases are pruned in the DR region, with nothing in the primary region (lib/prune/prune-workflow.ts).
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { allowing, asArray, LONG_TIMEOUT, settingsOf, statementsOf, synth, testConfig, TEST_ACCOUNT, type Synthesized } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

const PRIMARY = 'eu-central-1';
const DR = 'eu-west-1';
const drLogicalId = (c: { node: { defaultChild?: unknown } }) => s.dr!.getLogicalId(c.node.defaultChild as never);
const regionsIn = (statements: ReturnType<typeof statementsOf>) =>
  [...new Set(statements.flatMap((st) => asArray(st.Resource as string | string[])).flatMap((r) => (typeof r === 'string' ? [...r.matchAll(/^arn:aws:(?:rds|ssm|kms):([a-z0-9-]+):/g)].map((m) => m[1]) : [])))].sort();

describe('prune in the DR region', { timeout: LONG_TIMEOUT }, () => {
  it('deploys <app>-prune in the DR stack on the pruning schedule, watched by the DR alerting', () => {
    const [sm] = Object.entries(s.drTemplate!.findResources('AWS::StepFunctions::StateMachine')).filter(([, r]) => r.Properties.StateMachineName === 'acme-dr-prune');
    expect(sm).toBeDefined();
    s.drTemplate!.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'acme-dr-prune',
      ScheduleExpression: 'cron(0 5 * * ? *)',
      Target: Match.objectLike({ Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}' }),
    });
    const rule = s.drTemplate!.findResources('AWS::Events::Rule')[drLogicalId(s.dr!.alerting.rule)];
    expect(JSON.stringify(rule.Properties.EventPattern.detail.stateMachineArn)).toContain(sm[0]);
  });

  it('its functions run as the DR deployment, with the DR stack\'s work bucket, reports bucket and alert topic', () => {
    for (const fn of [s.dr!.prune.planPrune, s.dr!.prune.pruneReport, s.dr!.prune.deleteSnapshotBatch]) {
      const settings = settingsOf(s.drTemplate!.findResources('AWS::Lambda::Function')[drLogicalId(fn)]);
      expect(settings.pruneRole).toBe('dr');
      expect(settings.alertTopicArn).toMatch(new RegExp(`^arn:aws:sns:${DR}:`));
    }
    const plan = settingsOf(s.drTemplate!.findResources('AWS::Lambda::Function')[drLogicalId(s.dr!.prune.planPrune)]);
    expect(JSON.stringify(plan.workBucket)).toContain(drLogicalId(s.dr!.work.bucket));
    expect(JSON.stringify(plan.reportsBucket)).toContain(drLogicalId(s.dr!.reports.bucket));
    expect(plan.reportsBucketParameter).toBeUndefined();
    // The primary's are the primary deployment.
    const primaryPlan = settingsOf(s.primaryTemplate.findResources('AWS::Lambda::Function')[s.primary.getLogicalId(s.primary.prune.planPrune.node.defaultChild as never)]);
    expect(primaryPlan.pruneRole).toBe('primary');
  });

  it('reads and deletes in the DR region only, and deletes only managed rdsdr- snapshots of DR-region databases', () => {
    const plan = statementsOf(s.drTemplate!, 'PrunePlanPruneRole');
    expect(regionsIn(plan)).toEqual([DR]);
    expect(plan.flatMap((st) => asArray(st.Action)).filter((a) => a.startsWith('rds:')).every((a) => a.startsWith('rds:Describe'))).toBe(true);
    const batch = statementsOf(s.drTemplate!, 'PruneDeleteSnapshotBatchRole');
    expect(regionsIn(batch)).toEqual([DR]);
    const deletes = allowing(batch, 'rds:DeleteDBSnapshot');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].Resource).toEqual([`arn:aws:rds:${DR}:${TEST_ACCOUNT}:snapshot:rdsdr-*`, `arn:aws:rds:${DR}:${TEST_ACCOUNT}:cluster-snapshot:rdsdr-*`]);
    expect(deletes[0].Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/rds-dr:managed': 'true' },
      StringLike: { 'aws:ResourceTag/rds-dr:source-arn': `arn:aws:rds:${DR}:*` },
    });
  });

  it('the primary deployment may delete in the DR region only copies of primary-region databases', () => {
    const deletes = allowing(statementsOf(s.primaryTemplate, 'PruneDeleteSnapshotBatchRole'), 'rds:DeleteDBSnapshot');
    const inDr = deletes.filter((st) => JSON.stringify(st.Resource).includes(`:${DR}:`));
    expect(inDr).toHaveLength(1);
    expect(inDr[0].Condition).toMatchObject({ StringLike: { 'aws:ResourceTag/rds-dr:source-arn': `arn:aws:rds:${PRIMARY}:*` } });
    const inPrimary = deletes.filter((st) => JSON.stringify(st.Resource).includes(`:${PRIMARY}:`));
    expect(inPrimary.map((st) => st.Condition)).toEqual([{ StringEquals: { 'aws:ResourceTag/rds-dr:managed': 'true' } }]);
  });

  it('writes plans and audits only under reports/prune/ of the DR reports bucket, and run data under runs/prune/ of the DR work bucket', () => {
    for (const role of ['PrunePlanPruneRole', 'PrunePruneReportRole']) {
      const puts = allowing(statementsOf(s.drTemplate!, role), 's3:PutObject').map((st) => JSON.stringify(st.Resource));
      const reports = puts.filter((r) => r.includes(drLogicalId(s.dr!.reports.bucket)));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toContain('/reports/prune/*');
      expect(allowing(statementsOf(s.drTemplate!, role), 'ssm:GetParameter')).toEqual([]);
    }
    const planRunData = allowing(statementsOf(s.drTemplate!, 'PrunePlanPruneRole'), 's3:PutObject').map((st) => JSON.stringify(st.Resource)).filter((r) => r.includes(drLogicalId(s.dr!.work.bucket)));
    expect(planRunData).toHaveLength(1);
    expect(planRunData[0]).toContain('/runs/prune/*');
    const sm = statementsOf(s.drTemplate!, 'PruneRole');
    expect(allowing(sm, 'states:StartExecution').map((st) => st.Resource)).toEqual([`arn:aws:states:${DR}:${TEST_ACCOUNT}:stateMachine:acme-dr-prune`]);
  });

  it('publishes the quota warning to the DR region\'s own alert topic', () => {
    const publish = allowing(statementsOf(s.drTemplate!, 'PrunePruneReportRole'), 'sns:Publish');
    expect(publish).toHaveLength(1);
    expect(JSON.stringify(publish[0].Resource)).toContain(s.dr!.getLogicalId(s.dr!.alertTopics.critical.node.defaultChild as never));
  });
});
