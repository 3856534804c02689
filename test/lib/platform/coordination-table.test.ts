// The coordination table (copy slots, work ledger) in the primary stack: keys, TTL, billing, backups,
// encryption; its name reaching the backup functions as a deploy-time value; and the grant helper.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeSettingsSchema } from '../../../lambdas/core/settings.js';
import { COORDINATION_TABLE_ACTIONS, CoordinationTable } from '../../../lib/platform/coordination-table.js';
import { LONG_TIMEOUT, settingsOf, synth, testConfig, type Synthesized } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

const tableId = () => s.primary.getLogicalId(s.primary.coordination.table.node.defaultChild as never);

describe('coordination table', () => {
  it('is one on-demand table in the primary stack, keyed pk/sk, expiring leases by TTL on expiresAtEpoch, with PITR and AWS-managed encryption', () => {
    const tables = s.primaryTemplate.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toEqual([tableId()]);
    // The DR stack has its own, of the same name (names are per region), for the DR region's backup.
    const drTables = s.drTemplate!.findResources('AWS::DynamoDB::Table');
    expect(Object.values(drTables).map((t) => (t as { Properties: { TableName: string } }).Properties.TableName)).toEqual(['acme-dr-coordination']);
    expect(tables[tableId()]).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: {
        TableName: 'acme-dr-coordination',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
    expect(tables[tableId()].Properties.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('reaches the backup functions by reference (filled in at deploy, so in the environment), and no other function', () => {
    const functions = s.primaryTemplate.findResources('AWS::Lambda::Function');
    const idOf = (fn: { node: { defaultChild?: unknown } }) => s.primary.getLogicalId(fn.node.defaultChild as never);
    const backup = new Set(s.primary.backup.functions.all.map(idOf));
    expect(backup.size).toBe(4);
    for (const [id, fn] of Object.entries(functions)) {
      const settings = runtimeSettingsSchema.parse(settingsOf(fn));
      expect([id, settings.coordinationTable]).toEqual([id, backup.has(id) ? `<ref:{'Ref':'${tableId()}'}>` : undefined]);
      expect(settings.copySlots).toEqual({ instance: 20, cluster: 5, leaseSeconds: 1800 });
    }
  });
});

describe('CoordinationTable.grantLeases', () => {
  it('allows exactly the five item calls the copy slots and the work ledger make, on the table only', () => {
    const stack = new Stack(new App(), 'Probe', { env: { account: '111122223333', region: 'eu-central-1' } });
    const coordination = new CoordinationTable(stack, 'Coordination', testConfig());
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    coordination.grantLeases(role);
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [...COORDINATION_TABLE_ACTIONS],
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(coordination.table.node.defaultChild as never), 'Arn'] },
      },
    ]);
    expect([...COORDINATION_TABLE_ACTIONS].sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
  });
});
