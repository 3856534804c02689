// Which deployment of the prune workflow decides about a snapshot. The prune is deployed in both
// stacks; each snapshot has exactly one owner, so the two never both plan it (and never disagree):
// - 'dr' (the DR stack): the snapshots the DR region's backup took there, of the databases a failover
//   made active there: in the DR region, of a database in the DR region (its rds-dr:source-arn). It
//   needs nothing from the primary region, so it keeps pruning through a primary-region outage.
// - 'primary' (the primary stack): everything else: the primary region's snapshots, their DR copies,
//   and the copies the DR backup sends back into the primary region. Those copies live in the primary
//   region, are only of use when it is reachable (for a failback), and the primary prune, reachable
//   exactly then, is their natural owner: one prune per region's own lineage, no cross-region deletes.
// Pure and SDK-free.
import { TAG } from '../naming.js';
import { tagValueOf, type Tag } from '../snapshots.js';

export type PruneRole = 'primary' | 'dr';

/** The region of an ARN (`arn:aws:rds:<region>:…`), or undefined for anything else. */
const regionOfArn = (arn: string | undefined): string | undefined => (arn?.startsWith('arn:') ? arn.split(':')[3] || undefined : undefined);

/** The prune deployment that plans and deletes `snapshot` (found in `snapshot.region`). */
export function pruneOwnerOf(snapshot: { region: string; tags: Tag[] }, regions: { primary: string; dr: string }): PruneRole {
  return snapshot.region === regions.dr && regionOfArn(tagValueOf(snapshot.tags, TAG.sourceArn)) === regions.dr ? 'dr' : 'primary';
}

/** Why a snapshot is left to the other deployment (a keep reason in the plan report). */
export const otherOwnerReason = (owner: PruneRole): string =>
  owner === 'dr'
    ? "taken in the DR region of a database active there: the DR region's prune decides about it"
    : "the primary region's prune decides about it (primary snapshots and their DR copies)";
