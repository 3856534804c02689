// Automated backups (point-in-time restore), including the ones replicated into another region.
//
// DescribeDBInstanceAutomatedBackups' DBInstanceIdentifier "must match the identifier of an existing
// DB instance" (RDS API reference): in the DR region no instance of that name exists, so replicated
// backups are found by listing the region's automated backups and matching the source instead.
import { DescribeDBInstanceAutomatedBackupsCommand, paginateDescribeDBInstanceAutomatedBackups, type DBInstanceAutomatedBackup, type RDSClient } from '@aws-sdk/client-rds';
import type { RequestPacer } from '../core/request-pacer.js';
import { orUndefined } from './rds-not-found.js';
import { pacedBy } from './rds-pacing.js';

/** How to recognise a source instance's backups: its identifier, ARN or DbiResourceId (any that is known). */
export interface BackupSource {
  id?: string;
  arn?: string;
  dbiResourceId?: string;
}

export function isBackupOf(b: DBInstanceAutomatedBackup, source: BackupSource): boolean {
  return (
    (source.arn !== undefined && b.DBInstanceArn === source.arn) ||
    (source.dbiResourceId !== undefined && b.DbiResourceId === source.dbiResourceId) ||
    (source.id !== undefined && (b.DBInstanceIdentifier === source.id || (b.DBInstanceArn?.endsWith(`:db:${source.id}`) ?? false)))
  );
}

/** Every automated backup the region holds (its own instances' and the replicated ones), paginated; each request waits for `pacer` if given. */
export async function listAutomatedBackups(rds: RDSClient, pacer?: RequestPacer): Promise<DBInstanceAutomatedBackup[]> {
  const out: DBInstanceAutomatedBackup[] = [];
  for await (const page of paginateDescribeDBInstanceAutomatedBackups({ client: rds, pageSize: 100, withCommand: pacedBy(pacer) }, {})) out.push(...(page.DBInstanceAutomatedBackups ?? []));
  return out;
}

/** The region's first automated backup of `source` that `accept`s, or undefined. Works in any region. */
export async function findAutomatedBackup(rds: RDSClient, source: BackupSource, accept: (b: DBInstanceAutomatedBackup) => boolean = () => true): Promise<DBInstanceAutomatedBackup | undefined> {
  for await (const page of paginateDescribeDBInstanceAutomatedBackups({ client: rds }, {})) {
    const found = (page.DBInstanceAutomatedBackups ?? []).find((b) => isBackupOf(b, source) && accept(b));
    if (found) return found;
  }
  return undefined;
}

/** The automated backups of an instance that exists in this region (the identifier names it). */
export async function automatedBackupOfLiveInstance(rds: RDSClient, instanceId: string): Promise<DBInstanceAutomatedBackup | undefined> {
  return (await orUndefined(rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: instanceId }))))?.DBInstanceAutomatedBackups?.[0];
}
