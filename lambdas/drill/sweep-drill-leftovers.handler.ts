import { SnsAlertPublisher } from '../aws/notices.js';
import { logger, withLogKeys } from '../aws/logger.js';
import { awsClients } from '../aws/clients.js';
import { readSettings } from '../core/settings.js';
import { planSweep, type DrillResource } from './plan-sweep.js';
import { RdsFleetReader } from '../aws/rds-fleet.js';
import { deleteThrowaway } from '../aws/rds-databases.js';

const settings = readSettings(['verification']);
// A cleaned leftover is a WARNING (nothing is at risk any more): the `<app>-warnings` topic, not the one that pages.
const region = settings.verification?.region ?? settings.drRegion;
const rds = awsClients.rds(region);

/** The region's instances and clusters as the sweep plans them. */
async function listResources(): Promise<DrillResource[]> {
  const { instances, clusters } = await new RdsFleetReader(rds).list();
  return [
    ...instances.map((d) => ({ kind: 'instance' as const, id: d.id, tags: d.tags, createdAt: d.createdAt, status: d.status, clusterId: d.clusterId })),
    ...clusters.map((c) => ({ kind: 'cluster' as const, id: c.id, tags: c.tags, createdAt: c.createdAt, status: c.status })),
  ];
}
const alerts = new SnsAlertPublisher(settings.warningTopicArn);

export interface SweepResult {
  deleted: string[];
  failed: { id: string; error: string }[];
}

/** Hourly: delete expired throwaway drill instances an interrupted drill left behind, and say so. */
export async function handler(event: { id?: string } = {}): Promise<SweepResult> {
  withLogKeys({ invocation: event.id });
  const resources = await listResources();
  const decisions = planSweep(resources.filter((r) => !(r.kind === 'instance' && r.clusterId)), new Date(), settings.verification?.expiryHours ?? 6);
  const deleted: string[] = [];
  const failed: SweepResult['failed'] = [];
  for (const d of decisions.filter((x) => x.action === 'delete')) {
    const members = resources.filter((r) => r.kind === 'instance' && r.clusterId === d.resource.id);
    try {
      await deleteThrowaway(rds, d.resource.kind, d.resource.id, members.map((m) => m.id));
      deleted.push(`${d.resource.kind} ${d.resource.id}`);
      logger.warn('deleted expired drill leftover', { who: 'rds-dr sweeper', what: `${d.resource.kind} ${d.resource.id}`, why: d.reason, region });
    } catch (err) {
      failed.push({ id: d.resource.id, error: `${(err as Error).name}: ${(err as Error).message}` });
      logger.error('could not delete drill leftover', { what: d.resource.id, error: (err as Error).message });
    }
  }
  if (deleted.length || failed.length) {
    await alerts.publish({
      severity: 'warning',
      subject: `[${settings.appName}] sweeper removed ${deleted.length} leftover drill instance(s)${failed.length ? `, ${failed.length} failed` : ''}`.slice(0, 99),
      message: [
        `${settings.appName}: the hourly sweeper in ${region} found throwaway restore-drill resources past their expiry.`,
        'A drill execution was interrupted before its cleanup step; check recent drill executions.',
        '',
        ...deleted.map((d) => `deleted: ${d}`),
        ...failed.map((f) => `NOT deleted: ${f.id}: ${f.error} (will retry next hour)`),
        '',
        `Console:  https://${region}.console.aws.amazon.com/rds/home?region=${region}#databases:`,
        `Runbook:  docs/ALARMS.md#sweeper-leftover ("Sweeper removed a leftover drill instance")`,
      ].join('\n'),
    });
  }
  return { deleted, failed };
}
