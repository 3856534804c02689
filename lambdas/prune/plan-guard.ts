// A plan that deletes much at once is treated as a clock or config error: the workflow stops
// without deleting anything and pages someone, who can confirm with a dry run. The guard also
// re-checks, independently of the planner, the promises a plan must never break — a planner bug
// should stop the run, not reach DeleteDBSnapshot.
import type { RetentionDecision } from '../core/retention/plan-retention.js';

export interface GuardLimits {
  /** Largest share (0-1] of one database's snapshots in one region a single run may delete. */
  maxShareOfDatabase: number;
  /** Most snapshots a single run may delete, over all databases and regions. */
  maxTotal: number;
}

interface GroupTally {
  region: string;
  dbId: string;
  total: number;
  deletes: number;
  availableManaged: number;
  availableManagedDeleted: number;
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** Why this snapshot must never be in a plan's deletions, or undefined. */
function forbiddenDeletion(d: RetentionDecision): string | undefined {
  const s = d.snapshot;
  if (!s.managed) return 'is not managed by rds-dr';
  if (s.legalHold) return 'is under legal hold';
  if (s.status !== 'available') return `is "${s.status}", not available`;
  if (s.inUseByVerification) return 'is in use by a restore drill';
  return undefined;
}

/** Problems with a plan, worst first; empty when it is safe to carry out. */
export function checkDeletionGuard(decisions: readonly RetentionDecision[], limits: GuardLimits): string[] {
  const groups = new Map<string, GroupTally>();
  const forbidden: string[] = [];
  let totalDeletes = 0;
  for (const d of decisions) {
    const { region, dbId } = d.snapshot;
    const key = `${region}\u0000${dbId}`;
    let g = groups.get(key);
    if (!g) {
      g = { region, dbId, total: 0, deletes: 0, availableManaged: 0, availableManagedDeleted: 0 };
      groups.set(key, g);
    }
    const deleting = d.action === 'delete';
    const usable = d.snapshot.managed && d.snapshot.status === 'available';
    g.total++;
    if (usable) g.availableManaged++;
    if (!deleting) continue;
    g.deletes++;
    totalDeletes++;
    if (usable) g.availableManagedDeleted++;
    const why = forbiddenDeletion(d);
    if (why) forbidden.push(`${d.snapshot.id} in ${region}: plan deletes a snapshot that ${why}`);
  }

  const lastCopy: string[] = [];
  const share: string[] = [];
  const ordered = [...groups.values()].sort((a, b) => (a.region + '\u0000' + a.dbId < b.region + '\u0000' + b.dbId ? -1 : 1));
  for (const g of ordered) {
    if (g.availableManaged > 0 && g.availableManagedDeleted === g.availableManaged) {
      lastCopy.push(`${g.dbId} in ${g.region}: plan deletes every available snapshot (${g.availableManaged}) — the last good copy must stay`);
    }
    const deletedShare = g.deletes / g.total;
    if (deletedShare > limits.maxShareOfDatabase) {
      share.push(`${g.dbId} in ${g.region}: plan deletes ${g.deletes} of ${g.total} snapshots (${percent(deletedShare)} > ${percent(limits.maxShareOfDatabase)})`);
    }
  }
  const total = totalDeletes > limits.maxTotal ? [`plan deletes ${totalDeletes} snapshots in total (> ${limits.maxTotal})`] : [];
  return [...forbidden, ...lastCopy, ...share, ...total];
}
