// Where an incident restore comes from and whether it is allowed: the live source (or, where it does
// not exist, its replicated backups or snapshots), the network to restore into, and protection.
// Reads go through small ports, so the sequencing is tested without AWS.
import { InvalidInputError } from '../core/errors.js';
import type { Fleet } from '../core/fleet.js';
import { protectionByConfig, protectionByFleet } from '../core/protection.js';
import type { RestoreSourceGateway, SourceFacts } from '../core/restore-plan.js';
import type { SettingsWith } from '../core/settings.js';
import type { DescribedSnapshot } from '../core/snapshots.js';
import type { RestoreRequest } from './restore-request.js';

export interface RestoreSourceDeps {
  settings: SettingsWith<'policies'>;
  /** The restore region's source reader. */
  reader: RestoreSourceGateway;
  /** The restore region's manual snapshots (read once, when first needed). */
  catalog: () => Promise<DescribedSnapshot[]>;
  /** The primary region's fleet (may be unreachable). */
  primaryFleet: () => Promise<Fleet>;
  warn: (message: string, extra: Record<string, unknown>) => void;
}

export async function resolveSource(request: RestoreRequest, deps: RestoreSourceDeps): Promise<SourceFacts> {
  const { reader, catalog, settings } = deps;
  const { db, region } = request;
  const live = await reader.describeSource(db, new Date());
  if (live) return live;
  if (request.source.type === 'pitr') {
    const replicated = region === settings.drRegion ? await reader.describeReplicatedBackups(db) : undefined;
    if (replicated) return { ...replicated, ...(await networkWithoutSource(request, deps)) };
    throw new InvalidInputError(
      region === settings.drRegion
        ? `input.restoreTime: "${db}" has no replicated automated backups in ${region} (config incident.databases.${db}.pitr.replicateToDr); restore from a DR snapshot instead ("snapshot": "latest")`
        : `input.db: "${db}" does not exist in ${region}; a deleted database is restored from a snapshot ("snapshot": "latest")`,
    );
  }
  // No live source here (deleted, or the DR region): the snapshot says what it is.
  const snapshot = (await catalog()).find((s) => s.sourceDbId === db);
  if (!snapshot) throw new InvalidInputError(`input.db: "${db}" has neither a database nor snapshots in ${region}`);
  return { kind: snapshot.kind, arn: '', engine: snapshot.engine, ...(await networkWithoutSource(request, deps)) };
}

/**
 * Where a restore goes when the source cannot lend its network (the DR region): with verify, the
 * verification network (the only one the verifier reaches); else next to the DR standby; else the
 * verification network; else RDS's default.
 */
async function networkWithoutSource(request: RestoreRequest, { reader, settings }: RestoreSourceDeps): Promise<Pick<SourceFacts, 'subnetGroup' | 'securityGroupIds' | 'parameterGroup' | 'instanceClass'>> {
  const verification = settings.verification?.region === request.region ? settings.verification : undefined;
  const drills = verification ? { subnetGroup: verification.subnetGroupName, securityGroupIds: verification.securityGroupIds } : undefined;
  if (request.verify && drills) return drills;
  const standby = settings.incident?.databases[request.db]?.standby;
  const near = request.region === settings.drRegion && standby && 'replicaInstance' in standby ? await reader.describeInstance(standby.replicaInstance) : undefined;
  if (near) return { subnetGroup: near.subnetGroup, securityGroupIds: near.securityGroupIds, parameterGroup: near.parameterGroup, instanceClass: near.instanceClass };
  return drills ?? { securityGroupIds: [] };
}

/** Listed in a policy, selected by a policy's tags, or backed up by rds-dr here; else the input is refused. */
export async function protection(request: RestoreRequest, kind: 'instance' | 'cluster', deps: RestoreSourceDeps): Promise<string> {
  const { settings, catalog } = deps;
  const byConfig = protectionByConfig(request.db, kind, settings);
  if (byConfig.protected === true) return byConfig.how;
  if (byConfig.protected === 'needs-fleet') {
    try {
      const byFleet = protectionByFleet(request.db, kind, settings, await deps.primaryFleet());
      if (byFleet.protected) return byFleet.how;
    } catch (err) {
      deps.warn('primary fleet unreadable; judging protection by rds-dr snapshots', { error: (err as Error).message });
    }
  }
  // A deleted database, or the primary region down: rds-dr's own snapshots of it prove it was protected.
  const managed = (await catalog()).filter((s) => s.sourceDbId === request.db && s.id.startsWith('rdsdr-') && !s.id.startsWith('rdsdr-verify-'));
  if (managed.length > 0) return `${managed.length} rds-dr snapshot(s) of it in ${request.region}`;
  throw new InvalidInputError(`input.db: "${request.db}" (${kind}) is not protected by this deployment: no policy lists or selects it and rds-dr has no snapshots of it in ${request.region}`);
}
