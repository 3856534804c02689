import { beforeAll, describe, expect, it } from 'vitest';
import { allowing, asArray, LONG_TIMEOUT, statementsOf, synth, testConfig, type IamStatement, type Synthesized } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

const arn = (region: string, resource: string) => `arn:aws:rds:${region}:111122223333:${resource}`;
const P = 'eu-central-1';
const DR = 'eu-west-1';
const resources = (statements: IamStatement[]) => statements.flatMap((st) => asArray(st.Resource as string | string[]));

describe('batch role (advance-backup-batch: the snapshots and copies)', { timeout: LONG_TIMEOUT }, () => {
  const statements = () => statementsOf(s.primaryTemplate, 'BackupFunctionsAdvanceBackupBatchRole');

  it('may snapshot the selected instances by ARN and tagged instances only with all their tags', () => {
    const createDbSnapshot = allowing(statements(), 'rds:CreateDBSnapshot');
    expect(resources(createDbSnapshot)).not.toContain('*');

    const byId = createDbSnapshot.find((st) => st.Sid === 'SnapshotSelectedInstances');
    expect(byId?.Resource).toEqual([arn(P, 'db:billing-db'), arn(P, 'db:orders-db')]);
    expect(byId?.Condition).toBeUndefined();

    const byTag = createDbSnapshot.filter((st) => st.Resource === arn(P, 'db:*'));
    expect(byTag.map((st) => st.Condition).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { StringEquals: { 'aws:ResourceTag/env': 'prod', 'aws:ResourceTag/rds-dr:policy': 'gold' } },
      { StringEquals: { 'aws:ResourceTag/tier': 'archive' } },
    ]);

    // Every wildcard DB statement carries a tag condition.
    for (const st of createDbSnapshot) {
      if (asArray(st.Resource as string).some((r) => r.endsWith(':db:*'))) expect(st.Condition).toBeDefined();
    }
    const onSnapshots = createDbSnapshot.find((st) => st.Sid === 'CreateAndTagPrefixedSnapshots');
    expect(onSnapshots?.Resource).toEqual([arn(P, 'snapshot:rdsdr-*'), arn(P, 'cluster-snapshot:rdsdr-*')]);
  });

  it('scopes cluster snapshots the same way', () => {
    const createCluster = allowing(statements(), 'rds:CreateDBClusterSnapshot');
    expect(createCluster.find((st) => st.Sid === 'SnapshotSelectedClusters')?.Resource).toEqual(arn(P, 'cluster:ledger'));
    for (const st of createCluster.filter((x) => x.Resource === arn(P, 'cluster:*'))) {
      expect(Object.keys(st.Condition!.StringEquals).every((k) => k.startsWith('aws:ResourceTag/'))).toBe(true);
    }
  });

  it('tags only rdsdr-* snapshots; the state machine has no RDS permission, invokes exactly the four backup functions and runs its Distributed Map', () => {
    expect([...new Set(resources(allowing(statements(), 'rds:AddTagsToResource')))].sort()).toEqual(
      [P, DR].flatMap((r) => [arn(r, 'snapshot:rdsdr-*'), arn(r, 'cluster-snapshot:rdsdr-*')]).sort(),
    );
    const machine = statementsOf(s.primaryTemplate, 'BackupStateMachineRole');
    expect(machine.filter((st) => asArray(st.Action).some((a) => a.startsWith('rds:')))).toEqual([]);
    expect(resources(allowing(machine, 'lambda:InvokeFunction'))).toHaveLength(4);
    expect(resources(allowing(machine, 'states:StartExecution'))).toEqual([`arn:aws:states:${P}:111122223333:stateMachine:acme-dr-backup`]);
    expect(resources(allowing(machine, 'states:DescribeExecution'))).toEqual([`arn:aws:states:${P}:111122223333:execution:acme-dr-backup/*`]);
  });

  it('takes copy slots and work claims only in the coordination table', () => {
    const dynamo = statements().filter((st) => asArray(st.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    expect(JSON.stringify(dynamo[0].Resource)).toMatch(/CoordinationTable/);
  });

  it('has no RDS action on "*", and only the prune deleter may delete (rdsdr-* snapshots tagged managed)', () => {
    const policies = Object.entries(s.primaryTemplate.findResources('AWS::IAM::Policy'));
    const all = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as IamStatement[]);
    for (const st of all.filter((x) => asArray(x.Action).some((a) => a.startsWith('rds:')))) {
      expect(asArray(st.Resource as string)).not.toContain('*');
    }
    const deleting = policies.filter(([, p]) =>
      (p.Properties.PolicyDocument.Statement as IamStatement[]).some((st) => asArray(st.Action).some((a) => /^rds:Delete/.test(a))),
    );
    expect(deleting.map(([id]) => id)).toEqual([expect.stringMatching(/^PruneDeleteSnapshotBatchRoleDefaultPolicy/)]);
    const del = statementsOf(s.primaryTemplate, 'PruneDeleteSnapshotBatchRole').filter((st) => asArray(st.Action).some((a) => /^rds:Delete/.test(a)));
    // One statement per region: in the DR region only the copies of primary-region databases (the DR
    // region's own snapshots of failed-over databases are its prune's, lambdas/core/retention/ownership.ts).
    const managed = { 'aws:ResourceTag/rds-dr:managed': 'true' };
    expect(del).toEqual([
      expect.objectContaining({
        Action: ['rds:DeleteDBSnapshot', 'rds:DeleteDBClusterSnapshot'],
        Resource: [arn(P, 'snapshot:rdsdr-*'), arn(P, 'cluster-snapshot:rdsdr-*')],
        Condition: { StringEquals: managed },
      }),
      expect.objectContaining({
        Action: ['rds:DeleteDBSnapshot', 'rds:DeleteDBClusterSnapshot'],
        Resource: [arn('eu-west-1', 'snapshot:rdsdr-*'), arn('eu-west-1', 'cluster-snapshot:rdsdr-*')],
        Condition: { StringEquals: managed, StringLike: { 'aws:ResourceTag/rds-dr:source-arn': `arn:aws:rds:${P}:*` } },
      }),
    ]);
  });
});

