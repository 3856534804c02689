// Where one deployment of the prune workflow runs and what it looks at. The primary region's
// deployment plans both regions (the primary's snapshots and their DR copies); the DR region's plans
// the DR region alone (the snapshots its backup took of failed-over databases: core/retention/ownership.ts).
// The same Lambdas and ASL serve both: only this route differs.
import type { PruneRole } from '../core/retention/ownership.js';
import type { RuntimeSettings } from '../core/settings.js';

export interface PruneRoute {
  role: PruneRole;
  /** Where this deployment runs: its work bucket, its metrics. */
  homeRegion: string;
  /** The regions it inventories, and reports the manual-snapshot quota of. */
  regions: string[];
}

export function pruneRoute(settings: Pick<RuntimeSettings, 'pruneRole' | 'primaryRegion' | 'drRegion'>): PruneRoute {
  if (settings.pruneRole === 'dr') return { role: 'dr', homeRegion: settings.drRegion, regions: [settings.drRegion] };
  return { role: 'primary', homeRegion: settings.primaryRegion, regions: [settings.primaryRegion, settings.drRegion] };
}
