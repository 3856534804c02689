// The MySQL-family members of `npm start`'s fleet (sample-fleet-mysql.ts, with their drill checks as
// config/local.json names them): backed up, damaged live after the backup, and drilled from the DR
// copies on real MariaDB servers, whose checks pass with the snapshot-time rows.
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStack, REPO_ROOT } from './local-stack.js';
import { countMysqlItems, createMysqlSampleFleet } from './sample-fleet-mysql.js';

const GOLD = { 'rds-dr:policy': 'gold' };

/** config/local.json with the drill checks of the MySQL-family members only (the PostgreSQL ones are drill.test.ts's). */
function mysqlMembersConfig(): Record<string, unknown> {
  const config = JSON.parse(readFileSync(resolve(REPO_ROOT, 'config/local.json'), 'utf8'));
  const { shop, accounts } = config.policies.gold.verify.databases;
  config.policies.gold.verify.databases = { shop, accounts };
  return config;
}

describe("npm start's MySQL-family fleet: a MariaDB instance and an Aurora MySQL cluster, drilled", () => {
  let aws: LocalStack;

  beforeAll(async () => {
    aws = await LocalStack.start({ config: mysqlMembersConfig(), withMariadb: true });
    await createMysqlSampleFleet(aws, GOLD);
    const backup = await aws.runBackup({ policy: 'gold', scheduledTime: new Date().toISOString() });
    expect(backup.cause).toBeUndefined();
    expect(backup.status).toBe('SUCCEEDED');
    await aws.sql('instance', 'shop', 'DELETE FROM items WHERE id > 10'); // the accident after the backup
  }, 300_000);
  afterAll(async () => aws?.stop());

  it('both drills pass from the DR copies with the snapshot-time rows, and their throwaways are gone', async () => {
    expect(await countMysqlItems(aws, 'shop')).toBe(10);
    const drill = await aws.runDrill({ policy: 'gold', scheduledTime: new Date().toISOString() });
    expect(drill.cause).toBeUndefined();
    expect(drill.status).toBe('SUCCEEDED');
    const reports = Object.fromEntries((await aws.drillReports(drill.executionArn)).map(({ report }) => [report.database, report]));
    expect(Object.keys(reports).sort()).toEqual(['accounts', 'shop']);

    expect(reports.shop).toMatchObject({ engine: 'mariadb', kind: 'instance', passed: true, throwaway: { cleanup: 'deleted' } });
    const shopChecks = Object.fromEntries((reports.shop.checks as { name: string; passed: boolean; observed?: unknown }[]).map((c) => [c.name, c]));
    expect(shopChecks['table shop.items rows >= 500']).toMatchObject({ passed: true, observed: 600 });
    expect(shopChecks['table shop.items freshness']).toMatchObject({ passed: true });
    expect(shopChecks['no empty payloads']).toMatchObject({ passed: true });
    expect(shopChecks.connect.observed).toMatch(/^mariadb \(mariadb\) 127\.0\.0\.1:\d+\/shop$/);

    expect(reports.accounts).toMatchObject({ engine: 'aurora-mysql', kind: 'cluster', passed: true, throwaway: { cleanup: 'deleted' } });
    const accountsChecks = reports.accounts.checks as { name: string; passed: boolean; observed?: unknown }[];
    expect(accountsChecks.find((c) => c.name === 'table accounts.items rows >= 100')).toMatchObject({ passed: true, observed: 300 });
    expect(accountsChecks.every((c) => c.passed)).toBe(true);

    expect(aws.dataPlane!.runningRestores).toEqual([]);
    const instances = (await aws.rdsDr.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
    const clusters = (await aws.rdsDr.send(new DescribeDBClustersCommand({}))).DBClusters ?? [];
    expect([...instances.map((d) => d.DBInstanceIdentifier), ...clusters.map((c) => c.DBClusterIdentifier)].filter((id) => id?.startsWith('rdsdr-verify-'))).toEqual([]);
    expect(await aws.receiveAlerts('dr')).toEqual([]);
  });
});
