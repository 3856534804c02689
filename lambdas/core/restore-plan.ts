// What an incident restore is (the plan its first state builds) and the two small ports it reads and
// writes RDS through (lambdas/aws/rds-restore-source.ts, lambdas/aws/rds-restore-gateway.ts).
import type { RestoredDatabase } from './restore-poll.js';
import type { DatabaseChecksSettings } from './settings.js';

export interface RestoreWindow {
  earliest?: string;
  latest?: string;
}

/** What the source database (or, in the DR region, its stand-in) contributes to the restore. */
export interface SourceFacts {
  kind: 'instance' | 'cluster';
  arn: string;
  engine: string;
  instanceClass?: string;
  subnetGroup?: string;
  securityGroupIds: string[];
  parameterGroup?: string;
  window?: RestoreWindow;
  /** Replicated automated backups (DR region): PITR restores from this ARN instead of the source id. */
  automatedBackupsArn?: string;
  /** Live source only: whether RDS manages its master password in Secrets Manager. */
  managesMasterPassword?: boolean;
}

/** The settings that protect a database and that the restored one must take over from the original. */
export interface DatabaseSettings {
  deletionProtection?: boolean;
  /** Instances only (an Aurora cluster's availability is its instances'). */
  multiAz?: boolean;
  backupRetentionPeriod?: number;
  preferredBackupWindow?: string;
  parameterGroup?: string;
  /** Instances only. */
  optionGroup?: string;
  copyTagsToSnapshot?: boolean;
  /** Whether RDS manages the master password in Secrets Manager (MasterUserSecret). */
  managesMasterPassword: boolean;
  masterSecretKmsKeyId?: string;
}

export interface RestorePlan {
  db: string;
  kind: 'instance' | 'cluster';
  region: string;
  targetId: string;
  /** Aurora: the writer instance added to the restored cluster. */
  memberId?: string;
  mode: 'pitr' | 'snapshot';
  sourceArn: string;
  automatedBackupsArn?: string;
  restoreTime?: string;
  useLatest?: boolean;
  snapshotArn?: string;
  snapshotId?: string;
  engine: string;
  instanceClass?: string;
  subnetGroup?: string;
  securityGroupIds: string[];
  parameterGroup?: string;
  /** When the restored data is from: the restore time, or the snapshot's capture time. */
  dataAsOf: string;
  verify: boolean;
  checks?: DatabaseChecksSettings;
  cutover?: 'rename' | 'endpoint';
  /** Rename cutover: what the replaced database is renamed to. */
  replacedId?: string;
  /** Why (console input); '' when not given. */
  reason: string;
  executionArn: string;
  timeoutSeconds: number;
}

export interface RestoreSourceGateway {
  /** The live instance or cluster `db` in this region, or undefined. */
  describeSource(db: string, now: Date): Promise<SourceFacts | undefined>;
  /** Replicated automated backups of instance `db` in this region (cross-region PITR), or undefined. */
  describeReplicatedBackups(db: string): Promise<SourceFacts | undefined>;
  /** Network and parameter settings of another database here (the DR standby), to restore next to it. */
  describeInstance(id: string): Promise<SourceFacts | undefined>;
  /** Whether an instance or cluster with this identifier exists here. */
  identifierInUse(id: string): Promise<boolean>;
}

export interface ExistingTarget {
  tags: Record<string, string>;
  /** Aurora: whether the writer instance exists yet. */
  memberExists?: boolean;
  /** Aurora: the cluster's status (its writer can be added only once it is `available`). */
  status?: string;
}

export interface RestoreGateway {
  findTarget(plan: RestorePlan): Promise<ExistingTarget | undefined>;
  restore(plan: RestorePlan, tags: Record<string, string>): Promise<void>;
  addClusterMember(plan: RestorePlan, tags: Record<string, string>): Promise<void>;
  read(plan: RestorePlan): Promise<RestoredDatabase | undefined>;
}
