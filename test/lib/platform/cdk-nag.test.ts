import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { drillConfig, exampleConfig, LONG_TIMEOUT, synth, testConfig, type Synthesized } from '../fixtures.js';

// cdk-nag 3 is a CDK policy-validation plugin: it reports through validation-report.json and
// makes an in-memory synth throw, not through Annotations. validateScope() runs the same rules.
const nagErrors = (stack: Stack) =>
  new AwsSolutionsChecks(undefined, { verbose: true })
    .validateScope(stack)
    .violations.filter((v) => v.severity === 'error' && v.ruleName.startsWith('AwsSolutions-'));

describe.each([
  ['example config (account unknown at synth, restore drills)', exampleConfig, true],
  ['test config (explicit account, no verification)', testConfig, false],
  ['drill config (explicit account, bring-your-own key, restore drills)', drillConfig, true],
])('cdk-nag AwsSolutions with %s', (_name, config, drills) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(config());
  }, LONG_TIMEOUT);

  it('reports zero errors for both stacks', { timeout: LONG_TIMEOUT }, () => {
    expect(s.dr).toBeDefined();
    for (const stack of [s.primary, s.dr!]) {
      expect(nagErrors(stack)).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toHaveLength(0);
    }
  });

  it(`${drills ? 'has' : 'has no'} restore-drill resources`, { timeout: LONG_TIMEOUT }, () => {
    expect(s.dr!.restoreDrills !== undefined).toBe(drills);
    // The RDS event alerts (rds-event-notifier Lambda) are in every DR stack: copies land there.
    const always = (r: { Properties?: { Description?: string } }) => String(r.Properties?.Description).includes('RDS snapshot, copy and automated-backup failure events');
    // So are the incident restore workflow (Restore*), the DR failure alerting that watches it (Alerting*), and
    // the backup's and the prune's DR-region deployments with the work bucket and coordination table (failed-over databases),
    // and the RPO monitor's DR-region deployment (lambdas/monitor/series-owner.ts).
    const everyDrStack = (id: string) => /^(Restore(?!Drills)|Alerting|Backup|Schedules|Work|Coordination|RpoMonitoring|Prune)/.test(id);
    const count = (type: string) => Object.entries(s.drTemplate!.findResources(type)).filter(([id, r]) => !always(r) && !everyDrStack(id)).length;
    // The reports bucket is always there (prune audits), and so is the work bucket (drills' and the DR backup's run data);
    // everything else in the DR stack is the drills'.
    expect(count('AWS::S3::Bucket')).toBe(1);
    for (const type of ['AWS::StepFunctions::StateMachine', 'AWS::EC2::SecurityGroup', 'AWS::Lambda::Function', 'AWS::Scheduler::Schedule']) {
      expect(count(type) > 0).toBe(drills);
    }
  });

  it('synthesizes with no unacknowledged violation in the validation report', { timeout: LONG_TIMEOUT }, () => {
    const report = JSON.parse(readFileSync(join(s.assembly.directory, VALIDATION_REPORT_FILE), 'utf8'));
    expect(report.title).toBe('Validation Report');
    const violations = (report.pluginReports as { violations?: unknown[] }[]).flatMap((r) => r.violations ?? []);
    expect(violations).toEqual([]);
  });
});

describe('the nag check itself', () => {
  it('does flag a non-compliant resource (so "zero errors" above is meaningful)', () => {
    const stack = new Stack(new App(), 'Probe');
    new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const rules = nagErrors(stack).map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS4']));
  });
});
