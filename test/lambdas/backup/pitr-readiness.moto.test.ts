// The PITR readiness check of a 300-database run on moto: the run's plan read from the work bucket,
// the RDS requests counted per region (they grow with pages of 100, not with databases, and are
// paced), the full shortfall list written beside the plan, and an output and warning that stay small.
import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPitrReadiness } from '../../../lambdas/backup/check-pitr.js';
import { readPitrRequest } from '../../../lambdas/backup/check-pitr-input.js';
import { RdsPitrGateway } from '../../../lambdas/aws/pitr-gateway.js';
import { S3RunDataStore } from '../../../lambdas/aws/s3-run-data.js';
import type { Alert } from '../../../lambdas/core/alert.js';
import { RequestPacer } from '../../../lambdas/core/pacer.js';
import type { PitrCheckOutput, PitrReport } from '../../../lambdas/core/pitr-report.js';
import { motoClientConfig, startMoto, type Moto } from '../../local/moto.js';
import { virtualClock } from '../core/virtual-clock.js';

const P = 'us-east-1';
const DR = 'us-west-2';
const INSTANCES = 220;
const CLUSTERS = 80;
const BUCKET = 'rds-dr-work-us-east-1-5e1f0c2a';
const PREFIX = 'runs/backup/2026-11-22/exec-300/';
const PLAN_KEY = `${PREFIX}plan.json`;

/** Retention by position: every 20th instance off, every 4th short; every 5th cluster short. */
const instanceRetention = (i: number) => (i % 20 === 1 ? 0 : i % 4 === 0 ? 1 : 7);
const clusterRetention = (i: number) => (i % 5 === 0 ? 1 : 7);
/** Instances whose config asks for replication to the DR region (none has it: moto cannot replicate). */
const REPLICATED = Array.from({ length: 20 }, (_, i) => `inst-${i * 10 + 2}`);

interface Request {
  region: string;
  command: string;
  input: Record<string, unknown>;
  /** Turns the region's pacer had granted when the request went out. */
  turnsGranted: number;
}

/** A pacer that counts the turns it grants. */
class CountingPacer extends RequestPacer {
  granted = 0;
  override async turn(): Promise<void> {
    await super.turn();
    this.granted++;
  }
}

