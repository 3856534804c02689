// Pure selection of the databases a policy protects.
import type { PolicySettings } from './settings.js';
import type { DbClusterInfo, DbInstanceInfo } from './fleet.js';
import { TAG } from './naming.js';
import { type Tag } from './snapshots.js';

export type DbKind = 'instance' | 'cluster';

export interface SelectedDatabase {
  id: string;
  arn: string;
  kind: DbKind;
  engine: string;
}

/** A database the policy names or implies that cannot be backed up; reported as a failure. */
export interface UnprotectableDatabase {
  id: string;
  kind: DbKind | 'selection';
  reason: string;
}

export interface Selection {
  selected: SelectedDatabase[];
  missing: UnprotectableDatabase[];
}

// The RDS API also lists Neptune and DocumentDB resources; those are not ours to snapshot.
const NON_RDS_ENGINES = /^(neptune|docdb)/;

export function hasAllTags(tags: Tag[], wanted: Record<string, string>): boolean {
  const entries = Object.entries(wanted);
  return entries.length > 0 && entries.every(([k, v]) => tags.some((t) => t.Key === k && t.Value === v));
}

/**
 * Selected by the policy's tags. The original a rename cutover set aside keeps the tags it had (kept
 * for whoever inspects it), but the restored database under its name is the protected one now.
 */
export function selectedByTags(tags: Tag[], wanted: Record<string, string>): boolean {
  return hasAllTags(tags, wanted) && !tags.some((t) => t.Key === TAG.replacedBy);
}

export function selectDatabases(
  fleet: { instances: DbInstanceInfo[]; clusters: DbClusterInfo[] },
  policy: PolicySettings,
): Selection {
  const { tags, instances: namedInstances, clusters: namedClusters } = policy.selection;
  const selected: SelectedDatabase[] = [];
  const missing: UnprotectableDatabase[] = [];

  for (const db of fleet.instances) {
    if (NON_RDS_ENGINES.test(db.engine)) continue;
    const named = namedInstances.includes(db.id);
    if (!named && !selectedByTags(db.tags, tags)) continue;
    // Replicas and cluster members are covered by their source / cluster snapshot.
    if (db.replicaSource || db.clusterId) {
      if (named) {
        const what = db.replicaSource ? `a read replica of ${db.replicaSource}` : `a member of cluster ${db.clusterId}`;
        missing.push({ id: db.id, kind: 'instance', reason: `configured instance is ${what}; protect the source instead` });
      }
      continue;
    }
    selected.push({ id: db.id, arn: db.arn, kind: 'instance', engine: db.engine });
  }

  for (const cluster of fleet.clusters) {
    if (NON_RDS_ENGINES.test(cluster.engine)) continue;
    const named = namedClusters.includes(cluster.id);
    if (!named && !selectedByTags(cluster.tags, tags)) continue;
    if (cluster.replicaSource) {
      if (named) {
        missing.push({ id: cluster.id, kind: 'cluster', reason: `configured cluster is a replica of ${cluster.replicaSource}` });
      }
      continue;
    }
    selected.push({ id: cluster.id, arn: cluster.arn, kind: 'cluster', engine: cluster.engine });
  }

  const foundInstances = new Set(fleet.instances.map((d) => d.id));
  const foundClusters = new Set(fleet.clusters.map((c) => c.id));
  for (const id of namedInstances.filter((i) => !foundInstances.has(i))) {
    missing.push({ id, kind: 'instance', reason: 'configured DB instance not found in the primary region' });
  }
  for (const id of namedClusters.filter((c) => !foundClusters.has(c))) {
    missing.push({ id, kind: 'cluster', reason: 'configured DB cluster not found in the primary region' });
  }
  // A policy that protects nothing is almost always a tag typo: say so instead of succeeding quietly.
  if (selected.length === 0 && missing.length === 0) {
    missing.push({ id: '(selection)', kind: 'selection', reason: `no database matched the selection ${JSON.stringify(policy.selection)}` });
  }
  return { selected, missing };
}
