import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { createRdsDrFunction } from '../platform/rds-dr-function.js';

/** The Lambdas the backup state machine calls (see state-machines/backup.asl.json). */
export class BackupFunctions extends Construct {
  readonly discoverDatabases: NodejsFunction;
  readonly snapshotStatus: NodejsFunction;
  readonly copySnapshot: NodejsFunction;
  readonly backupReport: NodejsFunction;
  readonly checkPitrReadiness: NodejsFunction;

  /** `coordinationTable`: the name of the table copy slots and work claims are kept in (settings `coordinationTable`). */
  constructor(scope: Construct, id: string, config: RdsDrConfig, coordinationTable?: string) {
    super(scope, id);
    this.discoverDatabases = createRdsDrFunction(this, 'DiscoverDatabases', {
      name: 'discover-databases',
      config,
      coordinationTable,
      description: 'rds-dr: validates the backup input and lists the databases a policy protects',
      // Paginates DescribeDBInstances/DescribeDBClusters over the whole region.
      timeout: Duration.seconds(120),
    });
    this.snapshotStatus = createRdsDrFunction(this, 'SnapshotStatus', {
      name: 'snapshot-status',
      config,
      coordinationTable,
      description: 'rds-dr: reports whether a snapshot or its DR copy is available, and the next poll interval',
    });
    this.copySnapshot = createRdsDrFunction(this, 'CopySnapshot', {
      name: 'copy-snapshot',
      config,
      coordinationTable,
      description: 'rds-dr: starts the encrypted cross-region copy of a snapshot to the DR region',
    });
    this.backupReport = createRdsDrFunction(this, 'BackupReport', {
      name: 'backup-report',
      config,
      coordinationTable,
      description: 'rds-dr: summarises a backup run and decides whether it failed',
    });
    this.checkPitrReadiness = createRdsDrFunction(this, 'CheckPitrReadiness', {
      name: 'check-pitr-readiness',
      config,
      coordinationTable,
      description: 'rds-dr: checks automated-backup retention and DR replication (PITR readiness) of the databases a backup run protects',
      // One database at a time, two regions each.
      timeout: Duration.minutes(5),
    });
  }

  get all(): NodejsFunction[] {
    return [this.discoverDatabases, this.snapshotStatus, this.copySnapshot, this.backupReport, this.checkPitrReadiness];
  }
}
