import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeSettingsSchema } from '../../../lambdas/core/settings.js';
import { PRUNE_ASL_PATH } from '../../../lib/prune/prune-workflow.js';
import { allowing, asArray, LONG_TIMEOUT, statementsOf, synth, testConfig, TEST_ACCOUNT, type Synthesized, settingsOf } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

/** Every bucket the DR stack can create (its name ends in 8 characters of its stack id), and where it names the one it did. */
const REPORTS_BUCKETS = 'acme-dr-reports-eu-west-1-????????';
const REPORTS_PARAMETER = '/acme-dr/reports-bucket';
const logicalId = (c: { node: { defaultChild?: unknown } }) => s.primary.getLogicalId(c.node.defaultChild as never);
/** Statements on objects of the work bucket, with their resource as text. */
const workObjectsOf = (statements: ReturnType<typeof statementsOf>) =>
  statements.filter((st) => JSON.stringify(st.Resource).includes(logicalId(s.primary.work.bucket))).map((st) => ({ actions: asArray(st.Action).sort(), Resource: JSON.stringify(st.Resource) }));

describe('prune workflow', { timeout: LONG_TIMEOUT }, () => {
  it('deploys prune.asl.json with its three functions substituted', () => {
    const [sm] = Object.values(s.primaryTemplate.findResources('AWS::StepFunctions::StateMachine')).filter((r) => r.Properties.StateMachineName === 'acme-dr-prune');
    const placeholders = [...new Set([...readFileSync(PRUNE_ASL_PATH, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort();
    expect(Object.keys(sm.Properties.DefinitionSubstitutions).sort()).toEqual(placeholders);
    expect(sm.Properties.DefinitionSubstitutions.DeleteSnapshotBatchFunctionArn).toEqual({ 'Fn::GetAtt': [logicalId(s.primary.prune.deleteSnapshotBatch), 'Arn'] });
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('runs daily from config.pruning.schedule with only the scheduled time as input', () => {
    s.primaryTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'acme-dr-prune',
      ScheduleExpression: 'cron(0 5 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({ Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}', RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }) }),
    });
  });

  it('hands plan-prune and prune-report the SSM parameter in which the DR stack names its reports bucket', () => {
    for (const fn of [s.primary.prune.planPrune, s.primary.prune.pruneReport]) {
      const settings = runtimeSettingsSchema.parse(settingsOf(s.primaryTemplate.findResources('AWS::Lambda::Function')[logicalId(fn)]));
      expect(settings.reportsBucketParameter).toBe(REPORTS_PARAMETER);
      expect(settings.reportsBucket).toBeUndefined();
      expect(settings.pruning).toEqual({ maxDeleteShare: 0.5, maxDeletesPerRun: 500, snapshotQuota: 100, quotaWarnPercent: 90, maxConcurrency: 5, rdsRequestsPerSecond: 4 });
    }
    s.drTemplate!.hasResourceProperties('AWS::SSM::Parameter', { Name: REPORTS_PARAMETER, Type: 'String' });
    s.drTemplate!.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-dr/reports' });
  });

  it('writes reports only under reports/prune/ and uses the reports key only by its alias', () => {
    for (const role of ['PrunePlanPruneRole', 'PrunePruneReportRole']) {
      const statements = statementsOf(s.primaryTemplate, role);
      const reportsWrites = allowing(statements, 's3:PutObject').filter((st) => !JSON.stringify(st.Resource).includes(logicalId(s.primary.work.bucket)));
      expect(reportsWrites).toEqual([
        expect.objectContaining({ Resource: `arn:aws:s3:::${REPORTS_BUCKETS}/reports/prune/*`, Condition: { StringEquals: { 's3:ResourceAccount': TEST_ACCOUNT } } }),
      ]);
      expect(allowing(statements, 'ssm:GetParameter').map((st) => st.Resource)).toEqual([`arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:parameter${REPORTS_PARAMETER}`]);
      expect(allowing(statements, 'kms:GenerateDataKey')[0]).toMatchObject({
        Resource: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/*`,
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme-dr/reports' } },
      });
    }
  });

  it('keeps run data in the prune\'s prefix of the work bucket: plan-prune only writes it, prune-report only reads it, the batch deleter has no S3', () => {
    const [planWrites] = workObjectsOf(statementsOf(s.primaryTemplate, 'PrunePlanPruneRole'));
    expect(planWrites.actions).toEqual(['s3:PutObject']);
    expect(planWrites.Resource).toContain('/runs/prune/*');
    expect(workObjectsOf(statementsOf(s.primaryTemplate, 'PrunePruneReportRole')).map((st) => st.actions)).toEqual([['s3:GetObject']]);
    const batch = statementsOf(s.primaryTemplate, 'PruneDeleteSnapshotBatchRole').flatMap((st) => asArray(st.Action));
    expect(batch.filter((a) => a.startsWith('s3:'))).toEqual([]);
    // (Deletes come in one statement per region: in the DR region only copies of primary-region databases, test/lib/prune/prune-dr-deployment.test.ts.)
    expect([...new Set(batch.filter((a) => a.startsWith('rds:')))].sort()).toEqual(['rds:DeleteDBClusterSnapshot', 'rds:DeleteDBSnapshot', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBSnapshots']);
  });

  it('lets the state machine run its Distributed Map: read the deletions and write results under runs/prune/, start and watch only its own child executions', () => {
    const statements = statementsOf(s.primaryTemplate, 'PruneRole');
    const [s3] = workObjectsOf(statements);
    expect(s3.Resource).toContain('/runs/prune/*');
    expect(allowing(statements, 'states:StartExecution').map((st) => st.Resource)).toEqual([`arn:aws:states:eu-central-1:${TEST_ACCOUNT}:stateMachine:acme-dr-prune`]);
    expect(allowing(statements, 'states:DescribeExecution').map((st) => st.Resource)).toEqual([`arn:aws:states:eu-central-1:${TEST_ACCOUNT}:execution:acme-dr-prune/*`]);
    const batchFn = s.primaryTemplate.findResources('AWS::Lambda::Function')[logicalId(s.primary.prune.deleteSnapshotBatch)];
    expect(batchFn.Properties.Timeout).toBe(900);
  });

  it('lets plan-prune only read RDS, and prune-report publish metrics only to RdsDr', () => {
    const plan = statementsOf(s.primaryTemplate, 'PrunePlanPruneRole').flatMap((st) => asArray(st.Action)).filter((a) => a.startsWith('rds:'));
    expect(plan.every((a) => a.startsWith('rds:Describe'))).toBe(true);
    expect(allowing(statementsOf(s.primaryTemplate, 'PrunePruneReportRole'), 'cloudwatch:PutMetricData')[0].Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'RdsDr' },
    });
  });
});