describe('Lambda roles', { timeout: LONG_TIMEOUT }, () => {
  it('discover-databases only describes primary-region instances and clusters', () => {
    const rds = statementsOf(s.primaryTemplate, 'BackupFunctionsDiscoverDatabasesRole').filter((st) =>
      asArray(st.Action).some((a) => a.startsWith('rds:')),
    );
    expect(rds).toEqual([
      expect.objectContaining({
        Action: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
        Resource: [arn(P, 'db:*'), arn(P, 'cluster:*')],
      }),
    ]);
  });

  it('the batch describes snapshots (by identifier, a whole batch at once) in both regions, read-only', () => {
    const describe = allowing(statementsOf(s.primaryTemplate, 'BackupFunctionsAdvanceBackupBatchRole'), 'rds:DescribeDBSnapshots');
    expect(resources(describe)).toEqual(expect.arrayContaining([arn(P, 'snapshot:*'), arn(DR, 'snapshot:*'), arn(DR, 'cluster-snapshot:*')]));
  });

  it('the batch copies only rdsdr-* snapshots, and uses source keys only via RDS in the primary region', () => {
    const statements = statementsOf(s.primaryTemplate, 'BackupFunctionsAdvanceBackupBatchRole');
    expect(resources(allowing(statements, 'rds:CopyDBSnapshot')).sort()).toEqual(
      [P, DR].flatMap((r) => [arn(r, 'snapshot:rdsdr-*'), arn(r, 'cluster-snapshot:rdsdr-*')]).sort(),
    );
    const sourceGrant = allowing(statements, 'kms:CreateGrant').find((st) => st.Resource === `arn:aws:kms:${P}:111122223333:key/*`);
    expect(sourceGrant?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': `rds.${P}.amazonaws.com` },
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
    });
  });

  it('Lambdas write only to their own log group (no AWSLambdaBasicExecutionRole)', () => {
    const roles = Object.values(s.primaryTemplate.findResources('AWS::IAM::Role'));
    for (const role of roles) expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toContain('AWSLambdaBasicExecutionRole');
  });
});
