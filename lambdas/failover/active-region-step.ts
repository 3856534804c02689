// After the promoted standby is writable: record that the database is active in the DR region (so
// backup discovery and the RPO monitor follow it there) and tag the promoted database so the DR
// region's backup finds it. Idempotent: a re-run writes the same tags and overwrites the record.
import type { ActiveRegionRecord } from '../core/active-region.js';
import { TAG } from '../core/naming.js';
import type { PolicySettings } from '../core/settings.js';
import type { Tag } from '../core/snapshots.js';
import { timelineStep, type StepResult } from '../core/timeline.js';
import type { FailoverPlan } from './failover-plan.js';

export interface ActiveRegionStepDeps {
  /** The primary database's tags, read through a client that gives up fast; undefined when the region or the database cannot be read. */
  primaryTags(arn: string): Promise<Tag[] | undefined>;
  /**
   * The policies (`rds-dr:policy`) whose copies of the database are in the DR region: who protects it,
   * known without the primary region. Read only when the primary's tags cannot be.
   */
  drCopyPolicies(db: string): Promise<string[]>;
  tagDatabase(arn: string, tags: Tag[]): Promise<void>;
  /** The database's current record, if any. */
  readRecord(db: string): Promise<ActiveRegionRecord | undefined>;
  /** Writes the record; returns the parameter's name. */
  writeRecord(db: string, record: ActiveRegionRecord): Promise<string>;
}

export interface ActiveRegionStepResult extends StepResult {
  /** The record's parameter (absent in a dry run). */
  parameter?: string;
  /** The tags put on the promoted database. */
  tagged: Tag[];
}

/**
 * The promoted database's tags: `rds-dr:failover-of=<db>`, plus the primary's values of every tag key
 * a policy selects by. A cross-region read replica or a secondary cluster does not inherit its
 * source's tags (whoever created it chose its tags), so without these a tag-selected database would
 * be invisible to the DR region's discovery. When the primary's tags cannot be read (its region is
 * down), the selection tags of the policies whose copies of it are in the DR region stand in for them:
 * those policies protected it until now, and their selection tags are what they find it by.
 */
export function promotedDatabaseTags(db: string, primaryTags: Tag[] | undefined, policies: Record<string, PolicySettings>, copyPolicies: string[] = []): Tag[] {
  const selectionKeys = new Set(Object.values(policies).flatMap((p) => Object.keys(p.selection.tags)));
  const copied =
    primaryTags !== undefined
      ? primaryTags.filter((t) => selectionKeys.has(t.Key))
      : [...new Map(copyPolicies.flatMap((name) => Object.entries(policies[name]?.selection.tags ?? {})).map(([Key, Value]) => [Key, { Key, Value }])).values()];
  return [{ Key: TAG.failoverOf, Value: db }, ...copied];
}

export async function recordActiveRegion(plan: FailoverPlan, policies: Record<string, PolicySettings>, deps: ActiveRegionStepDeps, now: () => Date): Promise<ActiveRegionStepResult> {
  const startedAt = now();
  const step = (outcome: Parameters<typeof timelineStep>[3], detail: string) => timelineStep('active-region', startedAt, now(), outcome, detail);
  const primaryTags = plan.dryRun ? undefined : await deps.primaryTags(plan.primaryArn);
  const copyPolicies = plan.dryRun || primaryTags !== undefined ? [] : await deps.drCopyPolicies(plan.db);
  const tags = promotedDatabaseTags(plan.db, primaryTags, policies, copyPolicies);
  const where = `${plan.db} is active in ${plan.drRegion} as ${plan.standby.id}`;
  if (plan.dryRun) return { tagged: [], step: step('would-do', `dry run: would record ${where} and tag ${plan.standby.id} ${TAG.failoverOf}=${plan.db} plus the primary's policy tags`) };
  await deps.tagDatabase(plan.standby.arn, tags);
  const byTags = copyPolicies.filter((name) => Object.keys(policies[name]?.selection.tags ?? {}).length > 0);
  const unread =
    primaryTags !== undefined
      ? ''
      : copyPolicies.length
        ? `; the primary's tags could not be read (${plan.primaryRegion} unreachable?), so the selection tags of ${byTags.length ? `polic${byTags.length > 1 ? 'ies' : 'y'} ${byTags.join(', ')}` : 'no policy (they select it by identifier)'}, whose copies of ${plan.db} are in ${plan.drRegion}, stand in for them`
        : `; the primary's tags could not be read (${plan.primaryRegion} unreachable?) and no policy's copies of ${plan.db} are in ${plan.drRegion}: a policy that selects ${plan.db} by tags finds ${plan.standby.id} only once you give it that policy's tags`;
  const tagged = `tagged ${plan.standby.id} ${tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}${unread}`;
  // A re-run keeps the first record: `since` is when the database became active here, not the latest run.
  const existing = await deps.readRecord(plan.db);
  if (existing?.region === plan.drRegion) return { tagged: tags, step: step('already-done', `already recorded: ${where} since ${existing.since} (by ${existing.by}); ${tagged}`) };
  const parameter = await deps.writeRecord(plan.db, { region: plan.drRegion, since: now().toISOString(), by: plan.executionArn });
  return { parameter, tagged: tags, step: step('done', `recorded ${where} in ${parameter}; ${tagged}`) };
}
