// A plan that deletes much at once is treated as a clock or config error: the workflow stops
// without deleting anything and pages someone, who can confirm with a dry run.
import type { RetentionDecision } from './plan-retention.js';

export interface GuardLimits {
  /** Largest share (0-1] of one database's snapshots in one region a single run may delete. */
  maxShareOfDatabase: number;
  maxTotal: number;
}

export function checkDeletionGuard(decisions: RetentionDecision[], limits: GuardLimits): string[] {
  const groups = new Map<string, { total: number; deletes: number; db: string; region: string }>();
  let totalDeletes = 0;
  for (const d of decisions) {
    const key = `${d.snapshot.region}\u0000${d.snapshot.dbId}`;
    const g = groups.get(key) ?? { total: 0, deletes: 0, db: d.snapshot.dbId, region: d.snapshot.region };
    g.total++;
    if (d.action === 'delete') {
      g.deletes++;
      totalDeletes++;
    }
    groups.set(key, g);
  }
  const problems: string[] = [];
  for (const g of groups.values()) {
    if (g.deletes / g.total > limits.maxShareOfDatabase) {
      const pct = Math.round((g.deletes / g.total) * 100);
      problems.push(`${g.db} in ${g.region}: plan deletes ${g.deletes} of ${g.total} snapshots (${pct}% > ${Math.round(limits.maxShareOfDatabase * 100)}%)`);
    }
  }
  if (totalDeletes > limits.maxTotal) problems.push(`plan deletes ${totalDeletes} snapshots in total (> ${limits.maxTotal})`);
  return problems;
}
