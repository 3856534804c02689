import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RdsDrConfig } from '../config/schema.js';
import { DrSnapshotKey } from '../dr/dr-snapshot-key.js';
import { hasRestoreDrills, RestoreDrills } from '../verify/restore-drills.js';

export interface DrStackProps extends StackProps {
  readonly config: RdsDrConfig;
}

/** True when the app needs a stack in the DR region. */
export const needsDrStack = (config: RdsDrConfig): boolean => !config.drKmsKeyArn || hasRestoreDrills(config);

/**
 * Resources in the DR region: the key for snapshot copies (unless config.drKmsKeyArn names one)
 * and, when a policy has `verify`, the restore drills that prove those copies restore.
 */
export class DrStack extends Stack {
  readonly snapshotKey?: DrSnapshotKey;
  readonly restoreDrills?: RestoreDrills;

  constructor(scope: Construct, id: string, props: DrStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (!config.drKmsKeyArn) this.snapshotKey = new DrSnapshotKey(this, 'SnapshotKey', config);
    if (hasRestoreDrills(config)) {
      this.restoreDrills = new RestoreDrills(this, 'RestoreDrills', {
        config,
        drKeyArn: config.drKmsKeyArn ?? this.snapshotKey!.key.keyArn,
      });
    }
  }
}
