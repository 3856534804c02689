// Manual DB snapshots and cluster snapshots: describe one, list a region's, copy one across
// regions, delete one. SDK shapes are mapped here onto core/snapshots.ts's records.
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  type DBClusterSnapshot,
  type DBSnapshot,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { CopyAlreadyExistsError } from '../core/errors.js';
import { SNAPSHOT_PREFIX } from '../core/naming.js';
import type { RequestPacer } from '../core/request-pacer.js';
import type { CopyRequest, DescribedSnapshot, SnapshotCopier, SnapshotInfo, SnapshotKind, SnapshotReader, Tag } from '../core/snapshots.js';
import { awsClients } from './clients.js';
import { isRdsNotFound, orUndefined } from './rds-not-found.js';
import { pacedBy } from './rds-pacing.js';
import { tagsOf } from './rds-tags.js';

export function fromDbSnapshot(s: DBSnapshot): DescribedSnapshot {
  return {
    id: s.DBSnapshotIdentifier ?? '',
    arn: s.DBSnapshotArn ?? '',
    kind: 'instance',
    status: s.Status ?? 'unknown',
    sourceDbId: s.DBInstanceIdentifier ?? '',
    createdAt: s.SnapshotCreateTime?.toISOString(),
    originalCreatedAt: s.OriginalSnapshotCreateTime?.toISOString(),
    encrypted: s.Encrypted ?? false,
    kmsKeyId: s.KmsKeyId,
    optionGroupName: s.OptionGroupName,
    tags: tagsOf(s.TagList),
    engine: s.Engine ?? '',
  };
}

export function fromDbClusterSnapshot(s: DBClusterSnapshot): DescribedSnapshot {
  return {
    id: s.DBClusterSnapshotIdentifier ?? '',
    arn: s.DBClusterSnapshotArn ?? '',
    kind: 'cluster',
    status: s.Status ?? 'unknown',
    sourceDbId: s.DBClusterIdentifier ?? '',
    createdAt: s.SnapshotCreateTime?.toISOString(),
    encrypted: s.StorageEncrypted ?? false,
    kmsKeyId: s.KmsKeyId,
    tags: tagsOf(s.TagList),
    engine: s.Engine ?? '',
  };
}

/** SnapshotReader over DescribeDBSnapshots / DescribeDBClusterSnapshots, in any region. */
export class RdsSnapshotReader implements SnapshotReader {
  async describe(region: string, kind: SnapshotKind, id: string): Promise<DescribedSnapshot | undefined> {
    const rds = awsClients.rds(region);
    if (kind === 'cluster') {
      const s = (await orUndefined(rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }))))?.DBClusterSnapshots?.[0];
      return s && fromDbClusterSnapshot(s);
    }
    const s = (await orUndefined(rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }))))?.DBSnapshots?.[0];
    return s && fromDbSnapshot(s);
  }
}

/**
 * The snapshots with these identifiers in `region`, by identifier, filtered by identifier
 * ("db-snapshot-id", "db-cluster-snapshot-id": DescribeDBSnapshots / DescribeDBClusterSnapshots, RDS
 * API Reference): one request per 100, not one per snapshot. Absent ones are simply missing.
 */
export async function describeSnapshots(region: string, kind: SnapshotKind, ids: string[]): Promise<Map<string, SnapshotInfo>> {
  const client = awsClients.rds(region);
  const found = new Map<string, SnapshotInfo>();
  for (let i = 0; i < ids.length; i += 100) {
    const Values = ids.slice(i, i + 100);
    if (kind === 'cluster') {
      for await (const page of paginateDescribeDBClusterSnapshots({ client, pageSize: 100 }, { Filters: [{ Name: 'db-cluster-snapshot-id', Values }] })) {
        for (const s of page.DBClusterSnapshots ?? []) found.set(s.DBClusterSnapshotIdentifier ?? '', fromDbClusterSnapshot(s));
      }
    } else {
      for await (const page of paginateDescribeDBSnapshots({ client, pageSize: 100 }, { Filters: [{ Name: 'db-snapshot-id', Values }] })) {
        for (const s of page.DBSnapshots ?? []) found.set(s.DBSnapshotIdentifier ?? '', fromDbSnapshot(s));
      }
    }
  }
  return found;
}

/** CreateDBSnapshot / CreateDBClusterSnapshot; the SDK's error (e.g. DBSnapshotAlreadyExistsFault) is the caller's to judge. */
export async function createSnapshot(region: string, kind: SnapshotKind, dbId: string, snapshotId: string, tags: Tag[]): Promise<void> {
  const rds = awsClients.rds(region);
  if (kind === 'cluster') await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: dbId, DBClusterSnapshotIdentifier: snapshotId, Tags: tags }));
  else await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: dbId, DBSnapshotIdentifier: snapshotId, Tags: tags }));
}

