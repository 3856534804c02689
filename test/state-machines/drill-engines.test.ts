// Drills by engine on the local AWS: an engine the verifier does not speak (Oracle) gets a restore-only
// drill: restored, timed and deleted, never a connect attempt, and one clear notice.
import { CreateDBInstanceCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStack } from '../local/local-stack.js';
import { motoClientConfig } from '../local/moto.js';
import { DR, localConfig } from './fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

describe('drills by engine on the local AWS', () => {
  let aws: LocalStack;
  let s3: S3Client;

  const reportsFor = async (db: string) => {
    const list = await s3.send(new ListObjectsV2Command({ Bucket: aws.verification!.reportsBucket, Prefix: `reports/verification/${db}/` }));
    return Promise.all(
      (list.Contents ?? []).map(async (o) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: aws.verification!.reportsBucket, Key: o.Key }))).Body!.transformToString())),
    );
  };

  beforeAll(async () => {
    const config = localConfig({
      verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
      policies: {
        gold: {
          selection: { tags: GOLD },
          verify: {
            restoreTimeoutMinutes: 10,
            databases: {
              // Tables configured for an engine without SQL checks are not run (the notice says so).
              erp: { instanceClass: 'db.m5.large', tables: [{ name: 'APPS.ORDERS', minRows: 1 }] },
            },
          },
        },
      },
    });
    aws = await LocalStack.start({ config, withPostgres: true });
    s3 = new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true });
    await aws.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'erp', Engine: 'oracle-ee', DBInstanceClass: 'db.m5.large', AllocatedStorage: 100, LicenseModel: 'bring-your-own-license',
      MasterUsername: 'admin', MasterUserPassword: 'local-only-password', StorageEncrypted: true, Tags: Object.entries(GOLD).map(([Key, Value]) => ({ Key, Value })),
    }));
    const backup = await aws.runBackup({ policy: 'gold', scheduledTime: '2026-11-22T02:00:00Z' });
    expect(backup.status).toBe('SUCCEEDED');
  }, 300_000);
  afterAll(async () => aws?.stop());

  it('an Oracle snapshot yields a restore-only drill: restored, timed, deleted, no connect attempt, one notice', async () => {
    const run = await aws.runDrill({ db: 'erp' }, 'drill-erp');
    expect(run.cause).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    const [report] = await reportsFor('erp');
    expect(report).toMatchObject({ database: 'erp', engine: 'oracle-ee', passed: true, throwaway: { cleanup: 'deleted' } });
    expect(report.checks).toEqual([{ name: 'restore-only', passed: true, warning: 'engine oracle-ee: restore-only drill, no SQL checks' }]);
    expect(typeof report.restoreSeconds).toBe('number');
    const throwaways = ((await aws.rdsDr.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).filter((d) => d.DBInstanceIdentifier?.startsWith('rdsdr-verify-'));
    expect(throwaways).toEqual([]);
    expect((run.output as { message: string }).message).toContain('warning: restore-only: engine oracle-ee: restore-only drill, no SQL checks');
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });
});
