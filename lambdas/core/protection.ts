// Is a database protected by this deployment? One decision for every caller: the incident workflows
// (failover, restore) and the RDS event notifier. Listed in a policy's selection (or, for the
// notifier, in incident.databases) needs no AWS call; tag selection needs the database's tags.
import { selectDatabases, selectedByTags } from './selection.js';
import type { DbClusterInfo, DbInstanceInfo } from './fleet.js';
import type { SettingsWith } from './settings.js';
import type { Tag } from './snapshots.js';

type Kind = 'instance' | 'cluster';

export type Protection =
  | { protected: true; how: string }
  | { protected: false; how: string }
  /** Only tag selection could protect it: the primary region's fleet must be read to know. */
  | { protected: 'needs-fleet' };

/** The policy whose selection lists the identifier, if any. */
function listingPolicy(settings: Pick<SettingsWith<'policies'>, 'policies'>, id: string, kind: Kind): string | undefined {
  return Object.entries(settings.policies).find(([, p]) => (kind === 'instance' ? p.selection.instances : p.selection.clusters).includes(id))?.[0];
}

const anyTagSelection = (settings: Pick<SettingsWith<'policies'>, 'policies'>) => Object.values(settings.policies).some((p) => Object.keys(p.selection.tags).length > 0);

/** Protected without any AWS call when a policy lists the identifier; otherwise tag policies need the fleet. */
export function protectionByConfig(db: string, kind: Kind, settings: SettingsWith<'policies'>): Protection {
  const listing = listingPolicy(settings, db, kind);
  if (listing) return { protected: true, how: `listed in policy ${listing} selection.${kind === 'instance' ? 'instances' : 'clusters'}` };
  if (anyTagSelection(settings)) return { protected: 'needs-fleet' };
  return { protected: false, how: 'no policy lists it and no policy selects by tags' };
}

/** Tag selection, with the backup workflow's own selection logic over the primary region's fleet. */
export function protectionByFleet(db: string, kind: Kind, settings: SettingsWith<'policies'>, fleet: { instances: DbInstanceInfo[]; clusters: DbClusterInfo[] }): { protected: boolean; how: string } {
  for (const [name, policy] of Object.entries(settings.policies)) {
    if (selectDatabases(fleet, policy).selected.some((s) => s.id === db && s.kind === kind)) return { protected: true, how: `selected by the tags of policy ${name}` };
  }
  return { protected: false, how: 'no policy lists it and none of the policies\' tags select it in the primary region' };
}

export interface TagReader {
  /** Tags of the resource, or undefined when it cannot be read (deleted, no access). */
  tagsOf(arn: string): Promise<Tag[] | undefined>;
}

/** Protected by name (a policy's instances/clusters, or incident.databases) without any API call. */
export function protectedByName(settings: Pick<SettingsWith<'policies'>, 'policies' | 'incident'>, id: string, kind: Kind): string | undefined {
  const listing = listingPolicy(settings, id, kind);
  if (listing) return `policy ${listing} (listed)`;
  if (settings.incident?.databases[id]) return 'incident.databases';
  return undefined;
}

/** Protected by a policy's tag selection (all of its tags present). */
export function protectedByTags(settings: Pick<SettingsWith<'policies'>, 'policies'>, tags: Tag[]): string | undefined {
  const name = Object.entries(settings.policies).find(([, p]) => selectedByTags(tags, p.selection.tags))?.[0];
  return name === undefined ? undefined : `policy ${name} (tags)`;
}

/** Why the source is protected (for an RDS event), or undefined. Reads tags only when no name matches and some policy selects by tag. */
export async function protectionOf(
  settings: Pick<SettingsWith<'policies'>, 'policies' | 'incident'>,
  source: { id: string; arn?: string; kind: Kind },
  reader: TagReader,
): Promise<string | undefined> {
  const byName = protectedByName(settings, source.id, source.kind);
  if (byName) return byName;
  if (!anyTagSelection(settings) || !source.arn) return undefined;
  const tags = await reader.tagsOf(source.arn);
  return tags ? protectedByTags(settings, tags) : undefined;
}