/** Lists the region's manual snapshots (instance and cluster), paginated: rds-dr's, or all of them. */
export class RdsSnapshotCatalog {
  /** `pacer`: every request waits for it (a reader that must keep to its share of the RDS budget). */
  constructor(
    private readonly rds: RDSClient,
    private readonly pacer?: RequestPacer,
  ) {}

  /**
   * Instance and cluster snapshots are two independent listings of 100 a page (RDS has no filter by
   * tag or name prefix for them): both run at once, so the wall time is the longer of the two.
   */
  async list(which: 'rds-dr' | 'all' = 'rds-dr'): Promise<DescribedSnapshot[]> {
    const [instanceSnapshots, clusterSnapshots] = await Promise.all([this.instanceSnapshots(), this.clusterSnapshots()]);
    const out = [...instanceSnapshots, ...clusterSnapshots];
    return which === 'all' ? out : out.filter((s) => s.id.startsWith(SNAPSHOT_PREFIX));
  }

  private async instanceSnapshots(): Promise<DescribedSnapshot[]> {
    const out: DescribedSnapshot[] = [];
    for await (const page of paginateDescribeDBSnapshots({ client: this.rds, pageSize: 100, withCommand: pacedBy(this.pacer) }, { SnapshotType: 'manual' })) {
      out.push(...(page.DBSnapshots ?? []).map(fromDbSnapshot));
    }
    return out;
  }

  private async clusterSnapshots(): Promise<DescribedSnapshot[]> {
    const out: DescribedSnapshot[] = [];
    for await (const page of paginateDescribeDBClusterSnapshots({ client: this.rds, pageSize: 100, withCommand: pacedBy(this.pacer) }, { SnapshotType: 'manual' })) {
      out.push(...(page.DBClusterSnapshots ?? []).map(fromDbClusterSnapshot));
    }
    return out;
  }
}

const ALREADY_EXISTS = new Set(['DBSnapshotAlreadyExistsFault', 'DBClusterSnapshotAlreadyExistsFault']);

/**
 * Issues CopyDBSnapshot / CopyDBClusterSnapshot with a client in the DR region. The source is
 * given as an ARN in the primary region: from that, SDK v3's RDS middleware derives the source
 * region and signs the PreSignedUrl an encrypted cross-region copy requires (the current SDK
 * has no SourceRegion input; the ARN is what triggers it).
 */
export class RdsSnapshotCopier implements SnapshotCopier {
  constructor(private readonly drClient: RDSClient) {}

  async startCopy(req: CopyRequest): Promise<{ arn: string; status: string }> {
    const rds = this.drClient;
    try {
      if (req.kind === 'cluster') {
        const out = await rds.send(
          new CopyDBClusterSnapshotCommand({
            SourceDBClusterSnapshotIdentifier: req.sourceSnapshotArn,
            TargetDBClusterSnapshotIdentifier: req.targetSnapshotId,
            KmsKeyId: req.kmsKeyId,
            Tags: req.tags,
          }),
        );
        return { arn: out.DBClusterSnapshot?.DBClusterSnapshotArn ?? '', status: out.DBClusterSnapshot?.Status ?? 'unknown' };
      }
      const out = await rds.send(
        new CopyDBSnapshotCommand({
          SourceDBSnapshotIdentifier: req.sourceSnapshotArn,
          TargetDBSnapshotIdentifier: req.targetSnapshotId,
          KmsKeyId: req.kmsKeyId,
          OptionGroupName: req.optionGroupName,
          Tags: req.tags,
        }),
      );
      return { arn: out.DBSnapshot?.DBSnapshotArn ?? '', status: out.DBSnapshot?.Status ?? 'unknown' };
    } catch (err) {
      if (ALREADY_EXISTS.has((err as Error).name)) throw new CopyAlreadyExistsError((err as Error).message);
      throw err;
    }
  }
}

/** Deletes one snapshot; one that is already gone counts as deleted (a retried run). */
export async function deleteSnapshot(region: string, kind: SnapshotKind, id: string): Promise<'deleted' | 'already gone'> {
  const rds = awsClients.rds(region);
  try {
    if (kind === 'cluster') await rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }));
    else await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id }));
    return 'deleted';
  } catch (err) {
    if (isRdsNotFound(err)) return 'already gone';
    throw err;
  }
}
