// The primary region finds the DR reports bucket through the SSM parameter the DR stack publishes
// (the bucket's name changes each time the DR stack is created): the RPO monitor, as deployed and
// judged by IAM simulation, and `rds-dr status` read the last drill verdict from it, and a reader
// follows the parameter to the new bucket after the DR stack was created anew.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '../../../bin/cli/status.js';
import { S3Reports } from '../../../lambdas/aws/reports.js';
import { reportsBucketParameterName } from '../../../lib/platform/reports-bucket.js';
import { createPostgresInstance } from '../../local/fleet.js';
import { LocalStack } from '../../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../../local/moto.js';
import { DR, localConfig } from '../../state-machines/fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('reports bucket from the primary region, on the local AWS', () => {
  let aws: LocalStack;
  let s3: S3Client;
  let ssm: SSMClient;
  const report = (passed: boolean, restoreSeconds: number) =>
    JSON.stringify({ reportedAt: new Date(Date.now() - 3600_000).toISOString(), passed, restoreSeconds });

  beforeAll(async () => {
    const config = localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: { gold: { selection: { tags: GOLD }, verify: { databases: { orders: { database: 'orders', tables: [] } } } } },
    });
    aws = await LocalStack.start({ config });
    s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    ssm = new SSMClient(motoClientConfig(aws.moto, DR));
    await createPostgresInstance(aws.rds, 'orders', GOLD);
    // A drill's verdict, where the drill writes it.
    await s3.send(new PutObjectCommand({ Bucket: aws.reportsBucket, Key: 'reports/verification/orders/2026/01/01/rdsdr-verify-orders-1.json', Body: report(true, 321) }));
  });
  afterAll(async () => aws?.stop());

  it('the local bucket is named as the DR stack names it (prefix and the first group of its stack id)', () => {
    expect(aws.reportsBucket).toMatch(/^rds-dr-reports-us-west-2-[0-9a-f]{8}$/);
  });

  it('the RPO monitor (primary region) reads the last drill verdict from the bucket the parameter names, within its grants', async () => {
    const { metrics } = await aws.runRpoMonitor();
    expect(metrics.find((m) => m.name === 'LastVerificationPassed' && m.db === 'orders')?.value).toBe(1);
    expect(metrics.find((m) => m.name === 'RestoreSeconds' && m.db === 'orders')?.value).toBe(321);
    const calls = aws.iam.decisions.filter((d) => d.caller.kind === 'lambda' && d.caller.name === 'rpo-monitor' && d.caller.region !== DR);
    expect(calls.filter((d) => d.check.action === 'ssm:GetParameter').map((d) => [d.check.resource, d.allowed])).toEqual([
      [`arn:aws:ssm:${DR}:${LOCAL_ACCOUNT_ID}:parameter/rds-dr/reports-bucket`, true],
    ]);
    expect(calls.filter((d) => d.check.action.startsWith('s3:')).every((d) => d.allowed && d.check.resource.includes(aws.reportsBucket))).toBe(true);
  });

  it('`rds-dr status` finds the verdict through the same parameter, without being told the account', async () => {
    const result = await status(aws.config, { colour: false });
    expect(result.output).toMatch(/\norders\s.*\bPASS 60m ago\s+5m \//);
  });

  it('after the DR stack is created anew (new bucket, parameter updated, old bucket unusable), a reader that knew the old name moves to the new bucket', async () => {
    const reader = new S3Reports(DR, { parameter: reportsBucketParameterName('rds-dr') });
    expect(await reader.put('reports/prune/before.json', '{}')).toBe(`s3://${aws.reportsBucket}/reports/prune/before.json`);
    // The old bucket is kept by `cdk destroy` but is no longer usable here (in AWS: its key lost the alias the grants name).
    const old = aws.reportsBucket;
    for (const o of (await s3.send(new ListObjectsV2Command({ Bucket: old }))).Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: old, Key: o.Key }));
    await s3.send(new DeleteBucketCommand({ Bucket: old }));
    const renewed = 'rds-dr-reports-us-west-2-0badcafe';
    await s3.send(new CreateBucketCommand({ Bucket: renewed, CreateBucketConfiguration: { LocationConstraint: DR } }));
    await ssm.send(new PutParameterCommand({ Name: reportsBucketParameterName('rds-dr'), Value: renewed, Type: 'String', Overwrite: true }));
    expect(await reader.put('reports/prune/after.json', '{}')).toBe(`s3://${renewed}/reports/prune/after.json`);
    // And it keeps the new name.
    expect(await reader.put('reports/prune/later.json', '{}')).toBe(`s3://${renewed}/reports/prune/later.json`);
  });
});
