import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

// Partition is fixed to "aws": regions are validated against the commercial list
// (lib/config/regions.ts), and literal ARNs keep IAM policies readable in the template.

/** Prefix of every snapshot the workflow creates or copies; IAM write access is limited to it. */
export const SNAPSHOT_PREFIX = 'rdsdr-';

export type RdsResourceType = 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot';

export function rdsArn(scope: Construct, region: string, type: RdsResourceType, name: string): string {
  return `arn:aws:rds:${region}:${Stack.of(scope).account}:${type}:${name}`;
}

export function kmsKeyArn(scope: Construct, region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${Stack.of(scope).account}:key/${keyId}`;
}
