// The local AWS judges each call a Lambda or a state machine makes by the policies `cdk synth`
// produces for its role (test/local/iam): allowed calls reach moto, others fail as AWS fails them.
import { CreateDBSnapshotCommand, DeleteDBSnapshotCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/aws/clients.js';
import { createPostgresInstance } from './fleet.js';
import { runAs, type Caller } from './iam/caller.js';
import { lambdaPrincipal, stateMachinePrincipal, type PolicyDocument } from './iam/policies.js';
import { IamSimulator } from './iam/simulator.js';
import { LocalStack } from './local-stack.js';
import { LOCAL_ACCOUNT_ID } from './moto.js';
import { localConfig, PRIMARY, DR } from '../state-machines/fixtures.js';

const deleteSnapshot: Caller = { kind: 'lambda', name: 'delete-snapshot-batch', region: PRIMARY };
const failureNotifier: Caller = { kind: 'lambda', name: 'failure-notifier', region: PRIMARY };
const copySnapshot: Caller = { kind: 'lambda', name: 'advance-backup-batch', region: PRIMARY };
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (err: Error) => err);

describe('IAM simulation of local calls', () => {
  let aws: LocalStack;
  const rds = () => awsClients.rds(PRIMARY);

  beforeAll(async () => {
    aws = await LocalStack.start({ config: localConfig() });
    await createPostgresInstance(aws.rds, 'orders', { 'rds-dr:policy': 'gold' });
    await createPostgresInstance(aws.rds, 'scratch');
    const snapshot = (id: string, tags: Record<string, string>) =>
      aws.rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: id, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
    await snapshot('rdsdr-orders-managed', { 'rds-dr:managed': 'true' });
    await snapshot('rdsdr-orders-by-hand', {});
    await snapshot('before-migration', { 'rds-dr:managed': 'true' });
  });
  afterAll(async () => aws?.stop());

  it('lets delete-snapshot-batch delete an rdsdr-* snapshot tagged as managed (its role allows exactly that)', async () => {
    await runAs(deleteSnapshot, () => rds().send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'rdsdr-orders-managed' })));
    const left = (await aws.rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots?.map((s) => s.DBSnapshotIdentifier);
    expect(left).not.toContain('rdsdr-orders-managed');
    expect(aws.iam.decisions.at(-1)).toMatchObject({ allowed: true, check: { action: 'rds:DeleteDBSnapshot', resource: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:snapshot:rdsdr-orders-managed` } });
  });

  it('refuses delete-snapshot-batch on a snapshot without the managed tag, or outside the rdsdr- prefix, with AccessDenied before moto sees it', async () => {
    for (const id of ['rdsdr-orders-by-hand', 'before-migration']) {
      const err = await errorOf(runAs(deleteSnapshot, () => rds().send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id }))));
      expect(err?.name).toBe('AccessDenied');
      expect(err?.message).toContain(`rds:DeleteDBSnapshot on resource: arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:snapshot:${id}`);
    }
    const left = (await aws.rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots?.map((s) => s.DBSnapshotIdentifier);
    expect(left).toEqual(expect.arrayContaining(['rdsdr-orders-by-hand', 'before-migration']));
  });

  it('does not evaluate calls the test code makes itself (no Lambda or state machine is calling)', async () => {
    await aws.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'before-migration' }));
    expect(aws.iam.decisions.some((d) => d.check.resource.endsWith(':snapshot:before-migration') && d.allowed)).toBe(false);
  });

  it('lets failure-notifier publish to the alert topic (and use the topic key), not to the warnings topic', async () => {
    const sns = awsClients.sns(PRIMARY);
    await runAs(failureNotifier, () => sns.send(new PublishCommand({ TopicArn: aws.alertTopicArn, Subject: 'test', Message: 'allowed' })));
    const kms = aws.iam.decisions.filter((d) => d.check.action.startsWith('kms:') && d.caller === failureNotifier);
    expect(kms.map((d) => [d.check.action, d.check.context['kms:ViaService'], d.allowed])).toEqual([
      ['kms:GenerateDataKey', `sns.${PRIMARY}.amazonaws.com`, true],
      ['kms:Decrypt', `sns.${PRIMARY}.amazonaws.com`, true],
    ]);
    const err = await errorOf(runAs(failureNotifier, () => sns.send(new PublishCommand({ TopicArn: aws.warningTopicArn, Message: 'denied' }))));
    expect(err?.name).toBe('AuthorizationErrorException');
    expect(err?.message).toContain(`sns:Publish on resource: ${aws.warningTopicArn}`);
    expect(await aws.receiveWarnings()).toEqual([]);
  });

  it('lets the DR failure-notifier publish to the DR stack\'s alert topic (its key by alias), never to the primary region\'s', async () => {
    const drNotifier: Caller = { kind: 'lambda', name: 'failure-notifier', region: DR };
    await aws.receiveAlerts('primary');
    await runAs(drNotifier, () => awsClients.sns(DR).send(new PublishCommand({ TopicArn: aws.alertTopicArnOf('dr'), Subject: 'test', Message: 'allowed in the DR region' })));
    const kms = aws.iam.decisions.filter((d) => d.check.action.startsWith('kms:') && d.caller === drNotifier);
    expect(kms.map((d) => [d.check.action, d.check.context['kms:ViaService'], d.allowed])).toEqual([
      ['kms:GenerateDataKey', `sns.${DR}.amazonaws.com`, true],
      ['kms:Decrypt', `sns.${DR}.amazonaws.com`, true],
    ]);
    const err = await errorOf(runAs(drNotifier, () => awsClients.sns(PRIMARY).send(new PublishCommand({ TopicArn: aws.alertTopicArnOf('primary'), Message: 'denied' }))));
    expect(err?.name).toBe('AuthorizationErrorException');
    expect(err?.message).toContain(`sns:Publish on resource: ${aws.alertTopicArnOf('primary')}`);
    expect(await aws.receiveAlerts('primary')).toEqual([]);
    expect((await aws.receiveAlerts('dr')).map((a) => a.message)).toEqual(['allowed in the DR region']);
  });

  it('refuses an encrypted copy when the DR key policy does not let IAM grant the key (KMSKeyNotAccessibleFault, as RDS answers)', async () => {
    const call = {
      clientName: 'RDSClient',
      commandName: 'CopyDBSnapshotCommand',
      region: DR,
      input: { SourceDBSnapshotIdentifier: `arn:aws:rds:${PRIMARY}:${LOCAL_ACCOUNT_ID}:snapshot:rdsdr-orders-1`, TargetDBSnapshotIdentifier: 'rdsdr-orders-1', KmsKeyId: aws.drKeyArn },
    };
    // As synthesized: the default key policy delegates to IAM, and the role may grant the key by its alias.
    await aws.iam.authorize(copySnapshot, call);
    const withoutDelegation = structuredClone(aws.iam.policies);
    const onlySomeoneElse: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/someone-else` }, Action: 'kms:*', Resource: '*' }] };
    withoutDelegation.resourcePolicies[aws.drKeyArn] = onlySomeoneElse;
    const strict = new IamSimulator({ policies: withoutDelegation, rds: () => aws.rds, kms: () => { throw new Error('not needed'); } });
    const err = await errorOf(strict.authorize(copySnapshot, call));
    expect(err?.name).toBe('KMSKeyNotAccessibleFault');
    expect(err?.message).toContain(`kms:CreateGrant on resource: ${aws.drKeyArn}`);
  });

  it('fails loudly on a call it has no resource mapping for, instead of letting it through', async () => {
    const err = await errorOf(aws.iam.authorize(deleteSnapshot, { clientName: 'RDSClient', commandName: 'RebootDBInstanceCommand', region: PRIMARY, input: { DBInstanceIdentifier: 'orders' } }));
    expect(err?.message).toMatch(/no resource mapping for rds:RebootDBInstance/);
  });

  it('fails the database a Lambda may not snapshot with the error RDS answers, at the first attempt, and only that database', async () => {
    // The batch Lambda as the backup workflow runs it.
    const principal = aws.iam.policies.principals[lambdaPrincipal('advance-backup-batch', PRIMARY, 'backup')];
    const original = principal.policies;
    // Without the tag-scoped CreateDBSnapshot grant, the snapshot of "orders" is refused.
    principal.policies = original.map((p) => ({ ...p, policy: { ...p.policy, Statement: p.policy.Statement.filter((s) => s.Sid !== 'SnapshotTaggedInstances0') } }));
    try {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' }, 'gold-denied');
      expect(run.status).toBe('FAILED');
      expect(run.cause).toMatch(/orders \(instance\): AccessDenied: .*rds:CreateDBSnapshot on resource: arn:aws:rds:us-east-1:123456789012:db:orders/);
      // AccessDenied cannot succeed later: one attempt.
      const attempts = aws.lambdaRdsCalls.filter((c) => c.command === 'CreateDBSnapshotCommand' && c.input.DBSnapshotIdentifier === 'rdsdr-orders-202611220200');
      expect(attempts.map((c) => c.error)).toEqual(['AccessDenied']);
      const snaps = (await aws.rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders' }))).DBSnapshots ?? [];
      expect(snaps.map((s) => s.DBSnapshotIdentifier)).not.toContain('rdsdr-orders-202611220200');
    } finally {
      principal.policies = original;
    }
    await aws.receiveAlerts();
  });

  it('fails a Lambda task the state machine may not invoke with Lambda.AWSLambdaException', async () => {
    const principal = aws.iam.policies.principals[stateMachinePrincipal('backup', PRIMARY)];
    const original = principal.policies;
    principal.policies = original.map((p) => ({ ...p, policy: { ...p.policy, Statement: p.policy.Statement.filter((s) => s.Sid !== 'InvokeBackupFunctions') } }));
    try {
      const run = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' }, 'gold-no-invoke');
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('Lambda.AWSLambdaException');
      expect(run.cause).toContain('lambda:InvokeFunction');
    } finally {
      principal.policies = original;
    }
    await aws.receiveAlerts();
  });
});
