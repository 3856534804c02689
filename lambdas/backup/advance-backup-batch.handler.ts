import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { abandonBatch, advanceBatch, type BatchDeps } from './advance-batch.js';
import { startState, type BatchStart, type BatchState, type DatabaseOutcome } from './batch-state.js';
import { coordinationFor } from './batch-coordination.js';
import { rdsForBatches } from './batch-rds.js';
import { backupRoute } from './backup-route.js';
import { isUnreachable } from '../aws/unreachable.js';

const settings = readSettings();
const route = backupRoute(settings);
const rds = rdsForBatches(route);
// This deployment's coordination table, in its own region: its copy slots count the copies into route.copyRegion.
const table = { name: settings.coordinationTable ?? '', region: route.sourceRegion };

export type AdvanceBatchEvent = BatchStart | BatchState | { abandon: (BatchStart | BatchState) & { error?: { Error?: string; Cause?: string } } };

function depsFor(policy: string): BatchDeps {
  if (!table.name) throw new Error('settings.coordinationTable is not set: copy slots and work claims live in the coordination table (lib/platform/coordination-table.ts)');
  return {
    rds,
    ...coordinationFor(table, settings.copySlots, policy),
    // The batch snapshots in its "primary" and copies to its "DR" region: this deployment's route.
    primaryRegion: route.sourceRegion,
    drRegion: route.copyRegion,
    ...(route.role === 'dr' && { copyDestinationUnreachable: isUnreachable }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => new Date(),
  };
}

const stateOf = (event: BatchStart | BatchState): BatchState => ('Items' in event ? startState(event, new Date()) : event);

/** One poll turn of a backup batch (a Distributed Map child execution), or giving back what a stopped batch holds. */
export async function handler(event: AdvanceBatchEvent): Promise<BatchState | DatabaseOutcome[]> {
  if ('abandon' in event) {
    const state = stateOf(event.abandon);
    withLogKeys({ executionArn: state.context.executionArn });
    const outcomes = await abandonBatch(state, depsFor(state.context.policy), event.abandon.error ?? {});
    logger.error('backup batch abandoned', { policy: state.context.policy, error: event.abandon.error?.Error, cause: event.abandon.error?.Cause, databases: state.databases.map((d) => ({ db: d.id, snapshotId: d.snapshotId, phase: d.phase })) });
    return outcomes;
  }
  const state = stateOf(event);
  withLogKeys({ executionArn: state.context.executionArn });
  const before = new Map(state.databases.map((d) => [d.id, d.phase]));
  const next = await advanceBatch(state, depsFor(state.context.policy));
  // A line per database whose phase changed this turn (not per turn: a long copy queue stays quiet).
  for (const db of next.databases.filter((d) => d.phase !== before.get(d.id) || next.turn === 1)) {
    const line = { db: db.id, snapshotId: db.snapshotId, phase: db.phase, turn: next.turn, ...(db.error && { error: db.error, cause: db.cause }) };
    if (db.phase === 'failed') logger.error('database backup failed', line);
    else if (db.phase === 'skipped') logger.warn('database left to an overlapping run', line);
    else logger.info('database backup progressed', line);
  }
  return next;
}
