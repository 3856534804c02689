import { RDSClient } from '@aws-sdk/client-rds';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTags, copyToDrRegion, planCopy } from '../../../lambdas/backup/copy.js';
import { type SnapshotInfo, type SnapshotReader, type CopyRequest, type SnapshotCopier } from '../../../lambdas/core/snapshots.js';
import { RdsSnapshotCopier } from '../../../lambdas/aws/rds-snapshots.js';
import { CopyAlreadyExistsError } from '../../../lambdas/core/errors.js';

const SOURCE = 'arn:aws:rds:us-east-1:123456789012:snapshot:rdsdr-orders-202611220200';
const request: CopyRequest = {
  kind: 'instance', sourceSnapshotArn: SOURCE, targetSnapshotId: 'rdsdr-orders-202611220200',
  kmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/k', tags: copyTags([{ Key: 'rds-dr:managed', Value: 'true' }], SOURCE),
};

/** In-memory fakes implementing the same interfaces as the SDK adapters. */
class ExistingCopy implements SnapshotCopier, SnapshotReader {
  constructor(private readonly existing?: Partial<SnapshotInfo>) {}
  async startCopy(): Promise<{ arn: string; status: string }> {
    if (this.existing) throw new CopyAlreadyExistsError('exists');
    return { arn: 'arn:new', status: 'pending' };
  }
  async describe(): Promise<SnapshotInfo | undefined> {
    return this.existing && ({ id: 'x', arn: 'arn:existing', kind: 'instance', status: 'copying', sourceDbId: 'orders', encrypted: true, tags: [], ...this.existing } as SnapshotInfo);
  }
}

describe('copyToDrRegion', () => {
  it('starts a copy', async () => {
    const fake = new ExistingCopy();
    expect(await copyToDrRegion(request, 'us-west-2', fake, fake)).toEqual({
      snapshotId: 'rdsdr-orders-202611220200', region: 'us-west-2', arn: 'arn:new', status: 'pending', started: true, warnings: [],
    });
  });

  it('accepts an existing copy of the same source (a retried run)', async () => {
    const fake = new ExistingCopy({ tags: [{ Key: 'rds-dr:copy-of', Value: SOURCE }] });
    expect(await copyToDrRegion(request, 'us-west-2', fake, fake)).toMatchObject({ arn: 'arn:existing', started: false });
  });

  it('refuses an existing snapshot with our name that is not a copy of this source', async () => {
    const fake = new ExistingCopy({ tags: [{ Key: 'rds-dr:copy-of', Value: 'arn:other' }] });
    await expect(copyToDrRegion(request, 'us-west-2', fake, fake)).rejects.toThrow(expect.objectContaining({ name: 'rds-dr.SnapshotConflict' }));
  });

  it('carries the source tags and marks what it is a copy of', () => {
    expect(copyTags([{ Key: 'a', Value: '1' }, { Key: 'rds-dr:copy-of', Value: 'stale' }], SOURCE)).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'rds-dr:copy-of', Value: SOURCE },
    ]);
  });
});

describe('planCopy', () => {
  const CLUSTER_SOURCE = 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rdsdr-ledger-202611220200';
  const clusterRequest: CopyRequest = { ...request, kind: 'cluster', sourceSnapshotArn: CLUSTER_SOURCE, targetSnapshotId: 'rdsdr-ledger-202611220200' };
  const source = (over: Partial<SnapshotInfo>): SnapshotInfo => ({ id: 's', arn: 'a', kind: 'instance', status: 'available', sourceDbId: 'db', encrypted: true, tags: [], ...over });

  it('copies an unencrypted cluster snapshot without the DR key (RDS refuses one) and warns that the copy is not encrypted', () => {
    const { req, warnings } = planCopy(clusterRequest, source({ kind: 'cluster', encrypted: false }));
    expect(req).not.toHaveProperty('kmsKeyId');
    expect(warnings).toEqual([expect.stringMatching(/^DR copy rdsdr-ledger-202611220200 is NOT encrypted: source cluster snapshot .* is unencrypted/)]);
  });

  it('keeps the DR key for an encrypted cluster snapshot and for an unencrypted instance snapshot (CopyDBSnapshot encrypts it)', () => {
    expect(planCopy(clusterRequest, source({ kind: 'cluster', encrypted: true }))).toEqual({ req: clusterRequest, warnings: [] });
    expect(planCopy(request, source({ encrypted: false }))).toEqual({ req: request, warnings: [] });
  });

  it('names the configured DR option group for a source snapshot in a mapped option group (TDE), and none otherwise', () => {
    const groups = { 'oracle-tde-prod': 'oracle-tde-dr' };
    expect(planCopy(request, source({ optionGroupName: 'oracle-tde-prod' }), groups).req.optionGroupName).toBe('oracle-tde-dr');
    expect(planCopy(request, source({ optionGroupName: 'default:postgres-16' }), groups).req).not.toHaveProperty('optionGroupName');
    expect(planCopy(request, source({}), groups).req).not.toHaveProperty('optionGroupName');
  });
});

describe('RdsSnapshotCopier request on the wire', () => {
  let server: Server;
  let endpoint = '';
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(body);
        res.setHeader('content-type', 'text/xml');
        res.end(
          '<CopyDBSnapshotResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><CopyDBSnapshotResult><DBSnapshot>' +
            '<DBSnapshotIdentifier>rdsdr-orders-202611220200</DBSnapshotIdentifier>' +
            '<DBSnapshotArn>arn:aws:rds:us-west-2:123456789012:snapshot:rdsdr-orders-202611220200</DBSnapshotArn><Status>pending</Status>' +
            '</DBSnapshot></CopyDBSnapshotResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CopyDBSnapshotResponse>',
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    endpoint = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('is sent to the DR region with the KMS key and a PreSignedUrl signed for the source region', async () => {
    const client = new RDSClient({ region: 'us-west-2', endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    const out = await new RdsSnapshotCopier(client).startCopy(request);
    expect(out).toEqual({ arn: 'arn:aws:rds:us-west-2:123456789012:snapshot:rdsdr-orders-202611220200', status: 'pending' });
    const params = new URLSearchParams(bodies.at(-1));
    expect(params.get('Action')).toBe('CopyDBSnapshot');
    expect(params.get('SourceDBSnapshotIdentifier')).toBe(SOURCE);
    expect(params.get('KmsKeyId')).toBe(request.kmsKeyId);
    expect(params.get('Tags.Tag.2.Key') ?? params.get('Tags.member.2.Key')).toBe('rds-dr:copy-of');
    const presigned = new URL(params.get('PreSignedUrl') ?? 'http://missing');
    expect(presigned.hostname).toBe('rds.us-east-1.amazonaws.com');
    expect(presigned.searchParams.get('Action')).toBe('CopyDBSnapshot');
    expect(presigned.searchParams.get('DestinationRegion')).toBe('us-west-2');
    expect(presigned.searchParams.get('KmsKeyId')).toBe(request.kmsKeyId);
    expect(presigned.searchParams.get('X-Amz-Credential')).toMatch(/\/us-east-1\/rds\/aws4_request$/);
    expect(presigned.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
