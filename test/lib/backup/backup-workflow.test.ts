import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_ASL_PATH } from '../../../lib/backup/backup-state-machine.js';
import { runtimeSettingsSchema } from '../../../lambdas/core/settings.js';
import { LONG_TIMEOUT, synth, testConfig, TEST_ACCOUNT, type Synthesized, settingsOf } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

const stateMachineRef = () => ({ Ref: s.primary.getLogicalId(s.primary.backup.stateMachine.node.defaultChild as never) });

describe('policy schedules', { timeout: LONG_TIMEOUT }, () => {
  it('creates exactly one backup schedule per policy, plus the daily prune and the RPO monitor', () => {
    const names = Object.values(s.primaryTemplate.findResources('AWS::Scheduler::Schedule')).map((r) => r.Properties.Name).sort();
    expect(names).toEqual(['acme-dr-billing', 'acme-dr-gold', 'acme-dr-prune', 'acme-dr-rpo-monitor', 'acme-dr-weekly']);
  });

  it.each([
    ['gold', 'cron(0 2 * * ? *)', 'UTC', 'ENABLED'],
    ['billing', 'cron(30 1 * * ? *)', 'Europe/Berlin', 'ENABLED'],
    ['weekly', 'cron(0 4 ? * SUN *)', 'America/New_York', 'DISABLED'],
  ])('policy %s runs %s in %s, %s, and starts the backup state machine', (policy, cron, timeZone, state) => {
    s.primaryTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: `acme-dr-${policy}`,
      ScheduleExpression: cron,
      ScheduleExpressionTimezone: timeZone,
      State: state,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: stateMachineRef(),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('passes the policy and the scheduled-time context attribute (idempotent retries) as input', () => {
    const schedules = Object.values(s.primaryTemplate.findResources('AWS::Scheduler::Schedule'));
    const inputs = schedules.map((r) => JSON.parse(r.Properties.Target.Input));
    expect(inputs).toEqual(
      expect.arrayContaining(
        ['gold', 'billing', 'weekly'].map((policy) => ({ policy, scheduledTime: '<aws.scheduler.scheduled-time>' })),
      ),
    );
    expect(schedules[0].Properties.Target.Input).toBe('{"policy":"gold","scheduledTime":"<aws.scheduler.scheduled-time>"}');
  });

  it('dead-letters undeliverable schedule invocations to an encrypted, TLS-only queue', () => {
    const queues = s.primaryTemplate.findResources('AWS::SQS::Queue');
    const dlqId = Object.values(s.primaryTemplate.findResources('AWS::Scheduler::Schedule'))[0].Properties.Target
      .DeadLetterConfig.Arn['Fn::GetAtt'][0];
    expect(queues[dlqId].Properties.SqsManagedSseEnabled).toBe(true);
    s.primaryTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('backup state machine', { timeout: LONG_TIMEOUT }, () => {
  const stateMachine = () => Object.values(s.primaryTemplate.findResources('AWS::StepFunctions::StateMachine'))[0].Properties;

  it('is a Standard state machine with X-Ray tracing and ALL-level logging incl. execution data', () => {
    const names = Object.values(s.primaryTemplate.findResources('AWS::StepFunctions::StateMachine')).map((r) => r.Properties.StateMachineName);
    expect(names.sort()).toEqual(['acme-dr-backup', 'acme-dr-prune', 'acme-dr-restore']);
    s.primaryTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'acme-dr-backup',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    });
  });

  it('substitutes every ${...} placeholder of backup.asl.json with the matching function ARN', () => {
    const asl = readFileSync(BACKUP_ASL_PATH, 'utf8');
    const placeholders = new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...placeholders].sort()).toEqual(
      ['AdvanceBackupBatchFunctionArn', 'BackupReportFunctionArn', 'CheckPitrReadinessFunctionArn', 'DiscoverDatabasesFunctionArn'],
    );
    const substitutions = stateMachine().DefinitionSubstitutions;
    expect(Object.keys(substitutions).sort()).toEqual([...placeholders].sort());
    const fnIds = {
      DiscoverDatabasesFunctionArn: s.primary.backup.functions.discoverDatabases,
      AdvanceBackupBatchFunctionArn: s.primary.backup.functions.advanceBatch,
      BackupReportFunctionArn: s.primary.backup.functions.backupReport,
      CheckPitrReadinessFunctionArn: s.primary.backup.functions.checkPitrReadiness,
    };
    for (const [name, fn] of Object.entries(fnIds)) {
      const logicalId = s.primary.getLogicalId(fn.node.defaultChild as never);
      expect(substitutions[name]).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    }
  });

  it('deploys backup.asl.json byte for byte (the file the local runner executes)', () => {
    const props = stateMachine();
    expect(props.DefinitionString).toBeUndefined();
    const key: string = props.DefinitionS3Location.Key;
    expect(key).toMatch(/^[0-9a-f]{64}\.json$/);
    const staged = readFileSync(join(s.assembly.directory, `asset.${key}`), 'utf8');
    expect(staged).toBe(readFileSync(BACKUP_ASL_PATH, 'utf8'));
  });
});

describe('backup Lambdas', { timeout: LONG_TIMEOUT }, () => {
  it('are ARM, Node 22, 256 MB, traced, with their own log group and the shared settings', () => {
    const functions = s.primaryTemplate.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(15); // 4 backup + notifier + 3 prune + rpo-monitor + rds-event-notifier + 5 restore
    for (const fn of Object.values(functions).filter((f) => !/^Prune/.test(f.Properties.Description ?? '') && f.Properties.MemorySize === 256)) {
      const p = fn.Properties;
      expect(p).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'rds-dr', POWERTOOLS_LOG_LEVEL: 'INFO' } },
      });
      // The settings contract the handlers parse at cold start.
      const settings = runtimeSettingsSchema.parse(settingsOf(fn));
      expect(settings).toMatchObject({
        appName: 'acme-dr',
        primaryRegion: 'eu-central-1',
        drRegion: 'eu-west-1',
        drKmsKeyId: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:alias/acme-dr/dr-snapshots`,
      });
    }
  });

  it('each get only the settings sections they read: the policies go to discovery, not to the batches', () => {
    const functions = s.primaryTemplate.findResources('AWS::Lambda::Function');
    const settingsOfFn = (fn: { node: { defaultChild?: unknown } }) => runtimeSettingsSchema.parse(settingsOf(functions[s.primary.getLogicalId(fn.node.defaultChild as never)]));
    const discover = settingsOfFn(s.primary.backup.functions.discoverDatabases);
    expect(discover.sections).toEqual(['policies']);
    expect(Object.keys(discover.policies ?? {}).sort()).toEqual(['billing', 'gold', 'weekly']);
    const copy = settingsOfFn(s.primary.backup.functions.advanceBatch);
    expect(copy.sections).toEqual([]);
    expect(copy.policies).toBeUndefined();
    expect(copy.incident).toBeUndefined();
  });

  it('keep logs for a month', () => {
    const groups = Object.values(s.primaryTemplate.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBe(18); // fifteen functions + three state machines
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(30);
  });
});
