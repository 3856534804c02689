// Which of a policy's databases a region's backup protects, now that a failover can move one:
// each database is backed up where it is active (lambdas/core/active-region.ts). Pure.
import type { ActiveRegions } from './active-region.js';
import type { DbClusterInfo, DbInstanceInfo } from './fleet.js';
import { TAG } from './naming.js';
import { selectDatabases, selectedByTags, type Selection } from './selection.js';
import type { PolicySettings } from './settings.js';
import { tagValueOf } from './snapshots.js';

export interface ActiveSelection extends Selection {
  /** The policy's databases left to the other region's backup, because they are active there. */
  activeElsewhere: { id: string; region: string }[];
}

type Fleet = { instances: DbInstanceInfo[]; clusters: DbClusterInfo[] };

/**
 * The primary region's backup: the policy's selection there, without the databases whose record says
 * they are active in another region (failed over). A database the policy names that is gone from the
 * primary region because it is active elsewhere is not "missing"; neither is an empty selection when
 * records point elsewhere (the policy's databases may all have failed over).
 */
export function selectActiveInPrimary(fleet: Fleet, policy: PolicySettings, records: ActiveRegions, primaryRegion: string): ActiveSelection {
  const { selected, missing } = selectDatabases(fleet, policy);
  const away = (id: string) => {
    const region = records.get(id);
    return region !== undefined && region !== primaryRegion ? region : undefined;
  };
  const activeElsewhere = selected.flatMap((d) => (away(d.id) ? [{ id: d.id, region: away(d.id)! }] : []));
  const named = [...policy.selection.instances, ...policy.selection.clusters].filter((id) => away(id) && !activeElsewhere.some((a) => a.id === id));
  activeElsewhere.push(...named.map((id) => ({ id, region: away(id)! })));
  const anyAway = [...records.values()].some((r) => r !== primaryRegion);
  return {
    selected: selected.filter((d) => !away(d.id)),
    missing: missing.filter((m) => !away(m.id) && !(m.kind === 'selection' && anyAway)),
    activeElsewhere,
  };
}

/**
 * The DR region's backup: the databases a failover promoted here (tagged `rds-dr:failover-of=<db>`)
 * whose record says `<db>` is active in this region, and that the policy protects: it names `<db>`,
 * or the promoted database carries all the policy's tags (the failover copies them from the primary).
 * A database the policy names, recorded as active here, with no promoted database found is missing:
 * a failure, like a named database missing from the primary region. Nothing else in the region is
 * touched, and a policy with nothing active here selects nothing without failing.
 */
export function selectActiveInDr(fleet: Fleet, policy: PolicySettings, records: ActiveRegions, drRegion: string): ActiveSelection {
  const activeHere = (db: string | undefined): db is string => db !== undefined && records.get(db) === drRegion;
  const selected: Selection['selected'] = [];
  const found = new Set<string>();
  const candidates = [
    ...fleet.instances.filter((d) => !d.replicaSource && !d.clusterId).map((d) => ({ ...d, kind: 'instance' as const, named: policy.selection.instances })),
    ...fleet.clusters.filter((c) => !c.replicaSource).map((c) => ({ ...c, kind: 'cluster' as const, named: policy.selection.clusters })),
  ];
  for (const db of candidates) {
    const protectedDb = tagValueOf(db.tags, TAG.failoverOf);
    if (!activeHere(protectedDb)) continue;
    if (!db.named.includes(protectedDb) && !selectedByTags(db.tags, policy.selection.tags)) continue;
    found.add(protectedDb);
    selected.push({ id: db.id, arn: db.arn, kind: db.kind, engine: db.engine });
  }
  const missing = [...policy.selection.instances.map((id) => ({ id, kind: 'instance' as const })), ...policy.selection.clusters.map((id) => ({ id, kind: 'cluster' as const }))]
    .filter((n) => activeHere(n.id) && !found.has(n.id))
    .map((n) => ({ ...n, reason: `recorded as active in ${drRegion}, but no ${n.kind} there is tagged ${TAG.failoverOf}=${n.id} (the failover tags the promoted database)` }));
  return { selected, missing, activeElsewhere: [] };
}

/**
 * The databases a failover promoted in `region` and that are active there now, by the protected
 * database they are (`rds-dr:failover-of=<db>`, and the record of `<db>` says `region`): the
 * identifiers whose snapshots in that region are that database's live backups. Standalone databases
 * only (not replicas, not cluster members), as the DR backup selects them (selectActiveInDr).
 */
export function promotedActiveIn(fleet: Fleet, records: ActiveRegions, region: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const db of [...fleet.instances.filter((d) => !d.replicaSource && !d.clusterId), ...fleet.clusters.filter((c) => !c.replicaSource)]) {
    const protectedDb = tagValueOf(db.tags, TAG.failoverOf);
    if (protectedDb === undefined || records.get(protectedDb) !== region) continue;
    out.set(protectedDb, [...(out.get(protectedDb) ?? []), db.id]);
  }
  return out;
}
