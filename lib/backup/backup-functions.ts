import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';

/** Where the backup functions keep run data and leases: names for their settings. */
export interface BackupResources {
  /** The coordination table (copy slots, work claims). */
  readonly coordinationTable: string;
  /** The work bucket (plans, Distributed Map results, full reports). */
  readonly workBucket: string;
  /** Which deployment: the primary region's, or the DR region's for failed-over databases. */
  readonly role: 'primary' | 'dr';
}

/** The Lambdas the backup state machine calls (see state-machines/backup.asl.json). */
export class BackupFunctions extends Construct {
  readonly discoverDatabases: NodejsFunction;
  readonly advanceBatch: NodejsFunction;
  readonly backupReport: NodejsFunction;
  readonly checkPitrReadiness: NodejsFunction;

  constructor(scope: Construct, id: string, config: RdsDrConfig, resources: BackupResources) {
    super(scope, id);
    const { role, ...names } = resources;
    const common = { config, ...names, backupRole: role };
    this.discoverDatabases = createRdsDrFunction(this, 'DiscoverDatabases', {
      name: 'discover-databases',
      ...common,
      description: 'rds-dr: validates the backup input, lists the databases a policy protects and writes the plan to S3',
      // Paginates DescribeDBInstances/DescribeDBClusters over the whole region.
      timeout: Duration.seconds(120),
    });
    this.advanceBatch = createRdsDrFunction(this, 'AdvanceBackupBatch', {
      name: 'advance-backup-batch',
      ...common,
      description: 'rds-dr: one poll turn of a batch of databases: snapshots, copy slots, DR copies',
      // A turn's paced writes stop after ~45 s (lambdas/backup/advance-batch.ts); Describes and slot calls on top.
      timeout: Duration.minutes(3),
    });
    this.backupReport = createRdsDrFunction(this, 'BackupReport', {
      name: 'backup-report',
      ...common,
      description: 'rds-dr: gathers a backup run\'s outcomes from S3, keeps the full report there and decides whether it failed',
      timeout: Duration.minutes(2),
      memorySize: 512,
    });
    this.checkPitrReadiness = createRdsDrFunction(this, 'CheckPitrReadiness', {
      name: 'check-pitr-readiness',
      ...common,
      description: 'rds-dr: checks automated-backup retention and DR replication (PITR readiness) of the databases a backup run protects',
      // Paged listings at 2 requests/s per region, and at most 50 paced replication starts.
      timeout: Duration.minutes(5),
    });
  }

  get all(): NodejsFunction[] {
    return [this.discoverDatabases, this.advanceBatch, this.backupReport, this.checkPitrReadiness];
  }
}
