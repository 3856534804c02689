import { RdsFleetReader } from '../aws/rds-fleet.js';
import { InvalidInputError } from '../core/errors.js';
import { awsClients } from '../aws/clients.js';
import { protectionByConfig, protectionByFleet } from '../core/protection.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { RdsRestoreSourceReader } from '../aws/rds-restore-source.js';
import { buildRestorePlan, parseRestoreRequest, type RestoreRequest } from './restore-request.js';
import { RdsSnapshotCatalog } from '../aws/rds-snapshots.js';
import { type DescribedSnapshot } from '../core/snapshots.js';
import { type RestorePlan, type SourceFacts } from '../core/restore-plan.js';

const settings = readSettings();

export interface PlanRestoreEvent {
  input: unknown;
  /** The region this deployment of the workflow runs (and restores) in. */
  workflowRegion: string;
  executionArn: string;
  executionStartTime: string;
}

/** First state of the restore: validate the input, resolve source, window or snapshot, target. No writes. */
export async function handler(event: PlanRestoreEvent): Promise<{ plan: RestorePlan; steps: { plan: { step: TimelineStep } } }> {
  withLogKeys({ executionArn: event.executionArn });
  const startedAt = new Date();
  const request = parseRestoreRequest(event.input, settings, event.workflowRegion);
  withLogKeys({ executionArn: event.executionArn, db: request.db, restoreId: request.targetId });
  const rds = awsClients.rds(request.region);
  const reader = new RdsRestoreSourceReader(rds);
  if (await reader.identifierInUse(request.targetId)) {
    throw new InvalidInputError(`input.targetId: "${request.targetId}" is already in use in ${request.region} (an instance or cluster has it); choose a new identifier`);
  }
  let snapshots: DescribedSnapshot[] | undefined;
  const catalog = async () => (snapshots ??= await new RdsSnapshotCatalog(rds).list('all'));
  const source = await resolveSource(request, reader, catalog);
  const how = await protection(request, source.kind, catalog);
  const plan = buildRestorePlan({ request, source, settings, executionArn: event.executionArn, executionStartTime: event.executionStartTime, now: new Date(), snapshots: request.source.type === 'snapshot' ? await catalog() : [] });
  logger.info('restore planned', { plan, protection: how });
  const from = plan.mode === 'pitr' ? (plan.useLatest ? 'the latest restorable time' : plan.restoreTime) : `snapshot ${plan.snapshotId}`;
  const detail = `restore ${plan.kind} ${plan.db} to ${from} as ${plan.targetId} in ${plan.region}${plan.verify ? ', verify' : ''}${plan.cutover ? `, cutover by ${plan.cutover}` : ''}; protection: ${how}${plan.reason ? `; reason: ${plan.reason}` : ''}`;
  return { plan, steps: { plan: { step: timelineStep('plan', startedAt, new Date(), 'done', detail) } } };
}

async function resolveSource(request: RestoreRequest, reader: RdsRestoreSourceReader, catalog: () => Promise<DescribedSnapshot[]>): Promise<SourceFacts> {
  const { db, region } = request;
  const live = await reader.describeSource(db, new Date());
  if (live) return live;
  if (request.source.type === 'pitr') {
    const replicated = region === settings.drRegion ? await reader.describeReplicatedBackups(db) : undefined;
    if (replicated) return { ...replicated, ...(await networkWithoutSource(request, reader)) };
    throw new InvalidInputError(
      region === settings.drRegion
        ? `input.restoreTime: "${db}" has no replicated automated backups in ${region} (config incident.databases.${db}.pitr.replicateToDr); restore from a DR snapshot instead ("snapshot": "latest")`
        : `input.db: "${db}" does not exist in ${region}; a deleted database is restored from a snapshot ("snapshot": "latest")`,
    );
  }
  // No live source here (deleted, or the DR region): the snapshot says what it is.
  const snapshot = (await catalog()).find((s) => s.sourceDbId === db);
  if (!snapshot) throw new InvalidInputError(`input.db: "${db}" has neither a database nor snapshots in ${region}`);
  return { kind: snapshot.kind, arn: '', engine: snapshot.engine, ...(await networkWithoutSource(request, reader)) };
}

/**
 * Where a restore goes when the source cannot lend its network (the DR region): with verify, the
 * verification network (the only one the verifier reaches); else next to the DR standby; else the
 * verification network; else RDS's default.
 */
async function networkWithoutSource(request: RestoreRequest, reader: RdsRestoreSourceReader): Promise<Pick<SourceFacts, 'subnetGroup' | 'securityGroupIds' | 'parameterGroup' | 'instanceClass'>> {
  const verification = settings.verification?.region === request.region ? settings.verification : undefined;
  const drills = verification ? { subnetGroup: verification.subnetGroupName, securityGroupIds: verification.securityGroupIds } : undefined;
  if (request.verify && drills) return drills;
  const standby = settings.incident?.databases[request.db]?.standby;
  const near = request.region === settings.drRegion && standby && 'replicaInstance' in standby ? await reader.describeInstance(standby.replicaInstance) : undefined;
  if (near) return { subnetGroup: near.subnetGroup, securityGroupIds: near.securityGroupIds, parameterGroup: near.parameterGroup, instanceClass: near.instanceClass };
  return drills ?? { securityGroupIds: [] };
}

/** Listed in a policy, selected by a policy's tags, or backed up by rds-dr here; else the input is refused. */
async function protection(request: RestoreRequest, kind: 'instance' | 'cluster', catalog: () => Promise<DescribedSnapshot[]>): Promise<string> {
  const byConfig = protectionByConfig(request.db, kind, settings);
  if (byConfig.protected === true) return byConfig.how;
  if (byConfig.protected === 'needs-fleet') {
    try {
      const fleetReader = new RdsFleetReader(awsClients.rds(settings.primaryRegion, true));
      const [instances, clusters] = await Promise.all([fleetReader.listInstances(), fleetReader.listClusters()]);
      const byFleet = protectionByFleet(request.db, kind, settings, { instances, clusters });
      if (byFleet.protected) return byFleet.how;
    } catch (err) {
      logger.warn('primary fleet unreadable; judging protection by rds-dr snapshots', { error: (err as Error).message });
    }
  }
  // A deleted database, or the primary region down: rds-dr's own snapshots of it prove it was protected.
  const managed = (await catalog()).filter((s) => s.sourceDbId === request.db && s.id.startsWith('rdsdr-') && !s.id.startsWith('rdsdr-verify-'));
  if (managed.length > 0) return `${managed.length} rds-dr snapshot(s) of it in ${request.region}`;
  throw new InvalidInputError(`input.db: "${request.db}" (${kind}) is not protected by this deployment: no policy lists or selects it and rds-dr has no snapshots of it in ${request.region}`);
}
