import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { activeRegionPath } from '../../lambdas/core/active-region.js';

// Partition is fixed to "aws": regions are validated against the commercial list
// (lib/platform/config/regions.ts), and literal ARNs keep IAM policies readable in the template.

// IAM write access is limited to SNAPSHOT_PREFIX snapshots, and restore/modify/delete of throwaway
// drill databases to THROWAWAY_PREFIX ids carrying TAG.purpose: the Lambdas' own definitions (core/naming.ts).

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

/**
 * The active-region records (lambdas/core/active-region.ts) in `region`: `…:parameter/<app>/active-region/*`
 * for reading or writing records, or with `path: true` the path itself (GetParametersByPath is authorized on it).
 */
export function activeRegionParameterArn(scope: Construct, config: { appName: string }, region: string, path = false): string {
  const hierarchy = activeRegionPath(config.appName).replace(/^\//, '');
  return `arn:aws:ssm:${region}:${Stack.of(scope).account}:parameter/${path ? hierarchy.replace(/\/$/, '') : `${hierarchy}*`}`;
}

/**
 * Describe{DB,DBCluster}Snapshots on the instance and cluster snapshots named `name` (default every one)
 * in `regions`. An unfiltered or identifier-filtered Describe is authorized against the type's "*": a name
 * pattern there denies it (Service Authorization Reference, Amazon RDS, DescribeDBSnapshots).
 */
export function describeSnapshotsStatement(scope: Construct, sid: string, regions: readonly string[], name = '*'): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots'],
    resources: regions.flatMap((region) => [rdsArn(scope, region, 'snapshot', name), rdsArn(scope, region, 'cluster-snapshot', name)]),
  });
}
