import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

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
