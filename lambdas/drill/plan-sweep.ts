// Which throwaway drill instances to delete: only those this tool made (id prefix AND purpose tag)
// whose expiry has passed. Everything else is left alone, whatever its name says.
import { PURPOSE, TAG, THROWAWAY_PREFIX } from '../core/naming.js';

export interface DrillResource {
  kind: 'instance' | 'cluster';
  id: string;
  tags: { Key: string; Value: string }[];
  createdAt?: string;
  status: string;
  /** For instances: the cluster it belongs to (members are deleted with their cluster). */
  clusterId?: string;
}

export interface SweepDecision {
  resource: DrillResource;
  action: 'delete' | 'keep';
  reason: string;
}

const tag = (r: DrillResource, key: string) => r.tags.find((t) => t.Key === key)?.Value;

export function planSweep(resources: DrillResource[], now: Date, expiryHours: number): SweepDecision[] {
  return resources.map((resource) => {
    if (tag(resource, TAG.purpose) !== PURPOSE.drill) return { resource, action: 'keep', reason: 'not tagged rds-dr:purpose=verification' };
    if (!resource.id.startsWith(THROWAWAY_PREFIX)) return { resource, action: 'keep', reason: `identifier does not start with ${THROWAWAY_PREFIX}` };
    if (resource.status === 'deleting') return { resource, action: 'keep', reason: 'already deleting' };
    const expiry = tag(resource, TAG.expiresAt);
    // Without a readable expiry tag, fall back to creation time + the configured lifetime.
    const expiresAt = expiry && !Number.isNaN(Date.parse(expiry))
      ? Date.parse(expiry)
      : resource.createdAt ? Date.parse(resource.createdAt) + expiryHours * 3600_000 : Number.NaN;
    if (Number.isNaN(expiresAt)) return { resource, action: 'keep', reason: 'no expiry tag and no creation time' };
    if (expiresAt > now.getTime()) return { resource, action: 'keep', reason: `expires at ${new Date(expiresAt).toISOString()}` };
    return { resource, action: 'delete', reason: `expired at ${new Date(expiresAt).toISOString()} (left behind by an interrupted drill)` };
  });
}
