import { awsClients } from '../aws/clients.js';
import { timelineStep, type TimelineStep } from '../core/timeline.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { readSettings } from '../core/settings.js';
import { notProtectedError, parseFailoverRequest, resolveFailoverPlan, type FailoverPlan } from './failover-plan.js';
import { protectionByConfig, protectionByFleet } from '../core/protection.js';
import type { WorkflowStartEvent } from '../core/input-issues.js';

const settings = readSettings(['policies', 'incident']);

export type PlanFailoverEvent = WorkflowStartEvent;

/** First state of the failover: validate the input, check protection, resolve the standby. No writes. */
export async function handler(event: PlanFailoverEvent): Promise<{ plan: FailoverPlan; steps: { plan: { step: TimelineStep } } }> {
  withLogKeys({ executionArn: event.executionArn });
  const startedAt = new Date();
  const request = parseFailoverRequest(event.input);
  withLogKeys({ executionArn: event.executionArn, db: request.db });
  // Resolving first: a database without a standby fails here without touching AWS.
  const draft = resolveFailoverPlan(request, settings, event.executionArn, '');
  const byConfig = protectionByConfig(request.db, draft.kind, settings);
  let protection: { protected: boolean; how: string };
  let how: string;
  if (byConfig.protected === 'needs-fleet') {
    const reader = new RdsFleetReader(awsClients.rds(settings.primaryRegion, true));
    try {
      const [instances, clusters] = await Promise.all([reader.listInstances(), reader.listClusters()]);
      protection = protectionByFleet(request.db, draft.kind, settings, { instances, clusters });
      how = protection.how;
    } catch (err) {
      // Reading tags needs the primary region, which is what may be down. A configured standby is a
      // deliberate choice for this database, so an outage must not make it un-failover-able.
      how = `tag selection unconfirmed: ${settings.primaryRegion} unreachable (${(err as Error).name}: ${(err as Error).message}); proceeding because incident.databases.${request.db}.standby is configured`;
      protection = { protected: true, how };
    }
  } else {
    protection = byConfig;
    how = byConfig.how;
  }
  if (!protection.protected) throw notProtectedError(request.db, draft.kind, how);
  const plan = { ...draft, protection: how };
  logger.info('failover planned', { plan });
  const mode = plan.dryRun ? 'dry run' : plan.force ? 'FORCED' : 'real';
  // Shaped as the workflow's state: the plan, and the steps every later state adds its result to.
  return {
    plan,
    steps: { plan: { step: timelineStep('plan', startedAt, new Date(), 'done', `${mode} failover of ${plan.kind} ${plan.db} to ${plan.standby.type === 'replica' ? 'read replica' : `global cluster ${plan.standby.globalCluster} secondary`} ${plan.standby.id} in ${plan.drRegion}; protection: ${how}; reason: ${plan.reason}`) } },
  };
}
