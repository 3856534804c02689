import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DRILL_ASL_PATH } from '../../../lib/drill/drill-state-machine.js';
import { allowing, asArray, BYO_KEY_ARN, DRILL_SUBNETS, drillConfig, LONG_TIMEOUT, statementsOf, synth, TEST_ACCOUNT, type IamStatement, type Synthesized, settingsOf } from '../fixtures.js';

let s: Synthesized;
let dr: Template;
beforeAll(() => {
  s = synth(drillConfig());
  dr = s.drTemplate!;
}, LONG_TIMEOUT);

const drills = () => s.dr!.restoreDrills!;
const id = (construct: { node: { defaultChild?: unknown } }) => s.dr!.getLogicalId(construct.node.defaultChild as never);
const getAtt = (construct: { node: { defaultChild?: unknown } }, attr: string) => ({ 'Fn::GetAtt': [id(construct), attr] });
const resourcesOf = (template: Template, type: string) => Object.entries(template.findResources(type));

/** An IAM resource as one string: Fn::Join flattened, Ref/GetAtt as <Id> / <Id.Attr>. */
function flat(node: unknown): string {
  if (typeof node === 'string') return node;
  const obj = node as Record<string, unknown>;
  if (Array.isArray(obj['Fn::Join'])) return (obj['Fn::Join'][1] as unknown[]).map(flat).join(obj['Fn::Join'][0] as string);
  if (typeof obj.Ref === 'string') return `<${obj.Ref}>`;
  if (Array.isArray(obj['Fn::GetAtt'])) return `<${(obj['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(node);
}
const resources = (st: IamStatement) => asArray(st.Resource).map(flat);

const allStatements = (template: Template): IamStatement[] =>
  resourcesOf(template, 'AWS::IAM::Policy').flatMap(
    ([, p]) => (p as { Properties: { PolicyDocument: { Statement: IamStatement[] } } }).Properties.PolicyDocument.Statement,
  );

interface ScheduleProps {
  Name: string;
  Target: { Arn: unknown; Input: string; RetryPolicy: { MaximumRetryAttempts: number }; DeadLetterConfig: { Arn: unknown } };
}

const THROWAWAY = /^arn:aws:rds:eu-west-1:111122223333:(db|cluster):rdsdr-verify-\*$/;
const PURPOSE_TAGGED = { StringEquals: { 'aws:ResourceTag/rds-dr:purpose': 'verification' } };

describe('DR stack with restore drills', { timeout: LONG_TIMEOUT }, () => {
  it('exists in the DR region even with a bring-your-own key, and then holds no key of its own', () => {
    expect(s.dr!.stackName).toBe('acme-dr-dr');
    expect(s.dr!.region).toBe('eu-west-1');
    expect(s.primary.dependencies).toContain(s.dr);
    expect(s.dr!.snapshotKey).toBeUndefined();
    // No snapshot key: the only keys are the reports bucket's and the DR topics' own.
    const topicKeys = [s.dr.alertTopics.critical, s.dr.alertTopics.warning].map((t) => id(t.masterKey!));
    expect(resourcesOf(dr, 'AWS::KMS::Key').map(([k]) => k).sort()).toEqual([id(drills().reports.key), ...topicKeys].sort());
  });
});

describe('verification network', { timeout: LONG_TIMEOUT }, () => {
  it('runs the verifier in the configured subnets with the verifier security group, TLS-verifying the RDS CA', () => {
    dr.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: DRILL_SUBNETS, SecurityGroupIds: [getAtt(drills().network.verifierSecurityGroup, 'GroupId')] },
      Timeout: 900,
      MemorySize: 512,
      Environment: {
        Variables: Match.objectLike({ NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' }),
      },
    });
    const verifier = dr.findResources('AWS::Lambda::Function')[id(drills().functions.verifyRestoredDatabase)];
    expect(settingsOf(verifier).verifierSslMode).toBe('verify-full');
    const inVpc = resourcesOf(dr, 'AWS::Lambda::Function').filter(([, fn]) => fn.Properties.VpcConfig);
    expect(inVpc.map(([k]) => k)).toEqual([id(drills().functions.verifyRestoredDatabase)]);
  });

  it('restores into a DB subnet group of the configured subnets', () => {
    dr.hasResourceProperties('AWS::RDS::DBSubnetGroup', { DBSubnetGroupName: 'acme-dr-verification', SubnetIds: DRILL_SUBNETS });
  });

  it('admits only the verifier security group into throwaway instances, on any port RDS allows (a restore keeps the source\'s port)', () => {
    const restoredDb = id(drills().network.restoredDbSecurityGroup);
    const verifier = getAtt(drills().network.verifierSecurityGroup, 'GroupId');
    expect(dr.findResources('AWS::EC2::SecurityGroup')[restoredDb].Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = resourcesOf(dr, 'AWS::EC2::SecurityGroupIngress')
      .map(([, r]) => r.Properties)
      .filter((p) => p.GroupId['Fn::GetAtt'][0] === restoredDb);
    expect(ingress.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.SourceSecurityGroupId, p.CidrIp]).sort()).toEqual(
      [['tcp', 1150, 65535, verifier, undefined]],
    );
  });

  it('lets the verifier out only to throwaway instances and the Secrets Manager endpoint', () => {
    const verifier = id(drills().network.verifierSecurityGroup);
    expect(dr.findResources('AWS::EC2::SecurityGroup')[verifier].Properties.SecurityGroupEgress).toBeUndefined();
    const egress = resourcesOf(dr, 'AWS::EC2::SecurityGroupEgress')
      .map(([, r]) => r.Properties)
      .filter((p) => p.GroupId['Fn::GetAtt'][0] === verifier);
    expect(egress.map((p) => `${p.DestinationSecurityGroupId['Fn::GetAtt'][0]}:${p.FromPort}-${p.ToPort}`).sort()).toEqual(
      [
        `${id(drills().network.restoredDbSecurityGroup)}:1150-65535`,
        `${s.dr!.getLogicalId(drills().network.secretsManagerEndpoint!.connections.securityGroups[0].node.defaultChild as never)}:443-443`,
      ].sort(),
    );
  });

  it('has a private-DNS Secrets Manager endpoint in the drill subnets, reachable on 443 from the verifier only', () => {
    const endpointSg = drills().network.secretsManagerEndpoint!.connections.securityGroups[0];
    dr.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.secretsmanager',
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      SubnetIds: DRILL_SUBNETS,
      SecurityGroupIds: [getAtt(endpointSg, 'GroupId')],
    });
    const ingress = resourcesOf(dr, 'AWS::EC2::SecurityGroupIngress')
      .map(([, r]) => r.Properties)
      .filter((p) => p.GroupId['Fn::GetAtt'][0] === id(endpointSg));
    expect(ingress).toEqual([
      expect.objectContaining({ FromPort: 443, ToPort: 443, SourceSecurityGroupId: getAtt(drills().network.verifierSecurityGroup, 'GroupId') }),
    ]);
  });

  it('hands the Lambdas the subnet group, the throwaway security group and the reports bucket', () => {
    const fn = dr.findResources('AWS::Lambda::Function')[id(drills().functions.planVerification)];
    const settings = JSON.stringify(fn.Properties.Environment.Variables.RDSDR_SETTINGS);
    const subnetGroup = s.dr!.getLogicalId(drills().network.node.findChild('DbSubnetGroup') as never);
    expect(settings).toContain(`"Ref":"${subnetGroup}"`);
    expect(settings).toContain(JSON.stringify(getAtt(drills().network.restoredDbSecurityGroup, 'GroupId')));
    expect(settings).toContain(`"Ref":"${id(drills().reports.bucket)}"`);
  });
});

describe('reports bucket', { timeout: LONG_TIMEOUT }, () => {
  it('is KMS-encrypted with a rotating key, versioned, private, retained and expires reports after the retention', () => {
    const bucketId = id(drills().reports.bucket);
    const bucket = dr.findResources('AWS::S3::Bucket')[bucketId];
    expect(bucket.DeletionPolicy).toBe('Retain');
    const p = bucket.Properties;
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: getAtt(drills().reports.key, 'Arn'),
    });
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
    ]);
    expect(dr.findResources('AWS::KMS::Key')[id(drills().reports.key)].Properties.EnableKeyRotation).toBe(true);
  });

  it('refuses requests without TLS', () => {
    dr.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(drills().reports.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('verify workflow', { timeout: LONG_TIMEOUT }, () => {
  const props = () => dr.findResources('AWS::StepFunctions::StateMachine')[id(drills().workflow.stateMachine)].Properties;

  it('is a Standard state machine in the DR region with tracing and ALL-level logging', () => {
    expect(props()).toMatchObject({
      StateMachineName: 'acme-dr-drill',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
  });

  it('substitutes all five placeholders of drill.asl.json with the matching function ARNs', () => {
    const asl = readFileSync(DRILL_ASL_PATH, 'utf8');
    const placeholders = [...new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort();
    const f = drills().functions;
    const expected = {
      PlanDrillFunctionArn: f.planVerification,
      ThrowawayStatusFunctionArn: f.restoreStatus,
      VerifyRestoredDatabaseFunctionArn: f.verifyRestoredDatabase,
      DrillReportFunctionArn: f.verificationReport,
      DrillSummaryFunctionArn: f.verificationSummary,
    };
    expect(placeholders).toEqual(Object.keys(expected).sort());
    expect(props().DefinitionSubstitutions).toEqual(
      Object.fromEntries(Object.entries(expected).map(([name, fn]) => [name, getAtt(fn, 'Arn')])),
    );
  });

  it('deploys drill.asl.json byte for byte', () => {
    const key: string = props().DefinitionS3Location.Key;
    expect(readFileSync(join(s.assembly.directory, `asset.${key}`), 'utf8')).toBe(readFileSync(DRILL_ASL_PATH, 'utf8'));
  });

  it('has one schedule per policy with verify, with its cron, zone, state and the exact input', () => {
    const schedules = resourcesOf(dr, 'AWS::Scheduler::Schedule')
      .map(([, r]) => r.Properties)
      .filter((p) => p.Name.startsWith('acme-dr-verify-'));
    expect(schedules.map((p) => p.Name).sort()).toEqual(['acme-dr-verify-billing', 'acme-dr-verify-gold']);
    const byName: Record<string, ScheduleProps> = Object.fromEntries(schedules.map((p) => [p.Name, p]));
    expect(byName['acme-dr-verify-gold']).toMatchObject({
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(byName['acme-dr-verify-billing']).toMatchObject({
      ScheduleExpression: 'cron(0 5 ? * SAT *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'DISABLED',
    });
    for (const [policy, p] of Object.entries(byName)) {
      expect(p.Target.Arn).toEqual({ Ref: id(drills().workflow.stateMachine) });
      expect(JSON.parse(p.Target.Input)).toEqual({
        policy: policy.replace('acme-dr-verify-', ''),
        scheduledTime: '<aws.scheduler.scheduled-time>',
      });
      expect(p.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(p.Target.DeadLetterConfig.Arn).toBeDefined();
    }
  });
});

describe('sweeper', { timeout: LONG_TIMEOUT }, () => {
  it('runs hourly, invoking the sweeper Lambda with retries and a dead-letter queue', () => {
    dr.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'acme-dr-sweep-verification',
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: getAtt(drills().sweeper.function, 'Arn'),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('knows the DR region\'s warnings topic by its fixed ARN (a cleaned leftover is a warning)', () => {
    const fn = dr.findResources('AWS::Lambda::Function')[id(drills().sweeper.function)];
    expect(settingsOf(fn)).toMatchObject({
      warningTopicArn: `arn:aws:sns:eu-west-1:${TEST_ACCOUNT}:acme-dr-warnings`,
      appName: 'acme-dr',
    });
  });
});

describe('DR-region failure alerts', { timeout: LONG_TIMEOUT }, () => {
  it('send failed, timed-out and aborted drills to the DR failure-notifier', () => {
    dr.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: id(s.dr.backup.stateMachine) }, { Ref: id(s.dr.prune.stateMachine) }, { Ref: id(drills().workflow.stateMachine) }, { Ref: id(s.dr.restore.stateMachine) }] },
      },
      Targets: [Match.objectLike({ Arn: getAtt(s.dr.alerting!.notifier, 'Arn'), DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
    const fn = dr.findResources('AWS::Lambda::Function')[id(s.dr.alerting!.notifier)];
    expect(settingsOf(fn).alertTopicArn).toBe(`arn:aws:sns:eu-west-1:${TEST_ACCOUNT}:acme-dr-alerts`);
  });

  it('publish to the DR stack\'s own topics: the notifier by reference, the sweeper by name and key alias, both in the DR region', () => {
    const critical = s.dr.alertTopics.critical;
    dr.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme-dr-alerts' });
    dr.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-dr/alerts', TargetKeyId: getAtt(critical.masterKey!, 'Arn') });
    const notifier = statementsOf(dr, 'AlertingFailureNotifierRole');
    expect(allowing(notifier, 'sns:Publish').flatMap((st) => asArray(st.Resource))).toEqual([{ Ref: id(critical) }]);
    expect(allowing(notifier, 'kms:Decrypt').flatMap((st) => asArray(st.Resource))).toEqual([getAtt(critical.masterKey!, 'Arn')]);

    const sweeper = statementsOf(dr, 'RestoreDrillsSweeperFunctionRole');
    expect(allowing(sweeper, 'sns:Publish').flatMap(resources)).toEqual([`arn:aws:sns:eu-west-1:${TEST_ACCOUNT}:acme-dr-warnings`]);
    const kms = allowing(sweeper, 'kms:Decrypt');
    expect(kms).toHaveLength(1);
    expect(resources(kms[0])).toEqual([`arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/*`]);
    expect(kms[0].Condition).toEqual({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme-dr/warnings' } });
    // The DR warnings topic's key has the alias the sweeper is granted by.
    dr.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-dr/warnings', TargetKeyId: getAtt(s.dr.alertTopics.warning.masterKey!, 'Arn') });
  });
});

describe('restore-drill IAM', { timeout: LONG_TIMEOUT }, () => {
  const smRole = 'RestoreDrillsWorkflowStateMachineRole';
  const sweeperRole = 'RestoreDrillsSweeperFunctionRole';

  it('deletes only rdsdr-verify-* databases carrying rds-dr:purpose=verification (state machine and sweeper)', () => {
    for (const role of [smRole, sweeperRole]) {
      for (const action of ['rds:DeleteDBInstance', 'rds:DeleteDBCluster']) {
        const statements = allowing(statementsOf(dr, role), action);
        expect(statements.length).toBeGreaterThan(0);
        for (const st of statements) {
          expect(resources(st).every((arn) => THROWAWAY.test(arn))).toBe(true);
          expect(st.Condition).toEqual(PURPOSE_TAGGED);
        }
      }
    }
  });

  it('grants no rds:Delete* anywhere else: not on "*", not on non-throwaway resources, in either stack', () => {
    for (const template of [dr, s.primaryTemplate]) {
      for (const st of allStatements(template).filter((x) => x.Effect === 'Allow')) {
        const deletes = asArray(st.Action).filter((a) => /^rds:(Delete|\*)/.test(a) || a === '*');
        if (deletes.length === 0) continue;
        // Pruning deletes snapshots (never instances): only rdsdr-* ones tagged rds-dr:managed=true.
        if (deletes.every((a) => a === 'rds:DeleteDBSnapshot' || a === 'rds:DeleteDBClusterSnapshot')) {
          expect(resources(st).every((arn) => /:(snapshot|cluster-snapshot):rdsdr-\*$/.test(arn))).toBe(true);
          // In the DR region each prune deployment is further held to its own lineage (lib/prune/prune-permissions.ts).
          const { StringLike, ...rest } = st.Condition ?? {};
          expect(rest).toEqual({ StringEquals: { 'aws:ResourceTag/rds-dr:managed': 'true' } });
          if (StringLike) expect(Object.entries(StringLike)).toEqual([['aws:ResourceTag/rds-dr:source-arn', expect.stringMatching(/^arn:aws:rds:[a-z0-9-]+:\*$/)]]);
          continue;
        }
        expect(deletes.every((a) => a === 'rds:DeleteDBInstance' || a === 'rds:DeleteDBCluster')).toBe(true);
        expect(resources(st).every((arn) => THROWAWAY.test(arn))).toBe(true);
        expect(st.Condition).toEqual(PURPOSE_TAGGED);
      }
    }
  });

  it('creates throwaways only with the purpose tag, from rdsdr- snapshots, into the drill subnet group', () => {
    const statements = statementsOf(dr, smRole);
    const restores = allowing(statements, 'rds:RestoreDBInstanceFromDBSnapshot');
    const onThrowaways = restores.filter((st) => resources(st).some((arn) => THROWAWAY.test(arn)));
    expect(onThrowaways).toHaveLength(1);
    expect(onThrowaways[0].Condition).toEqual({ StringEquals: { 'aws:RequestTag/rds-dr:purpose': 'verification' } });
    expect(asArray(onThrowaways[0].Action).sort()).toEqual(
      ['rds:CreateDBInstance', 'rds:RestoreDBClusterFromSnapshot', 'rds:RestoreDBInstanceFromDBSnapshot'],
    );
    const others = restores.filter((st) => st !== onThrowaways[0]).flatMap(resources);
    expect(others.sort()).toEqual(
      ['snapshot:rdsdr-*', 'cluster-snapshot:rdsdr-*', 'subgrp:acme-dr-verification', 'og:*', 'pg:*', 'cluster-pg:*']
        .map((r) => `arn:aws:rds:eu-west-1:${TEST_ACCOUNT}:${r}`)
        .sort(),
    );
    // Every db/cluster resource any create or modify touches is a throwaway.
    for (const action of ['rds:CreateDBInstance', 'rds:ModifyDBInstance', 'rds:ModifyDBCluster', 'rds:AddTagsToResource']) {
      for (const arn of allowing(statements, action).flatMap(resources).filter((a) => /:(db|cluster):/.test(a))) {
        expect(arn).toMatch(THROWAWAY);
      }
    }
    for (const st of allowing(statements, 'rds:ModifyDBInstance')) expect(st.Condition).toEqual(PURPOSE_TAGGED);
  });

  it('lets RDS create the managed-password secret and use the DR key for restores', () => {
    const statements = statementsOf(dr, smRole);
    expect(allowing(statements, 'secretsmanager:CreateSecret').flatMap(resources)).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${TEST_ACCOUNT}:secret:rds!*`,
    ]);
    const grant = allowing(statements, 'kms:CreateGrant');
    expect(grant.flatMap(resources)).toEqual([BYO_KEY_ARN]);
    expect(grant[0].Condition).toMatchObject({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  it('invokes exactly the five verify functions', () => {
    const invoke = allowing(statementsOf(dr, smRole), 'lambda:InvokeFunction');
    expect(invoke.flatMap(resources).sort()).toEqual(drills().functions.all.map((fn) => `<${id(fn)}.Arn>`).sort());
  });

  it('gives each Lambda only what it calls', () => {
    const rds = (role: string) =>
      statementsOf(dr, role).filter((st) => asArray(st.Action).some((a) => a.startsWith('rds:') || a.startsWith('secretsmanager:')));
    expect(rds('RestoreDrillsFunctionsRestoreStatusRole').flatMap(resources).every((arn) => THROWAWAY.test(arn))).toBe(true);
    expect(rds('RestoreDrillsFunctionsVerifyRestoredDatabaseRole')).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: expect.anything() }),
    ]);
    expect(rds('RestoreDrillsFunctionsVerifyRestoredDatabaseRole').flatMap(resources)).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${TEST_ACCOUNT}:secret:rds!*`,
    ]);
    expect(rds('RestoreDrillsFunctionsVerificationSummaryRole')).toEqual([]);
    const plan = rds('RestoreDrillsFunctionsPlanVerificationRole');
    expect(plan.flatMap((st) => asArray(st.Action)).every((a) => a.startsWith('rds:Describe'))).toBe(true);

    const report = statementsOf(dr, 'RestoreDrillsFunctionsVerificationReportRole');
    const bucket = `<${id(drills().reports.bucket)}.Arn>`;
    expect(allowing(report, 's3:PutObject').flatMap(resources)).toEqual([`${bucket}/reports/verification/*`, `${bucket}/fingerprints/*`]);
    // Drift: it reads only the fingerprints (the last good drill's), never the reports.
    expect(allowing(report, 's3:GetObject').flatMap(resources)).toEqual([`${bucket}/fingerprints/*`]);
    expect(allowing(report, 'cloudwatch:PutMetricData')[0].Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'RdsDr' } });
  });

  it('runs the Distributed Map over the DR work bucket: only runs/drill/ and its own child executions', () => {
    const work = `<${id(s.dr!.work!.bucket)}.Arn>/runs/drill/*`;
    const sm = statementsOf(dr, smRole);
    for (const action of ['s3:GetObject', 's3:PutObject']) expect(allowing(sm, action).flatMap(resources)).toEqual([work]);
    expect(allowing(sm, 'states:StartExecution').flatMap(resources)).toEqual([`arn:aws:states:eu-west-1:${TEST_ACCOUNT}:stateMachine:acme-dr-drill`]);
    expect(allowing(sm, 'states:DescribeExecution').flatMap(resources)).toEqual([`arn:aws:states:eu-west-1:${TEST_ACCOUNT}:execution:acme-dr-drill/*`]);
    const plan = statementsOf(dr, 'RestoreDrillsFunctionsPlanVerificationRole');
    const summary = statementsOf(dr, 'RestoreDrillsFunctionsVerificationSummaryRole');
    expect(allowing(plan, 's3:PutObject').flatMap(resources)).toEqual([work]);
    expect(allowing(summary, 's3:GetObject').flatMap(resources).sort()).toEqual([`<${id(drills().reports.bucket)}.Arn>/drill-rotation/*.json`, work].sort());
  });

  it('lets plan-drill read the rotation state and only drill-summary write it', () => {
    const rotation = `<${id(drills().reports.bucket)}.Arn>/drill-rotation/*.json`;
    const plan = statementsOf(dr, 'RestoreDrillsFunctionsPlanVerificationRole');
    const summary = statementsOf(dr, 'RestoreDrillsFunctionsVerificationSummaryRole');
    expect(allowing(plan, 's3:GetObject').flatMap(resources)).toEqual([rotation]);
    expect(allowing(plan, 's3:PutObject').flatMap(resources)).not.toContain(rotation);
    expect(allowing(summary, 's3:PutObject').flatMap(resources)).toContain(rotation);
    // ListBucket only on the bucket itself, so that a policy's missing first state reads as NoSuchKey.
    expect(allowing(plan, 's3:ListBucket').flatMap(resources)).toEqual([`<${id(drills().reports.bucket)}.Arn>`]);
    const writers = allStatements(dr).filter((st) => asArray(st.Action).includes('s3:PutObject') && resources(st).includes(rotation));
    expect(writers).toHaveLength(1);
  });
});
