// Repointing applications at a new writer: plan which targets to change (pure), then apply the plan
// through a small gateway. Shared by the failover and the restore workflows (lambdas/cutover-endpoint).
//
// Targets come from config `incident.databases.<db>.endpoint`:
// - ssmParameter: PutParameter (String, Overwrite) with the host, in the DR region (required: it
//   depends on nothing but the DR region) and in the primary region (best effort: during a regional
//   outage it is unreachable; that is recorded).
// - route53: UPSERT a CNAME <recordName> -> <new writer host> in <hostedZoneId> with <ttl>. Required.
//   Route 53's control plane (ChangeResourceRecordSets) is served from us-east-1 ("Resilience in
//   Amazon Route 53", Route 53 Developer Guide): when us-east-1 is impaired, only a public hosted zone
//   with accelerated recovery turned on takes changes again, after ~60 minutes, through us-west-2
//   ("Enabling accelerated recovery for managing public DNS records"). Private zones cannot be changed.
// The DR region's SSM parameter goes first, so whatever happens to Route 53 the one target that
// cannot depend on the failed region is already repointed.
import { CutoverFailedError } from './errors.js';

export interface Route53Target {
  hostedZoneId: string;
  recordName: string;
  ttl: number;
  /** A private zone's records can only be changed while us-east-1's control plane is up. */
  zone?: 'private' | 'public';
  /** Turned on for the (public) zone: changes resume ~60 min into a us-east-1 impairment. */
  acceleratedRecovery?: boolean;
}

export interface EndpointTargets {
  route53?: Route53Target;
  ssmParameter?: string;
}

export type CutoverAction =
  | ({ target: 'route53'; value: string; bestEffort: false } & Route53Target)
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
  /**
   * Whether an error means the target's region could not be reached at all (network error, the
   * fast-failing client's timeout) rather than an answer from the service.
   */
  isUnreachable(err: unknown): boolean;
}

const HOST = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62}))*\.?$/;

/** Route 53 returns names fully qualified; compare without the trailing dot, case-insensitively. */
export const sameDnsName = (a: string | undefined, b: string) => a !== undefined && a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();

/** The changes to make, in order: SSM in the DR region, Route 53, SSM in the primary region (best effort). */
export function planCutover(req: CutoverRequest): CutoverAction[] {
  if (!HOST.test(req.endpoint) || req.endpoint.length > 253) throw new CutoverFailedError(`endpoint: "${req.endpoint}" is not a host name`);
  const actions: CutoverAction[] = [];
  const { route53, ssmParameter } = req.targets;
  if (ssmParameter) actions.push({ target: 'ssm', region: req.drRegion, name: ssmParameter, value: req.endpoint, bestEffort: false });
  if (route53) actions.push({ target: 'route53', ...route53, value: req.endpoint.replace(/\.$/, ''), bestEffort: false });
  if (ssmParameter && req.primaryRegion !== req.drRegion) actions.push({ target: 'ssm', region: req.primaryRegion, name: ssmParameter, value: req.endpoint, bestEffort: true });
  return actions;
}

/** What a Route 53 change depends on: us-east-1's control plane, unless the zone has accelerated recovery. */
export function route53Dependency(t: Pick<Route53Target, 'zone' | 'acceleratedRecovery'>): string {
  return t.zone === 'public' && t.acceleratedRecovery
    ? 'us-east-1, or us-west-2 ~60 min into a us-east-1 impairment (accelerated recovery)'
    : 'us-east-1 (Route 53 control plane)';
}

/** The AWS CLI command that makes one change by hand, exactly as the cutover would. */
export function commandFor(a: CutoverAction): string {
  if (a.target === 'ssm') return `aws ssm put-parameter --region ${a.region} --name '${a.name}' --type String --overwrite --value '${a.value}'`;
  const batch = { Comment: 'rds-dr cutover', Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: a.recordName, Type: 'CNAME', TTL: a.ttl, ResourceRecords: [{ Value: a.value }] } }] };
  return `aws route53 change-resource-record-sets --hosted-zone-id ${a.hostedZoneId} --change-batch '${JSON.stringify(batch)}'`;
}

/**
 * The message of a cutover that did not finish: the new writer, what was repointed, what was not
 * (and why), and the one command line that finishes it. The workflow's failure alert quotes it, so
 * the person paged after a promotion knows exactly where the applications point.
 */
export function incompleteCutoverMessage(outcomes: CutoverOutcome[]): string {
  const failed = outcomes.filter((o) => o.outcome === 'failed');
  const required = failed.filter((o) => !o.action.bestEffort);
  const writer = outcomes[0]?.action.value ?? 'the new writer';
  const done = outcomes.filter((o) => o.outcome === 'updated' || o.outcome === 'unchanged').map((o) => describeAction(o.action));
  const notDone = failed.map((o) => `${describeAction(o.action)} — ${o.error}${o.action.target === 'route53' ? ` (depends on ${route53Dependency(o.action)})` : ''}`);
  const finish = required.map((o) => commandFor(o.action)).join(' && ');
  const later = failed.filter((o) => o.action.bestEffort).map((o) => commandFor(o.action));
  return [
    `endpoint cutover to ${writer} is incomplete.`,
    `Done: ${done.join('; ') || 'nothing'}.`,
    `Not done: ${notDone.join('; ')}.`,
    `Finish it with: ${finish}`,
    ...(later.length > 0 ? [`Best effort, once that region is back: ${later.join(' && ')}`] : []),
    'Re-running the cutover is also safe: a target that already holds the value is left alone.',
  ].join('\n');
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
      // Except a best-effort target whose region did not answer at all: the write would only spend the
      // fast client's attempts again (~15 s refused, ~30 s unresponsive) to fail the same way.
      if (action.bestEffort && gateway.isUnreachable(err)) {
        outcomes.push({ action, outcome: 'failed', error: `${errorText(err)} (reading it failed: ${action.target === 'ssm' ? action.region : 'the target'} unreachable, so no write was tried)` });
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
  if (outcomes.some((o) => o.outcome === 'failed' && !o.action.bestEffort)) throw new CutoverFailedError(incompleteCutoverMessage(outcomes));
  return outcomes;
}

/** One line per outcome, for the timeline and logs. */
export function summarizeCutover(outcomes: CutoverOutcome[]): string {
  if (outcomes.length === 0) return 'no endpoint targets configured';
  return outcomes
    .map((o) => `${describeAction(o.action)}: ${o.outcome}${o.before !== undefined && o.outcome !== 'unchanged' ? ` (was ${o.before})` : ''}${o.error ? ` — ${o.error}` : ''}`)
    .join('; ');
}
