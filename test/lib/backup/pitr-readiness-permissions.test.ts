// check-pitr-readiness's role allows exactly its calls: three listings, the warning, and (with the
// work bucket) the run's plan and report; the replication start only where pitr.enforce asks.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { grantPitrReadiness } from '../../../lib/backup/pitr-readiness-permissions.js';
import { parseConfig, type RdsDrConfig } from '../../../lib/platform/config/schema.js';
import { WorkBucket } from '../../../lib/platform/work-bucket.js';
import { asArray, rawTestConfig, testConfig, TEST_ACCOUNT, type IamStatement } from '../fixtures.js';

const P = 'eu-central-1';
const DR = 'eu-west-1';

/** The function's statements after grantPitrReadiness, in a stack of its own. */
function statements(config: RdsDrConfig, withWorkBucket: boolean): IamStatement[] {
  const stack = new Stack(new App(), 'Pitr', { env: { account: TEST_ACCOUNT, region: P } });
  const fn = new lambda.Function(stack, 'CheckPitrReadiness', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  const work = withWorkBucket ? new WorkBucket(stack, 'Work', { appName: config.appName }) : undefined;
  grantPitrReadiness(stack, fn, config, work);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: IamStatement[] } } }).Properties.PolicyDocument.Statement);
}

const byAction = (st: IamStatement[]) =>
  Object.fromEntries(
    [...new Set(st.flatMap((s) => asArray(s.Action)))].sort().map((a) => [a, st.filter((s) => asArray(s.Action).includes(a)).flatMap((s) => asArray(s.Resource)).map((r) => JSON.stringify(r))]),
  );

describe('grantPitrReadiness', () => {
  it('lists instances and clusters in the primary region and automated backups in the DR region, nothing per database', () => {
    const actions = byAction(statements(testConfig(), false));
    expect(actions['rds:DescribeDBInstances']).toEqual([`"arn:aws:rds:${P}:${TEST_ACCOUNT}:db:*"`, `"arn:aws:rds:${P}:${TEST_ACCOUNT}:cluster:*"`]);
    expect(actions['rds:DescribeDBClusters']).toEqual(actions['rds:DescribeDBInstances']);
    expect(actions['rds:DescribeDBInstanceAutomatedBackups']).toEqual([`"arn:aws:rds:${DR}:${TEST_ACCOUNT}:auto-backup:*"`]);
    // Read-only without pitr.enforce, and no S3 unless given the bucket.
    expect(Object.keys(actions)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*', 'rds:DescribeDBClusters', 'rds:DescribeDBInstanceAutomatedBackups', 'rds:DescribeDBInstances', 'sns:Publish']);
  });

  it('with the work bucket: reads the plan and writes the report under runs/backup/ only', () => {
    const st = statements(testConfig(), true);
    const s3 = st.filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')));
    expect(s3).toHaveLength(1);
    expect(asArray(s3[0].Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(s3[0].Resource)).toMatch(/"\/runs\/backup\/\*"/);
  });

  it('may start replication only of the databases that enforce it', () => {
    const raw = rawTestConfig();
    raw.incident = { databases: { 'orders-db': { pitr: { replicateToDr: true, enforce: true } }, 'billing-db': { pitr: { replicateToDr: true } } } };
    const actions = byAction(statements(parseConfig(raw, 'test'), false));
    expect(actions['rds:StartDBInstanceAutomatedBackupsReplication']).toEqual([`"arn:aws:rds:${P}:${TEST_ACCOUNT}:db:orders-db"`, `"arn:aws:rds:${DR}:${TEST_ACCOUNT}:auto-backup:*"`]);
  });
});
