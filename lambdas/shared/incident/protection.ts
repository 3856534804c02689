// Whether a database is protected by this deployment, as the incident workflows decide it: listed
// in a policy's selection (no AWS call), or selected by a policy's tags over the primary fleet.
import { selectDatabases } from '../../discover-databases/select-databases.js';
import type { DbClusterInfo, DbInstanceInfo } from '../../discover-databases/fleet.js';
import type { RuntimeSettings } from '../settings.js';

export type Protection =
  | { protected: true; how: string }
  | { protected: false; how: string }
  /** Only tag selection could protect it: the primary region's fleet must be read to know. */
  | { protected: 'needs-fleet' };

/** Protected without any AWS call when a policy lists the identifier; otherwise tag policies need the fleet. */
export function protectionByConfig(db: string, kind: 'instance' | 'cluster', settings: RuntimeSettings): Protection {
  const policies = Object.entries(settings.policies);
  const listing = policies.find(([, p]) => (kind === 'instance' ? p.selection.instances : p.selection.clusters).includes(db));
  if (listing) return { protected: true, how: `listed in policy ${listing[0]} selection.${kind === 'instance' ? 'instances' : 'clusters'}` };
  if (policies.some(([, p]) => Object.keys(p.selection.tags).length > 0)) return { protected: 'needs-fleet' };
  return { protected: false, how: 'no policy lists it and no policy selects by tags' };
}

/** Tag selection, with the backup workflow's own selection logic over the primary region's fleet. */
export function protectionByFleet(db: string, kind: 'instance' | 'cluster', settings: RuntimeSettings, fleet: { instances: DbInstanceInfo[]; clusters: DbClusterInfo[] }): { protected: boolean; how: string } {
  for (const [name, policy] of Object.entries(settings.policies)) {
    if (selectDatabases(fleet, policy).selected.some((s) => s.id === db && s.kind === kind)) return { protected: true, how: `selected by the tags of policy ${name}` };
  }
  return { protected: false, how: 'no policy lists it and none of the policies\' tags select it in the primary region' };
}

