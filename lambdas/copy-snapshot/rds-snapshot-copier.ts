import { CopyDBClusterSnapshotCommand, CopyDBSnapshotCommand, type RDSClient } from '@aws-sdk/client-rds';
import { CopyAlreadyExistsError, type CopyRequest, type SnapshotCopier } from './copy.js';

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
