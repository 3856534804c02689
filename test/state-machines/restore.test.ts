// The point-in-time / snapshot restore workflow (state-machines/restore.asl.json) on moto +
// PostgreSQL through the local runner: restored targets carry the source's data and network, bad
// input changes nothing, verification uses the drills' verifier, cutover renames and never deletes.
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuroraPostgresCluster, createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { motoClientConfig } from '../local/moto.js';
import { DR, localConfig, PRIMARY } from './fixtures.js';
import { type RestorePlan } from '../../lambdas/core/restore-plan.js';

const GOLD = { 'rds-dr:policy': 'gold' };
const REASON = 'bad migration INC-7';

describe('point-in-time and snapshot restore on the local AWS', () => {
  let aws: LocalStack;
  let sourceCreatedAt = 0;
  let network: { subnetGroup: string; securityGroupId: string; parameterGroup: string };

  const rds = (region: string): RDSClient => (region === PRIMARY ? aws.rds : aws.rdsDr);
  const instance = async (region: string, id: string) =>
    (await rds(region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })).catch(() => undefined))?.DBInstances?.[0];
  const rows = async (server: { client(db: string): pg.Client } | undefined, db: string, sql: string) => {
    const c = server!.client(db);
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  /** Everything a restore may write: instances, clusters, snapshots, SSM parameters (both regions). */
  const worldState = async () => {
    const out: Record<string, unknown> = {};
    for (const region of [PRIMARY, DR]) {
      out[`instances:${region}`] = ((await rds(region).send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((d) => `${d.DBInstanceIdentifier}:${d.DBInstanceStatus}`).sort();
      out[`clusters:${region}`] = ((await rds(region).send(new DescribeDBClustersCommand({}))).DBClusters ?? []).map((c) => `${c.DBClusterIdentifier}:${c.Status}`).sort();
      out[`snapshots:${region}`] = ((await rds(region).send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier).sort();
      out[`cluster-snapshots:${region}`] = ((await rds(region).send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots ?? []).map((s) => s.DBClusterSnapshotIdentifier).sort();
      out[`ssm:${region}`] = ((await new SSMClient(motoClientConfig(aws.moto, region)).send(new GetParametersByPathCommand({ Path: '/', Recursive: true }))).Parameters ?? [])
        .map((p) => `${p.Name}=${p.Value}@${p.Version}`)
        .sort();
    }
    return out;
  };

  beforeAll(async () => {
    aws = await LocalStack.start({
      config: localConfig({
        verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
        policies: {
          gold: {
            selection: { tags: GOLD },
            verify: {
              restoreTimeoutMinutes: 10,
              databases: { orders: { database: 'orders', tables: [{ name: 'public.items', minRows: 40 }], assertions: [{ name: 'row count', sql: 'SELECT count(*) FROM items', expect: 40 }] } },
            },
          },
        },
        incident: { databases: { billing: { cutover: 'endpoint', endpoint: { ssmParameter: '/app/billing/writer' } } } },
      }),
      withPostgres: true,
    });
    // The source's network and parameters, which a restore must carry over.
    const ec2 = new EC2Client(motoClientConfig(aws.moto, PRIMARY));
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc!.VpcId!;
    const subnets = await Promise.all(['a', 'b'].map((az, i) => ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.7.${i}.0/24`, AvailabilityZone: `${PRIMARY}${az}` }))));
    const securityGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'orders-db', Description: 'orders', VpcId: vpcId }))).GroupId!;
    await aws.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'orders-subnets', DBSubnetGroupDescription: 'orders', SubnetIds: subnets.map((s) => s.Subnet!.SubnetId!) }));
    await aws.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'orders-params', DBParameterGroupFamily: 'postgres16', Description: 'orders' }));
    network = { subnetGroup: 'orders-subnets', securityGroupId, parameterGroup: 'orders-params' };
    await aws.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'orders', Engine: 'postgres', EngineVersion: '16.3', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20,
        MasterUsername: 'app', MasterUserPassword: 'local-only-password', StorageEncrypted: true, BackupRetentionPeriod: 9,
        DBSubnetGroupName: network.subnetGroup, VpcSecurityGroupIds: [securityGroupId], DBParameterGroupName: network.parameterGroup,
        Tags: Object.entries({ ...GOLD, team: 'payments' }).map(([Key, Value]) => ({ Key, Value })),
        // What protects it, which a restore does not carry over and a rename cutover must.
        DeletionProtection: true, MultiAZ: true, CopyTagsToSnapshot: true,
      }),
    );
    sourceCreatedAt = (await instance(PRIMARY, 'orders'))!.InstanceCreateTime!.getTime();
    await createPostgresInstance(aws.rds, 'billing', GOLD);
    await createPostgresInstance(aws.rds, 'unprotected');
    await createAuroraPostgresCluster(aws.rds, 'ledger', GOLD);
    await aws.pg!.createDatabase('orders');
    await rows(aws.pg, 'orders', 'CREATE TABLE items (id int primary key); INSERT INTO items SELECT generate_series(1, 40)');
    aws.dataPlane!.attach('instance', 'orders', 'orders');
    await aws.pg!.createDatabase('billing');
    await rows(aws.pg, 'billing', 'CREATE TABLE invoices (id int primary key); INSERT INTO invoices SELECT generate_series(1, 12)');
    aws.dataPlane!.attach('instance', 'billing', 'billing');
    expect((await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' })).status).toBe('SUCCEEDED');
    for (const region of [PRIMARY, DR]) {
      await new SSMClient(motoClientConfig(aws.moto, region)).send(new PutParameterCommand({ Name: '/app/billing/writer', Value: 'billing.primary.example', Type: 'String', Overwrite: true }));
    }
    await new Promise((r) => setTimeout(r, 1100)); // a restorable second after the source's creation
    await aws.receiveAlerts();
  }, 120_000);
  afterAll(async () => aws?.stop());

  it('restores to a point in time inside the window: the target has the source data, subnet group, security group and parameter group', async () => {
    const restoreTime = new Date(sourceCreatedAt + 1000).toISOString();
    const run = await aws.runRestore({ db: 'orders', restoreTime, targetId: 'orders-pitr-1', verify: false, cutover: false }, PRIMARY, 'pitr-inside');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(expect.arrayContaining(['PlanRestore', 'StartRestore', 'CheckRestore', 'ReportTimeline']));
    const target = await instance(PRIMARY, 'orders-pitr-1');
    expect(target?.DBInstanceStatus).toBe('available');
    expect(target?.DBSubnetGroup?.DBSubnetGroupName).toBe(network.subnetGroup);
    expect(target?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual([network.securityGroupId]);
    expect(target?.DBParameterGroups?.map((g) => g.DBParameterGroupName)).toEqual([network.parameterGroup]);
    expect(target?.TagList).toEqual(expect.arrayContaining([{ Key: 'rds-dr:purpose', Value: 'incident-restore' }, { Key: 'rds-dr:restored-from', Value: `pitr:${restoreTime}` }]));
    expect((await rows(aws.dataPlane!.restoredServer('orders-pitr-1'), 'orders', 'SELECT count(*)::int AS n FROM items'))[0].n).toBe(40);
    expect(await aws.receiveAlerts()).toEqual([]);
  });

  it.each([
    ['a day before the source existed', () => new Date(sourceCreatedAt - 86_400_000).toISOString(), /input\.restoreTime: .* is outside the restorable window \[/],
    ['in the future', () => new Date(Date.now() + 3_600_000).toISOString(), /input\.restoreTime: .* is in the future/],
  ])('refuses a restore time %s at the first state, writing nothing', async (_, time, expected) => {
    const before = await worldState();
    const run = await aws.runRestore({ db: 'orders', restoreTime: time(), targetId: 'orders-pitr-x' });
    expect(run.status).toBe('FAILED');
    expect(run.statesEntered).toEqual(['PlanRestore']);
    expect(run.cause).toMatch(expected);
    expect(await worldState()).toEqual(before);
    // A primary-region failure pages through the primary stack's topic, not the DR stack's.
    expect(await aws.receiveAlerts('dr')).toEqual([]);
    const alerts = await aws.receiveAlerts('primary');
    expect(alerts.map((a) => a.message).join('\n')).toMatch(expected);
  });

  it('restores from a named managed snapshot and from "latest"', async () => {
    const named = await aws.runRestore({ db: 'orders', snapshot: 'rdsdr-orders-202611220200', targetId: 'orders-snap-named' });
    expect(named.cause ?? '').toBe('');
    expect(named.status).toBe('SUCCEEDED');
    const latest = await aws.runRestore({ db: 'billing', snapshot: 'latest', targetId: 'billing-snap-latest' });
    expect(latest.status).toBe('SUCCEEDED');
    expect((await instance(PRIMARY, 'billing-snap-latest'))?.TagList).toEqual(
      expect.arrayContaining([{ Key: 'rds-dr:restored-from', Value: expect.stringMatching(/^snapshot:arn:aws:rds:us-east-1:\d+:snapshot:rdsdr-billing-202611220200$/) }]),
    );
    expect((await rows(aws.dataPlane!.restoredServer('orders-snap-named'), 'orders', 'SELECT count(*)::int AS n FROM items'))[0].n).toBe(40);
  });

  it("in the DR region: restores the newest DR copy and verifies it with the drills' verifier", async () => {
    const run = await aws.runRestore({ db: 'orders', snapshot: 'latest', targetId: 'orders-dr', region: DR, verify: true }, DR, 'dr-verify');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(expect.arrayContaining(['ManageInstancePassword', 'CheckCredentials', 'RunChecks', 'RecordChecks']));
    const verdict = (run.output as { verdict: { passed: boolean; checks: { name: string; passed: boolean }[] } }).verdict;
    expect(verdict.passed).toBe(true);
    expect(verdict.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'row count', passed: true })]));
    expect((await instance(DR, 'orders-dr'))?.DBInstanceStatus).toBe('available');
  });

  it('AccessDenied turning on the managed password fails the restore at the first attempt (no retries of what cannot succeed later), with its timeline and an alert', async () => {
    await aws.receiveAlerts('dr');
    const from = aws.sdkCallsDr.length;
    const release = aws.rdsFaults.refuse('ModifyDBInstanceCommand', 'AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/restore is not authorized to perform: rds:ModifyDBInstance');
    try {
      const run = await aws.runRestore({ db: 'orders', snapshot: 'latest', targetId: 'orders-dr-denied', region: DR, verify: true }, DR, 'dr-verify-denied');
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('Rds.RdsException');
      expect(run.cause).toMatch(/^AccessDenied: User: .* rds:ModifyDBInstance/);
      expect(aws.sdkCallsDr.slice(from).filter((c) => c.action === 'modifyDBInstance').map((c) => c.error)).toEqual(['AccessDenied']);
      expect(run.statesEntered).toContain('ReportFailure');
      expect(run.statesEntered).not.toContain('RunChecks');
      // A DR-region failure pages through the DR stack's own topic, not the primary's.
      expect(await aws.receiveAlerts('primary')).toEqual([]);
      const alerts = await aws.receiveAlerts('dr');
      expect(alerts).toHaveLength(1);
      expect(alerts[0].message).toContain('AccessDenied');
    } finally {
      release();
    }
  });

  it('cutover by rename: the restored database takes the name, the replaced one is kept; re-running a move changes nothing', async () => {
    // The live database is damaged after the backup; the restore brings back the snapshot's 40 rows.
    await rows(aws.pg, 'orders', 'DELETE FROM items WHERE id > 10');
    const run = await aws.runRestore({ db: 'orders', snapshot: 'latest', targetId: 'orders-fixed', cutover: true, reason: REASON }, PRIMARY, 'cutover-rename');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const plan = (run.output as { plan: RestorePlan }).plan;
    expect(plan.replacedId).toMatch(/^orders-replaced-\d{12}$/);
    const swapped = await instance(PRIMARY, 'orders');
    expect(swapped?.TagList).toEqual(expect.arrayContaining([{ Key: 'rds-dr:execution', Value: run.executionArn }, { Key: 'rds-dr:reason', Value: REASON }]));
    expect(await instance(PRIMARY, 'orders-fixed')).toBeUndefined();
    const replaced = await instance(PRIMARY, plan.replacedId!);
    expect(replaced?.DBInstanceStatus).toBe('available');
    expect(replaced?.TagList?.some((t) => t.Key === 'rds-dr:execution')).toBe(false);
    // The data behind each name: restored snapshot data under "orders", the damaged original kept aside.
    expect((await rows(aws.dataPlane!.restoredServer('orders'), 'orders', 'SELECT count(*)::int AS n FROM items'))[0].n).toBe(40);
    expect(aws.dataPlane!.liveDatabase('instance', plan.replacedId!)).toBe('orders');

    // The restored "orders" carries the original's protection; the set-aside original is no longer the protected one.
    expect(swapped).toMatchObject({ DeletionProtection: true, BackupRetentionPeriod: 9, MultiAZ: true, CopyTagsToSnapshot: true });
    expect(swapped?.DBParameterGroups?.map((g) => g.DBParameterGroupName)).toEqual([network.parameterGroup]);
    expect(swapped?.TagList).toEqual(expect.arrayContaining([{ Key: 'rds-dr:policy', Value: 'gold' }, { Key: 'team', Value: 'payments' }]));
    // The restore writes its own history; the original's is not copied over it.
    expect(swapped?.TagList).toEqual(expect.arrayContaining([{ Key: 'rds-dr:purpose', Value: 'incident-restore' }]));
    expect(swapped?.MasterUserSecret).toBeUndefined();
    expect(replaced?.TagList).toEqual(expect.arrayContaining([{ Key: 'rds-dr:replaced-by', Value: run.executionArn }, { Key: 'rds-dr:policy', Value: 'gold' }]));
    expect(replaced?.DeletionProtection).toBe(true);

    const before = await worldState();
    expect(await aws.handler('rename-cutover')({ plan, poll: {} } as never)).toMatchObject({ complete: true });
    expect(await aws.handler('restore-database')({ action: 'start', plan: { ...plan, targetId: 'orders' } } as never)).toMatchObject({ started: false, step: { outcome: 'already-done' } });
    expect(await worldState()).toEqual(before);

    // The next backup snapshots the new production database under the old name, and not the replaced one.
    const backup = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T03:00:00Z' }, 'after-cutover');
    expect(backup.cause ?? '').toBe('');
    expect(backup.status).toBe('SUCCEEDED');
    const snaps = (await aws.rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? [];
    const slot = snaps.filter((x) => x.DBSnapshotIdentifier?.endsWith('-202611220300'));
    expect(slot.find((x) => x.DBSnapshotIdentifier === 'rdsdr-orders-202611220300')?.DBInstanceIdentifier).toBe('orders');
    expect(snaps.filter((x) => x.DBInstanceIdentifier === plan.replacedId)).toEqual([]);
    expect(slot.map((x) => x.DBSnapshotIdentifier).filter((id) => id?.includes('replaced'))).toEqual([]);
  });

  it('a free-text reason RDS would refuse as a tag value ("INC-42, bad migration") tags what RDS accepts and keeps the whole reason in the timeline', async () => {
    const reason = 'INC-42, bad migration (ran twice!) — "orders" truncated';
    const run = await aws.runRestore({ db: 'billing', snapshot: 'latest', targetId: 'billing-reason', reason }, PRIMARY, 'free-text-reason');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const tag = (await instance(PRIMARY, 'billing-reason'))?.TagList?.find((t) => t.Key === 'rds-dr:reason')?.Value;
    expect(tag).toBe('INC-42 bad migration ran twice orders truncated');
    const s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: aws.reportsBucket, Prefix: 'incidents/restore/billing/' }));
    const key = listed.Contents!.map((o) => o.Key!).find((k) => k.endsWith('free-text-reason.json'))!;
    const timeline = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.reportsBucket, Key: key }))).Body!.transformToString());
    expect(timeline.reason).toBe(reason);
  });

  it('cutover by endpoint repoints the SSM parameter in both regions and keeps the original', async () => {
    const run = await aws.runRestore({ db: 'billing', snapshot: 'latest', targetId: 'billing-fixed', cutover: true, reason: REASON }, PRIMARY, 'cutover-endpoint');
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    // The endpoint the workflow read: locally the restored target's own PostgreSQL server.
    const host = aws.dataPlane!.restoredServer('billing-fixed')?.host;
    expect(host).toBeTruthy();
    for (const region of [PRIMARY, DR]) {
      expect((await new SSMClient(motoClientConfig(aws.moto, region)).send(new GetParameterCommand({ Name: '/app/billing/writer' }))).Parameter?.Value).toBe(host);
    }
    expect(await instance(PRIMARY, 'billing')).toBeDefined();
  });

  it('an Aurora cluster PITR creates the cluster and a writer instance', async () => {
    const run = await aws.runRestore({ db: 'ledger', restoreTime: 'latest', targetId: 'ledger-pitr' });
    expect(run.cause ?? '').toBe('');
    expect(run.status).toBe('SUCCEEDED');
    const cluster = (await aws.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ledger-pitr' }))).DBClusters?.[0];
    expect(cluster?.Status).toBe('available');
    expect((await instance(PRIMARY, 'ledger-pitr-1'))?.DBClusterIdentifier).toBe('ledger-pitr');
  });

  describe('bad input fails the first state, writes nothing, and the alert names the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['not an object', ['orders'], /input must be a JSON object/],
      ['missing db', { restoreTime: 'latest', targetId: 'x-1' }, /input\.db: required/],
      ['unknown field', { db: 'billing', restoreTime: 'latest', targetId: 'x-1', force: true }, /input: unknown field\(s\) force/],
      ['both restoreTime and snapshot', { db: 'billing', restoreTime: 'latest', snapshot: 'latest', targetId: 'x-1' }, /input\.restoreTime: give exactly one of restoreTime/],
      ['unparseable restoreTime', { db: 'billing', restoreTime: 'yesterday', targetId: 'x-1' }, /input\.restoreTime: "yesterday" is not an ISO-8601 time/],
      ['invalid targetId', { db: 'billing', restoreTime: 'latest', targetId: '1-bad--id' }, /input\.targetId: must be an RDS identifier/],
      ['targetId already in use', { db: 'billing', restoreTime: 'latest', targetId: 'unprotected' }, /input\.targetId: "unprotected" is already in use/],
      ['region not in config', { db: 'billing', restoreTime: 'latest', targetId: 'x-1', region: 'eu-west-3' }, /input\.region: "eu-west-3" is not in this deployment/],
      ['region of the other deployment', { db: 'billing', restoreTime: 'latest', targetId: 'x-1', region: DR }, /input\.region: this workflow restores in us-east-1/],
      ['db not protected', { db: 'unprotected', restoreTime: 'latest', targetId: 'x-1' }, /input\.db: "unprotected" \(instance\) is not protected by this deployment/],
      ['snapshot of another db', { db: 'billing', snapshot: 'rdsdr-ledger-202611220200', targetId: 'x-1' }, /input\.snapshot: "rdsdr-ledger-202611220200" is a snapshot of "ledger", not of "billing"/],
      ['cutover without reason', { db: 'billing', restoreTime: 'latest', targetId: 'x-1', cutover: true }, /input\.reason: required with cutover: true/],
      ['verify outside the verification region', { db: 'orders', restoreTime: 'latest', targetId: 'x-1', verify: true }, /input\.verify: the verifier runs in us-west-2/],
    ];
    it.each(cases)('%s', async (_, input, expected) => {
      await aws.receiveAlerts();
      const before = await worldState();
      const run = await aws.runRestore(input);
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('rds-dr.InvalidInput');
      expect(run.statesEntered).toEqual(['PlanRestore']);
      expect(JSON.parse(run.cause!).errorMessage).toMatch(expected);
      expect(await worldState()).toEqual(before);
      const alerts = await aws.receiveAlerts();
      expect(alerts).toHaveLength(1);
      expect(alerts[0].message).toMatch(expected);
    });
  });
});
