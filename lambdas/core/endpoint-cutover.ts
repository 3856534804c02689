// Repointing applications at a new writer: plan which targets to change (pure), then apply the plan
// through a small gateway. Shared by the failover and the restore workflows (lambdas/cutover-endpoint).
//
// Targets come from config `incident.databases.<db>.endpoint`:
// - route53: UPSERT a CNAME <recordName> -> <new writer host> in <hostedZoneId> with <ttl>. Required.
// - ssmParameter: PutParameter (String, Overwrite) with the host, in the DR region (required) and in
//   the primary region (best effort: during a regional outage it is unreachable; that is recorded).
import { CutoverFailedError } from './errors.js';

export interface EndpointTargets {
  route53?: { hostedZoneId: string; recordName: string; ttl: number };
  ssmParameter?: string;
}

export type CutoverAction =
  | { target: 'route53'; hostedZoneId: string; recordName: string; ttl: number; value: string; bestEffort: false }
  | { target: 'ssm'; region: string; name: string; value: string; bestEffort: boolean };

export interface CutoverRequest {
  db: string;
  /** Host name of the new writer (no port). */
  endpoint: string;
  targets: EndpointTargets;
  primaryRegion: string;
  drRegion: string;
}

export type CutoverOutcomeKind = 'updated' | 'unchanged' | 'would-update' | 'failed';

export interface CutoverOutcome {
  action: CutoverAction;
  outcome: CutoverOutcomeKind;
  /** Value before the change, when it could be read. */
  before?: string;
  error?: string;
}

/** Reads and writes the endpoint targets (Route 53 and SSM in AWS). */
export interface EndpointGateway {
  readCname(hostedZoneId: string, recordName: string): Promise<string | undefined>;
  upsertCname(hostedZoneId: string, recordName: string, ttl: number, value: string): Promise<void>;
  readParameter(region: string, name: string): Promise<string | undefined>;
  putParameter(region: string, name: string, value: string): Promise<void>;
}

const HOST = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62}))*\.?$/;

/** Route 53 returns names fully qualified; compare without the trailing dot, case-insensitively. */
export const sameDnsName = (a: string | undefined, b: string) => a !== undefined && a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();

/** The changes to make, in order: Route 53, SSM in the DR region, SSM in the primary region (best effort). */
export function planCutover(req: CutoverRequest): CutoverAction[] {
  if (!HOST.test(req.endpoint) || req.endpoint.length > 253) throw new CutoverFailedError(`endpoint: "${req.endpoint}" is not a host name`);
  const actions: CutoverAction[] = [];
  const { route53, ssmParameter } = req.targets;
  if (route53) actions.push({ target: 'route53', ...route53, value: req.endpoint.replace(/\.$/, ''), bestEffort: false });
  if (ssmParameter) {
    actions.push({ target: 'ssm', region: req.drRegion, name: ssmParameter, value: req.endpoint, bestEffort: false });
    if (req.primaryRegion !== req.drRegion) actions.push({ target: 'ssm', region: req.primaryRegion, name: ssmParameter, value: req.endpoint, bestEffort: true });
  }
  return actions;
}

export function describeAction(a: CutoverAction): string {
  return a.target === 'route53'
    ? `Route 53 CNAME ${a.recordName} (zone ${a.hostedZoneId}, TTL ${a.ttl}) -> ${a.value}`
    : `SSM parameter ${a.name} in ${a.region} -> ${a.value}${a.bestEffort ? ' (best effort)' : ''}`;
}

const errorText = (err: unknown) => `${(err as Error).name}: ${(err as Error).message}`;

/**
 * Applies (or, with dryRun, only reads and reports) every action. A target that already holds the
 * value is left alone ("unchanged"), so a re-run is idempotent. Every action is attempted; then a
 * failed required target throws CutoverFailedError naming each failure, while a failed best-effort
 * target is only recorded.
 */
export async function executeCutover(actions: CutoverAction[], gateway: EndpointGateway, dryRun: boolean): Promise<CutoverOutcome[]> {
  const outcomes: CutoverOutcome[] = [];
  for (const action of actions) {
    let before: string | undefined;
    try {
      before = action.target === 'route53' ? await gateway.readCname(action.hostedZoneId, action.recordName) : await gateway.readParameter(action.region, action.name);
    } catch (err) {
      // A read failure is not a write failure: try the write anyway (dry run: record it).
      if (dryRun) {
        outcomes.push({ action, outcome: action.bestEffort ? 'failed' : 'would-update', error: `could not read current value: ${errorText(err)}` });
        continue;
      }
    }
    const unchanged = action.target === 'route53' ? sameDnsName(before, action.value) : before === action.value;
    if (unchanged) {
      outcomes.push({ action, outcome: 'unchanged', before });
      continue;
    }
    if (dryRun) {
      outcomes.push({ action, outcome: 'would-update', before });
      continue;
    }
    try {
      if (action.target === 'route53') await gateway.upsertCname(action.hostedZoneId, action.recordName, action.ttl, action.value);
      else await gateway.putParameter(action.region, action.name, action.value);
      outcomes.push({ action, outcome: 'updated', before });
    } catch (err) {
      outcomes.push({ action, outcome: 'failed', before, error: errorText(err) });
    }
  }
  const fatal = outcomes.filter((o) => o.outcome === 'failed' && !o.action.bestEffort);
  if (fatal.length > 0) {
    throw new CutoverFailedError(
      `could not update ${fatal.map((o) => `${describeAction(o.action)}: ${o.error}`).join('; ')}. ` +
        `Other targets: ${outcomes.filter((o) => !fatal.includes(o)).map((o) => `${describeAction(o.action)}: ${o.outcome}`).join('; ') || 'none'}. ` +
        'Fix the cause (permissions, zone id) and re-run the cutover; updating a target twice is harmless.',
    );
  }
  return outcomes;
}

/** One line per outcome, for the timeline and logs. */
export function summarizeCutover(outcomes: CutoverOutcome[]): string {
  if (outcomes.length === 0) return 'no endpoint targets configured';
  return outcomes
    .map((o) => `${describeAction(o.action)}: ${o.outcome}${o.before !== undefined && o.outcome !== 'unchanged' ? ` (was ${o.before})` : ''}${o.error ? ` — ${o.error}` : ''}`)
    .join('; ');
}
