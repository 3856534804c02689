// Where one deployment of the backup workflow snapshots and where it copies to. The primary
// region's deployment snapshots there and copies to the DR region with the DR key; the DR region's
// deployment snapshots the databases a failover made active there and copies them back to the
// primary region (ready for a failback), with the failback key. The same Lambdas, ASL and batch
// logic serve both: only this route differs.
import type { RuntimeSettings } from '../core/settings.js';

export interface BackupRoute {
  role: 'primary' | 'dr';
  /** Where this deployment runs: its databases, snapshots, work bucket and coordination table. */
  sourceRegion: string;
  /** Where its copies go. */
  copyRegion: string;
  copyKmsKeyId: string;
  /** DR option groups by source option group: only for copies into the DR region (config drOptionGroups). */
  copyOptionGroups: Record<string, string>;
  /** The region of the active-region records (always the DR region: the failover writes them where it runs). */
  recordsRegion: string;
}

/** Used when the settings name no failback key: the primary region's AWS managed RDS key, by alias name. */
export const DEFAULT_FAILBACK_KEY = 'alias/aws/rds';

export function backupRoute(settings: Pick<RuntimeSettings, 'backupRole' | 'primaryRegion' | 'drRegion' | 'drKmsKeyId' | 'failbackKmsKeyId' | 'drOptionGroups'>): BackupRoute {
  if (settings.backupRole === 'dr') {
    return { role: 'dr', sourceRegion: settings.drRegion, copyRegion: settings.primaryRegion, copyKmsKeyId: settings.failbackKmsKeyId ?? DEFAULT_FAILBACK_KEY, copyOptionGroups: {}, recordsRegion: settings.drRegion };
  }
  return { role: 'primary', sourceRegion: settings.primaryRegion, copyRegion: settings.drRegion, copyKmsKeyId: settings.drKmsKeyId, copyOptionGroups: settings.drOptionGroups ?? {}, recordsRegion: settings.drRegion };
}
