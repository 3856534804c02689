import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RdsDrConfig } from '../config/schema.js';
import { DrSnapshotKey } from '../dr/dr-snapshot-key.js';

export interface DrStackProps extends StackProps {
  readonly config: RdsDrConfig;
}

/** Resources in the DR region: the key for snapshot copies (only when no drKmsKeyArn is configured). */
export class DrStack extends Stack {
  readonly snapshotKey: DrSnapshotKey;

  constructor(scope: Construct, id: string, props: DrStackProps) {
    super(scope, id, props);
    this.snapshotKey = new DrSnapshotKey(this, 'SnapshotKey', props.config);
  }
}