/** Every RDS request that reaches the wire (retries included), with its region's pacer turns so far. */
function counted(client: RDSClient, region: string, log: Request[], pacer: CountingPacer): RDSClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      log.push({ region, command: context.commandName ?? '?', input: { ...(args.input as object) }, turnsGranted: pacer.granted });
      return next(args);
    },
    { step: 'deserialize', name: 'countRdsRequests' },
  );
  return client;
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe('PITR readiness of 300 databases on moto', () => {
  let moto: Moto;
  let s3: S3Client;
  const requests: Request[] = [];
  const published: Alert[] = [];
  // One virtual clock per region: pacing is checked without waiting.
  const clocks = { primary: virtualClock(), dr: virtualClock() };
  let out: PitrCheckOutput;

  beforeAll(async () => {
    // Each new instance makes one automated snapshot, which moto counts against the snapshot quota.
    moto = await startMoto({ env: { MOTO_RDS_SNAPSHOT_LIMIT: '10000' } });
    const setup = { primary: new RDSClient(motoClientConfig(moto, P)), dr: new RDSClient(motoClientConfig(moto, DR)) };
    s3 = new S3Client({ ...motoClientConfig(moto, P), forcePathStyle: true });
    const instance = (rds: RDSClient, id: string, retention: number) =>
      rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'local-only-password', BackupRetentionPeriod: retention }));
    const plan: unknown[] = [];
    await inBatches([...Array(INSTANCES).keys()], 10, async (i) => {
      const out = await instance(setup.primary, `inst-${i}`, instanceRetention(i));
      plan[i] = { id: `inst-${i}`, arn: out.DBInstance!.DBInstanceArn, kind: 'instance', engine: 'postgres', snapshotId: `rdsdr-inst-${i}-202611220200`, tags: [] };
    });
    await inBatches([...Array(CLUSTERS).keys()], 10, async (i) => {
      const out = await setup.primary.send(
        new CreateDBClusterCommand({ DBClusterIdentifier: `clu-${i}`, Engine: 'aurora-postgresql', MasterUsername: 'app', MasterUserPassword: 'local-only-password', BackupRetentionPeriod: clusterRetention(i) }),
      );
      plan[INSTANCES + i] = { id: `clu-${i}`, arn: out.DBCluster!.DBClusterArn, kind: 'cluster', engine: 'aurora-postgresql' };
    });
    // DR-only leftovers: the DR region's own instances, one named like a source that asks for
    // replication. Their automated backups are listed there and must match no source.
    for (const id of [REPLICATED[0], 'dr-scratch-1', 'dr-scratch-2']) await instance(setup.dr, id, 7);

    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: PLAN_KEY, Body: JSON.stringify(plan) }));

    const pacers = { primary: new CountingPacer(2, clocks.primary), dr: new CountingPacer(2, clocks.dr) };
    const gateway = new RdsPitrGateway({
      primary: counted(new RDSClient(motoClientConfig(moto, P)), P, requests, pacers.primary),
      dr: counted(new RDSClient(motoClientConfig(moto, DR)), DR, requests, pacers.dr),
      drKmsKeyId: `arn:aws:kms:${DR}:123456789012:key/dr`,
      pacers,
    });
    const store = new S3RunDataStore(s3);
    const pitr = { minRetentionDays: 7, replicateToDr: true, enforce: false };
    const settings = {
      appName: 'rds-dr',
      primaryRegion: P,
      drRegion: DR,
      incident: { databases: Object.fromEntries(REPLICATED.map((id) => [id, { maxReplicaLagSeconds: 300, cutover: 'rename' as const, pitr }])), waitTimeoutSeconds: 60, pitrMinRetentionDays: 7 },
    };
    const request = await readPitrRequest({ policy: 'gold', executionArn: 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:exec-300', runData: { bucket: BUCKET, planKey: PLAN_KEY, prefix: PREFIX } }, store);
    out = await checkPitrReadiness(request, { settings, gateway, warnings: { publish: async (a) => (published.push(a), 'msg-1') }, store, log: { warn: () => undefined } });
  });
  afterAll(async () => moto?.stop());

  const expected = () => {
    const off = [...Array(INSTANCES).keys()].filter((i) => instanceRetention(i) === 0).length;
    const short = [...Array(INSTANCES).keys()].filter((i) => instanceRetention(i) === 1).length + [...Array(CLUSTERS).keys()].filter((i) => clusterRetention(i) === 1).length;
    return { off, short, notReplicated: REPLICATED.length };
  };

  it('asks RDS per page, not per database: 3 + 1 requests in the primary region and 1 in the DR region for 300 databases', () => {
    const count = (region: string, command: string) => requests.filter((r) => r.region === region && r.command === command).length;
    expect(count(P, 'DescribeDBInstancesCommand')).toBe(Math.ceil(INSTANCES / 100));
    // moto returns every cluster on one page (it ignores MaxRecords for DescribeDBClusters); RDS would need ceil(80 / 100) = 1 too.
    expect(count(P, 'DescribeDBClustersCommand')).toBe(1);
    expect(count(DR, 'DescribeDBInstanceAutomatedBackupsCommand')).toBe(1);
    expect(requests).toHaveLength(5);
    expect(requests.length).toBeLessThanOrEqual(15);
    // Listings, never a per-database lookup.
    expect(requests.every((r) => r.input.MaxRecords === 100 && r.input.DBInstanceIdentifier === undefined && r.input.DBClusterIdentifier === undefined)).toBe(true);
  });

  it('paces the requests: each one waits for its own turn, and a region\'s turns are 500 ms apart (2 per second)', () => {
    for (const region of [P, DR]) {
      const sent = requests.filter((r) => r.region === region);
      sent.forEach((r, i) => expect(r.turnsGranted, `${region} request ${i + 1} (${r.command})`).toBeGreaterThanOrEqual(i + 1));
    }
    // Primary: 4 requests, the first at once, then one turn every 500 virtual ms; DR: 1 request, no wait.
    expect(clocks.primary.wakes).toEqual([500, 1000, 1500]);
    expect(clocks.dr.wakes).toEqual([]);
  });

  it('writes the full shortfall list beside the plan and returns a small output that points at it', async () => {
    const { off, short, notReplicated } = expected();
    const total = off + short + notReplicated;
    expect(out).toMatchObject({ checked: 300, shortfallCount: total, started: [], startsDeferred: 0, reportKey: `${PREFIX}pitr.json`, warningId: 'msg-1' });
    expect(out.shortfalls).toHaveLength(50);
    expect(out.shortfalls.slice(0, off).every((s) => s.kind === 'backups-off')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(20_000);

    const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}pitr.json` }))).Body!.transformToString();
    const report = JSON.parse(body) as PitrReport;
    expect(report.checked).toBe(300);
    expect(report.shortfalls).toHaveLength(total);
    const kinds = (kind: string) => report.shortfalls.filter((s) => s.kind === kind).map((s) => s.db);
    expect(kinds('backups-off')).toHaveLength(off);
    expect(kinds('retention-short')).toHaveLength(short);
    // The DR instance named like a source is not that source's replication.
    expect(kinds('not-replicated').sort()).toEqual([...REPLICATED].sort());
    expect(kinds('not-found')).toEqual([]);
    expect(report.shortfalls.some((s) => s.db.startsWith('dr-scratch'))).toBe(false);
  });

  it('warns once, with counts by kind, a bounded detail and the full list\'s address', () => {
    const { off, short } = expected();
    expect(published).toHaveLength(1);
    const message = published[0].message;
    expect(message).toContain(`  ${off} automated backups off (backups-off)`);
    expect(message).toContain(`  ${short} retention below the minimum (retention-short)`);
    expect(message).toContain(`Full list: s3://${BUCKET}/${PREFIX}pitr.json`);
    expect(message.split('\n').length).toBeLessThanOrEqual(55);
  });
});
