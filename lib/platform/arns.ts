import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

// Partition is fixed to "aws": regions are validated against the commercial list
// (lib/config/regions.ts), and literal ARNs keep IAM policies readable in the template.

/** Prefix of every snapshot the workflow creates or copies; IAM write access is limited to it. */
export const SNAPSHOT_PREFIX = 'rdsdr-';

// Throwaway restore-drill ids start with VERIFY_PREFIX and carry PURPOSE_TAG=verification; IAM
// restore/modify/delete access is limited to both. One definition, shared with the Lambdas.
export { PURPOSE_TAG, VERIFY_PREFIX } from '../../lambdas/drill/drill-plan.js';

export type RdsResourceType = 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot' | 'subgrp' | 'og' | 'pg' | 'cluster-pg' | 'auto-backup';

export function rdsArn(scope: Construct, region: string, type: RdsResourceType, name: string): string {
  return `arn:aws:rds:${region}:${Stack.of(scope).account}:${type}:${name}`;
}

export function kmsKeyArn(scope: Construct, region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${Stack.of(scope).account}:key/${keyId}`;
}

export function secretArn(scope: Construct, region: string, name: string): string {
  return `arn:aws:secretsmanager:${region}:${Stack.of(scope).account}:secret:${name}`;
}
