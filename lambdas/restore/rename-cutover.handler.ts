import { DescribeDBClustersCommand, DescribeDBInstancesCommand, ModifyDBClusterCommand, ModifyDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { awsClients } from '../aws/clients.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { orUndefined } from '../aws/rds-not-found.js';
import { finishedStep, nextStep, type PollState, type PollStep } from '../core/wait-budget.js';
import { CutoverBlockedError, nextRenameMove, type Observed, type RenameWorld } from './rename-plan.js';
import { tagMap } from '../aws/rds-tags.js';
import { type RestorePlan } from '../core/restore-plan.js';


async function observe(rds: RDSClient, kind: 'instance' | 'cluster', id: string): Promise<Observed | undefined> {
  if (kind === 'instance') {
    const d = (await orUndefined(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))))?.DBInstances?.[0];
    return d ? { status: d.DBInstanceStatus ?? 'unknown', tags: tagMap(d.TagList) } : undefined;
  }
  const c = (await orUndefined(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))))?.DBClusters?.[0];
  return c ? { status: c.Status ?? 'unknown', tags: tagMap(c.TagList) } : undefined;
}

export interface RenameCutoverEvent {
  plan: RestorePlan;
  poll?: PollState;
}

export type RenameCutoverResult = PollStep & { complete: boolean; detail: string; step?: TimelineStep };

/** One move of the rename swap (see rename-plan.ts); the workflow loops until `complete`. */
export async function handler(event: RenameCutoverEvent): Promise<RenameCutoverResult> {
  const { plan } = event;
  withLogKeys({ executionArn: plan.executionArn, db: plan.db, restoreId: plan.targetId });
  const rds = awsClients.rds(plan.region);
  const now = new Date();
  const poll = event.poll ?? {};
  const [current, replaced, target] = await Promise.all([plan.db, plan.replacedId!, plan.targetId].map((id) => observe(rds, plan.kind, id)));
  const world: RenameWorld = { current, replaced, target };
  const move = nextRenameMove(plan, world);
  if (move.move === 'done') {
    const finished = finishedStep(poll, now);
    return { ...finished, complete: true, detail: move.why, step: timelineStep('cutover', new Date(finished.startedAt), now, 'done', `renamed: ${plan.db} → ${plan.replacedId}, ${plan.targetId} → ${plan.db}`) };
  }
  if (move.move === 'rename') {
    // Destructive for applications (connections drop), so who / what / why is logged before the call.
    logger.warn('DESTRUCTIVE: rename for cutover', { who: { reason: plan.reason, executionArn: plan.executionArn }, what: `${plan.kind} ${move.from} → ${move.to} in ${plan.region}`, why: move.why });
    if (plan.kind === 'instance') await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: move.from, NewDBInstanceIdentifier: move.to, ApplyImmediately: true }));
    else await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: move.from, NewDBClusterIdentifier: move.to, ApplyImmediately: true }));
  }
  const step = nextStep(poll, plan.timeoutSeconds, now);
  if ('timedOut' in step) throw new CutoverBlockedError(`rename cutover of ${plan.db} not finished after ${step.elapsedSeconds} s (${move.why}); the databases are as the last move left them`);
  logger.info('rename cutover', { move: move.move, detail: move.why });
  // A rename was just requested: look again soon rather than after the full backoff.
  return { ...step, complete: false, detail: move.why };
}
