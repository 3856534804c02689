// `rds-dr status` during a region outage on the local AWS (test/local/region-outage.ts): the
// unreachable region is named with its error, everything the other region holds is still shown,
// every call into the failed region is bounded (2 attempts), and the command exits 1.
import { CreateDBInstanceReadReplicaCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main, status } from '../../bin/cli/status.js';
import { INTERACTIVE_CLIENT } from '../../lambdas/aws/clients.js';
import { createPostgresInstance } from '../local/fleet.js';
import { LocalStack } from '../local/local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from '../local/moto.js';
import type { RegionOutage } from '../local/region-outage.js';
import { DR, localConfig, PRIMARY } from '../state-machines/fixtures.js';

const GOLD = { 'rds-dr:policy': 'gold' };

/** How often each command was attempted into the failed region. */
const attemptsPerCommand = (outage: RegionOutage) => {
  const out: Record<string, number> = {};
  for (const a of outage.attempts) out[a.command] = (out[a.command] ?? 0) + 1;
  return out;
};

describe('rds-dr status with a region down', () => {
  let aws: LocalStack;
  const dir = mkdtempSync(join(tmpdir(), 'rdsdr-status-outage-'));
  const configPath = join(dir, 'config.json');
  const config = localConfig({
    incident: { databases: { orders: { standby: { replicaInstance: 'orders-replica' } } } },
    verification: { vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000', 'subnet-00000001'] },
    policies: { gold: { selection: { tags: GOLD }, verify: { databases: { orders: { database: 'orders', tables: [{ name: 'public.items', minRows: 1 }] } } } } },
  });
  const run = () => status(aws.config, { account: LOCAL_ACCOUNT_ID, colour: false });

  beforeAll(async () => {
    writeFileSync(configPath, JSON.stringify(config));
    aws = await LocalStack.start({ config });
    for (const db of ['orders', 'billing']) await createPostgresInstance(aws.rds, db, GOLD);
    expect((await aws.runBackup({ policy: 'gold', scheduledTime: new Date().toISOString() })).status).toBe('SUCCEEDED');
    const primaryArn = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders' }))).DBInstances?.[0]?.DBInstanceArn;
    await aws.rdsDr.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'orders-replica', SourceDBInstanceIdentifier: primaryArn }));
    // The last drill of orders, as the drill workflow reports it (reports bucket, DR region).
    const report = { reportedAt: new Date(Date.now() - 3600_000).toISOString(), passed: true, restoreSeconds: 600 };
    await new S3Client({ ...motoClientConfig(aws.moto, DR), forcePathStyle: true }).send(
      new PutObjectCommand({ Bucket: aws.reportsBucket, Key: 'reports/verification/orders/2026/11/30/rdsdr-verify-orders-202611300300.json', Body: JSON.stringify(report) }),
    );
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await aws?.stop();
  });

  it('with both regions up, reads both and names no unreachable region', async () => {
    const result = await run();
    expect(result.unreachable).toEqual([]);
    expect(result.breached).toBe(false);
    expect(result.output).toMatch(/^2 protected databases: 2 within objectives, 0 breaching\n/);
    expect(result.output).not.toMatch(/UNREACHABLE/);
    expect(result.output).toMatch(/\nstandbys:\n {2}orders: replica orders-replica in us-west-2: available, read replica of \S*orders\b/);
  });

  it('with the primary region refusing connections: names it with the error, shows the DR copies, drills and standby, exits 1', async () => {
    const outage = await aws.regionOutage(PRIMARY);
    let result: Awaited<ReturnType<typeof run>>;
    let code: number;
    const printed: string[] = [];
    try {
      result = await run();
      const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
      try {
        code = await main(['status', '-c', configPath, '--account', LOCAL_ACCOUNT_ID]);
      } finally {
        log.mockRestore();
      }
    } finally {
      await outage.end();
    }
    // Bounded: the SDK gave up after the interactive clients' 2 attempts.
    expect(result.unreachable).toEqual([{ region: PRIMARY, error: expect.stringMatching(/ECONNREFUSED/), attempts: INTERACTIVE_CLIENT.maxAttempts }]);
    expect(result.output).toMatch(/^PRIMARY REGION us-east-1 IS UNREACHABLE \(Error: connect ECONNREFUSED \S+; 2 attempts\): its databases, snapshots and RPO are unknown; below is what us-west-2 holds\.\n/);
    // The protected databases come from the DR copies (billing) and the config (orders: drilled, standby).
    expect(result.output).toMatch(/\n2 protected databases known from the config and us-west-2: 2 within objectives, 0 breaching\n/);
    expect(result.output).toMatch(/RPO us-east-1 \(60m\): unknown \(unreachable\) {3}RPO us-west-2 \(25h\): 0 breached/);
    expect(result.output).toMatch(/\nbilling\s+-\s+\d+s \/ 25h\s+-\s+\d+s\s+not drilled/);
    expect(result.output).toMatch(/\norders\s+-\s+\d+s \/ 25h\s+-\s+\d+s\s+PASS 60m ago\s+10m \/ 4h/);
    expect(result.output).toMatch(/\n {2}orders: replica orders-replica in us-west-2: available, read replica of /);
    expect(result.breached).toBe(false);
    // The CLI prints the same and exits 1: the status is incomplete.
    expect(code!).toBe(1);
    expect(printed.join('\n')).toMatch(/^PRIMARY REGION us-east-1 IS UNREACHABLE/);
    expect(printed.join('\n')).toMatch(/not every region could be read \(us-east-1\): the status is incomplete/);
    // Bounded: each listing gave up after the interactive clients' attempts, twice (status, then the CLI).
    const attempts = attemptsPerCommand(outage);
    expect(Object.keys(attempts).sort()).toEqual(['DescribeDBClusterSnapshotsCommand', 'DescribeDBClustersCommand', 'DescribeDBInstancesCommand', 'DescribeDBSnapshotsCommand']);
    for (const n of Object.values(attempts)) expect(n).toBeLessThanOrEqual(2 * INTERACTIVE_CLIENT.maxAttempts);
  }, 60_000);

  it('with the primary region taking connections and never answering, still finishes: each attempt ends at the request timeout', async () => {
    const outage = await aws.regionOutage(PRIMARY, 'unresponsive');
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run();
    } finally {
      await outage.end();
    }
    expect(result.unreachable).toEqual([{ region: PRIMARY, error: expect.stringMatching(/^TimeoutError: .*exceeded the configured 5000 ms requestTimeout/), attempts: INTERACTIVE_CLIENT.maxAttempts }]);
    expect(result.output).toMatch(/\norders\s+-\s+\d+s \/ 25h/);
    for (const n of Object.values(attemptsPerCommand(outage))) expect(n).toBeLessThanOrEqual(INTERACTIVE_CLIENT.maxAttempts);
  }, 60_000);

  it('with the DR region down: names it, still judges the primary region', async () => {
    const outage = await aws.regionOutage(DR);
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run();
    } finally {
      await outage.end();
    }
    expect(result.unreachable).toEqual([{ region: DR, error: expect.stringMatching(/ECONNREFUSED/), attempts: INTERACTIVE_CLIENT.maxAttempts }]);
    expect(result.output).toMatch(/^DR REGION us-west-2 IS UNREACHABLE \(.*\): its copies, drills and standbys are unknown\.\n/);
    expect(result.output).toMatch(/RPO us-east-1 \(60m\): 0 breached {3}RPO us-west-2 \(25h\): unknown \(unreachable\)/);
    expect(result.output).toMatch(/\nbilling\s+\d+s \/ 60m\s+-\s+\d+s\s+-/);
  }, 60_000);

  it('after the outage ends, reads both regions again', async () => {
    const result = await run();
    expect(result.unreachable).toEqual([]);
    expect(result.output).toMatch(/^2 protected databases: 2 within objectives, 0 breaching\n/);
  });
});
