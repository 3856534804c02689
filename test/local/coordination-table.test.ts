// The coordination table in the local AWS: created as the synthesized primary stack declares it,
// under the name the backup functions are given, and every DynamoDB call a Lambda makes judged by
// its role like any other call (test/local/iam).
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCopySlots } from '../../lambdas/aws/dynamodb-copy-slots.js';
import { DynamoDbWorkLedger } from '../../lambdas/aws/dynamodb-work-ledger.js';
import { runAs, type Caller } from './iam/caller.js';
import { extractPolicies, lambdaPrincipal } from './iam/policies.js';
import { LocalStack } from './local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from './moto.js';
import { localConfig, PRIMARY } from '../state-machines/fixtures.js';

const TABLE_NAME = 'rds-dr-coordination';
const TABLE_ARN = `arn:aws:dynamodb:${PRIMARY}:${LOCAL_ACCOUNT_ID}:table/${TABLE_NAME}`;
const LEASE_ACTIONS = ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const deleteSnapshot: Caller = { kind: 'lambda', name: 'delete-snapshot-batch', region: PRIMARY };
const backupBatch: Caller = { kind: 'lambda', name: 'advance-backup-batch', region: PRIMARY };
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (err: Error) => err);

describe('coordination table in the local AWS', () => {
  let aws: LocalStack;
  let db: DynamoDBClient;
  const table = { name: TABLE_NAME, region: PRIMARY };
  const slots = () => new DynamoDbCopySlots(table, aws.config.copySlots);
  const itemsInTable = async () => (await db.send(new ScanCommand({ TableName: TABLE_NAME }))).Items ?? [];

  beforeAll(async () => {
    aws = await LocalStack.start({ config: localConfig() });
    db = new DynamoDBClient(motoClientConfig(aws.moto, PRIMARY));
  });
  afterAll(async () => aws?.stop());

  it('exists in the primary region as the synthesized primary stack declares it, under the name in the settings', async () => {
    expect(aws.settings?.coordinationTable).toBe(TABLE_NAME);
    expect(aws.iam.policies.tables[TABLE_NAME]?.region).toBe(PRIMARY);
    const described = (await db.send(new DescribeTableCommand({ TableName: TABLE_NAME }))).Table;
    expect(described?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(described?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const ttl = (await db.send(new DescribeTimeToLiveCommand({ TableName: TABLE_NAME }))).TimeToLiveDescription;
    expect(ttl).toMatchObject({ AttributeName: 'expiresAtEpoch', TimeToLiveStatus: 'ENABLED' });
  });

  it('refuses a Lambda whose role is not granted the table, before DynamoDB sees the call', async () => {
    const err = await errorOf(runAs(deleteSnapshot, () => slots().acquire({ region: 'us-west-2', kind: 'instance', holders: ['exec|snap'], now: new Date() })));
    expect(err?.name).toBe('AccessDeniedException');
    expect(err?.message).toContain(`dynamodb:Query on resource: ${TABLE_ARN}`);
    expect(await itemsInTable()).toEqual([]);
  });

  it('lets the backup batch Lambda, granted the item calls on the table, take, renew and give back slots and claims, each call judged on the table', async () => {
    // As synthesized: CoordinationTable.grantLeases(advance-backup-batch) (test/lib/platform/coordination-table.test.ts).
    const granted = aws.iam.policies.principals[lambdaPrincipal('advance-backup-batch', PRIMARY)].policies.flatMap((p) => p.policy.Statement);
    expect(granted.some((st) => JSON.stringify(st.Action).includes('dynamodb:PutItem') && JSON.stringify(st.Resource).includes(TABLE_ARN))).toBe(true);
    const seen = aws.iam.decisions.length;
    await runAs(backupBatch, async () => {
      const now = new Date();
      const leases = await slots().acquire({ region: 'us-west-2', kind: 'cluster', holders: ['exec|a', 'exec|b'], now });
      expect(leases).toHaveLength(2);
      expect(await slots().renew(leases, now)).toHaveLength(2);
      await slots().release(leases);
      const ledger = new DynamoDbWorkLedger(table);
      const request = { scope: 'backup#gold', items: ['orders'], holder: 'exec', now, leaseSeconds: 600 };
      expect((await ledger.claim(request)).claimed).toEqual(['orders']);
      expect(await ledger.renew(request)).toEqual(['orders']);
      expect((await ledger.list('backup#gold', now)).map((c) => c.item)).toEqual(['orders']);
      await ledger.release('backup#gold', ['orders'], 'exec');
    });
    const decisions = aws.iam.decisions.slice(seen).filter((d) => d.check.action.startsWith('dynamodb:'));
    expect(new Set(decisions.map((d) => d.check.action))).toEqual(new Set(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect(decisions.every((d) => d.allowed && d.check.resource === TABLE_ARN && d.caller === backupBatch)).toBe(true);
    expect(await itemsInTable()).toEqual([]);
  });

  it('resolves a grant on the table\'s Arn attribute in a template to the table\'s ARN, by its name', () => {
    // The shape CDK synthesizes for coordination.grantLeases(fn) (a role policy on Fn::GetAtt [table, Arn]).
    const template = {
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: TABLE_NAME, KeySchema: [], AttributeDefinitions: [] } },
        FnRole: { Type: 'AWS::IAM::Role', Properties: { Description: 'rds-dr advance-backup-batch Lambda' } },
        FnRolePolicy: {
          Type: 'AWS::IAM::Policy',
          Properties: { Roles: [{ Ref: 'FnRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: LEASE_ACTIONS, Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } }] } },
        },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] } } },
      },
    };
    const local = { account: LOCAL_ACCOUNT_ID, appName: 'rds-dr', primaryRegion: PRIMARY, drKeyArn: '', drKeyAlias: '' };
    const set = extractPolicies({ stacks: [{ region: PRIMARY, template }] }, local);
    expect(set.principals[lambdaPrincipal('advance-backup-batch', PRIMARY)].policies[0].policy.Statement[0].Resource).toBe(TABLE_ARN);
    expect(set.tables[TABLE_NAME]?.region).toBe(PRIMARY);
  });
});
