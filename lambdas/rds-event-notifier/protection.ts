// Is the database an RDS instance/cluster event is about protected by this deployment? Snapshot events
// are narrowed by the rule (rdsdr- snapshot names); instance and cluster events are decided here.
import type { Tag } from '../shared/rds-mapping.js';
import type { RuntimeSettings } from '../shared/settings.js';

export interface TagReader {
  /** Tags of the resource, or undefined when it cannot be read (deleted, no access). */
  tagsOf(arn: string): Promise<Tag[] | undefined>;
}

/** Protected by name (a policy's instances/clusters, or incident.databases) without any API call. */
export function protectedByName(settings: Pick<RuntimeSettings, 'policies' | 'incident'>, id: string, kind: 'instance' | 'cluster'): string | undefined {
  for (const [name, p] of Object.entries(settings.policies)) {
    if ((kind === 'instance' ? p.selection.instances : p.selection.clusters).includes(id)) return `policy ${name} (listed)`;
  }
  if (settings.incident?.databases[id]) return 'incident.databases';
  return undefined;
}

/** Protected by a policy's tag selection (all of its tags present). */
export function protectedByTags(settings: Pick<RuntimeSettings, 'policies'>, tags: Tag[]): string | undefined {
  for (const [name, p] of Object.entries(settings.policies)) {
    const wanted = Object.entries(p.selection.tags);
    if (wanted.length > 0 && wanted.every(([k, v]) => tags.some((t) => t.Key === k && t.Value === v))) return `policy ${name} (tags)`;
  }
  return undefined;
}

/** Why the source is protected, or undefined. Reads tags only when no name matches and some policy selects by tag. */
export async function protectionOf(
  settings: Pick<RuntimeSettings, 'policies' | 'incident'>,
  source: { id: string; arn?: string; kind: 'instance' | 'cluster' },
  reader: TagReader,
): Promise<string | undefined> {
  const byName = protectedByName(settings, source.id, source.kind);
  if (byName) return byName;
  const anyTagSelection = Object.values(settings.policies).some((p) => Object.keys(p.selection.tags).length > 0);
  if (!anyTagSelection || !source.arn) return undefined;
  const tags = await reader.tagsOf(source.arn);
  return tags ? protectedByTags(settings, tags) : undefined;
}
