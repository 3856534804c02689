// IAM for the local AWS: every SDK call a Lambda or a state machine makes is evaluated by
// @cloud-copilot/iam-simulate against the synthesized policies before it reaches moto; a denied
// call fails as AWS fails it. iam-simulate and iam-data are AGPL test-only devDependencies: only
// test/local imports them, and Lambdas are bundled from lambdas/ (test/layout.test.ts).
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { ListTagsForResourceCommand, RDSClient } from '@aws-sdk/client-rds';
import { currentCaller, describeCaller, type Caller } from './caller.js';
import { lambdaPrincipal, stateMachinePrincipal, type PolicyDocument, type PolicySet, type Principal } from './policies.js';
import { checksFor, type Check, type Context } from './requests.js';

/** The error each service answers an unauthorized call with (its API reference's common errors). */
const ACCESS_DENIED: Record<string, string> = {
  rds: 'AccessDenied',
  s3: 'AccessDenied',
  cloudwatch: 'AccessDenied',
  route53: 'AccessDenied',
  sns: 'AuthorizationErrorException',
  kms: 'AccessDeniedException',
  ssm: 'AccessDeniedException',
  secretsmanager: 'AccessDeniedException',
  states: 'AccessDeniedException',
  dynamodb: 'AccessDeniedException',
};

/** The default key policy: the account's IAM policies decide (AWS KMS Developer Guide, "Default key policy"). */
const defaultKeyPolicy = (account: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
});

export interface Decision {
  caller: Caller;
  check: Check;
  allowed: boolean;
}

export class IamDenied extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 403 };
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
  override get name(): string {
    return this.errorName;
  }
}

export interface SimulatorOptions {
  policies: PolicySet;
  /** Clients to read resource tags and key aliases with, unevaluated (moto). */
  rds: (region: string) => RDSClient;
  kms: (region: string) => KMSClient;
}

type Middleware = (next: (args: { input: unknown }) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => (args: { input: unknown }) => Promise<unknown>;
interface Client {
  middlewareStack: { add(mw: Middleware, options: { step: 'initialize'; name: string }): void };
  config: { region: () => Promise<string> | string };
}

let active: IamSimulator | undefined;
const installed = new WeakSet<object>();

export class IamSimulator {
  /** Every evaluated check, in order (tests assert on them). */
  readonly decisions: Decision[] = [];

  constructor(private readonly options: SimulatorOptions) {}

  /** The synthesized policies in force (tests may narrow one to watch a call fail). */
  get policies(): PolicySet {
    return this.options.policies;
  }

  /** This simulator judges the calls of every client with the middleware from now on. */
  activate(): void {
    active = this;
  }

  deactivate(): void {
    if (active === this) active = undefined;
  }

  /**
   * Evaluates each call the client sends while a caller is set, before any other middleware (and
   * before retries: AWS does not retry an AccessDenied). Installed once per client: the handlers'
   * clients are cached across local AWS instances in one test file.
   */
  static install(client: unknown): void {
    const c = client as Client;
    if (installed.has(c)) return;
    installed.add(c);
    c.middlewareStack.add(
      (next, context) => async (args) => {
        const caller = currentCaller();
        if (caller && active) {
          const region = await c.config.region();
          await active.authorize(caller, { clientName: context.clientName ?? '', commandName: context.commandName ?? '', input: (args.input ?? {}) as Record<string, unknown>, region });
        }
        return next(args);
      },
      { step: 'initialize', name: 'rds-dr-iam-simulation' },
    );
  }

  principalOf(caller: Caller): Principal {
    const { principals } = this.options.policies;
    const principal =
      caller.kind === 'lambda'
        ? (caller.workflow && principals[lambdaPrincipal(caller.name, caller.region, caller.workflow)]) || principals[lambdaPrincipal(caller.name, caller.region)]
        : principals[stateMachinePrincipal(caller.workflow, caller.region)];
    if (!principal) throw new Error(`IAM simulation: the synthesized app has no ${describeCaller(caller)}; it cannot make this call in AWS`);
    return principal;
  }

  /** Where a Lambda runs when no workflow run names the deployment: the primary stack's, if both deploy it. */
  homeRegionOf(lambda: string): string | undefined {
    return this.options.policies.lambdaHomeRegions[lambda as never];
  }

  /** Throws the service's access-denied error unless every check of the call is allowed. */
  async authorize(caller: Caller, call: { clientName: string; commandName: string; input: Record<string, unknown>; region: string }): Promise<void> {
    const { policies } = this.options;
    const checks = await checksFor(
      { ...call, account: policies.account },
      { topicKey: (arn) => policies.topicKeys[arn], bucketKey: (bucket) => policies.bucketKeys[bucket] },
    );
    const operation = call.commandName.replace(/Command$/, '');
    for (const check of checks) {
      const service = call.clientName === 'RDSClient' ? 'rds' : check.action.split(':')[0];
      await this.enforce(caller, check, call.region, check.viaServiceError ?? ACCESS_DENIED[service] ?? 'AccessDenied', check.viaServiceError ? ` (${operation} uses the key on the caller's behalf)` : '');
    }
  }

  /**
   * A state machine's Lambda task: Step Functions invokes the function with the state machine's role
   * and reports a refused invocation as Lambda.AWSLambdaException (Step Functions Developer Guide,
   * "Handling errors": Lambda service exceptions).
   */
  async authorizeInvoke(caller: Caller, functionArn: string): Promise<void> {
    await this.enforce(caller, { action: 'lambda:InvokeFunction', resource: functionArn, context: {} }, caller.region, 'Lambda.AWSLambdaException', '');
  }

  private async enforce(caller: Caller, check: Check, region: string, errorName: string, note: string): Promise<void> {
    const principal = this.principalOf(caller);
    const verdict = await this.evaluate(principal, check, region);
    this.decisions.push({ caller, check, allowed: verdict.allowed });
    if (verdict.allowed) return;
    throw new IamDenied(
      errorName,
      `User: ${principal.roleArn} (${describeCaller(caller)}) is not authorized to perform: ${check.action} on resource: ${check.resource}${note} ` +
        `because ${verdict.why} [local IAM simulation]`,
    );
  }

  private async evaluate(principal: Principal, check: Check, region: string): Promise<{ allowed: boolean; why: string }> {
    const resourcePolicy = this.resourcePolicyOf(check.resource);
    const context: Context = {
      'aws:PrincipalArn': principal.roleArn,
      'aws:PrincipalAccount': this.options.policies.account,
      'aws:PrincipalType': 'AssumedRole',
      'aws:SecureTransport': 'true',
      'aws:RequestedRegion': region,
      'aws:CurrentTime': new Date().toISOString(),
      ...(await this.resourceContext(principal, resourcePolicy, check.resource)),
      ...check.context,
    };
    const result = await runSimulation(
      {
        request: { principal: principal.roleArn, action: check.action, resource: { resource: check.resource, accountId: this.options.policies.account }, contextVariables: context },
        identityPolicies: principal.policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy,
      },
      { simulationMode: 'Strict' },
    );
    if (result.resultType === 'error') throw new Error(`IAM simulation could not evaluate ${check.action} on ${check.resource}: ${JSON.stringify(result.errors)}`);
    const allowed = result.overallResult === 'Allowed';
    const why =
      result.overallResult === 'ExplicitlyDenied'
        ? 'an explicit deny applies'
        : resourcePolicy && check.action.startsWith('kms:')
          ? 'neither the role\'s policies (with the key policy\'s delegation to IAM) nor the key policy allow it'
          : 'no identity-based policy allows it';
    return { allowed, why };
  }

  private resourcePolicyOf(resource: string): PolicyDocument | undefined {
    const { policies } = this.options;
    if (resource.startsWith('arn:aws:kms:') && resource.includes(':key/')) return policies.resourcePolicies[resource] ?? defaultKeyPolicy(policies.account);
    if (resource.startsWith('arn:aws:s3:::')) return policies.resourcePolicies[`arn:aws:s3:::${resource.slice(13).split('/')[0]}`];
    return policies.resourcePolicies[resource];
  }

  /** Resource tags and key aliases, read from moto only when a policy could look at them. */
  private async resourceContext(principal: Principal, resourcePolicy: PolicyDocument | undefined, resource: string): Promise<Context> {
    const text = JSON.stringify([principal.policies, resourcePolicy ?? null]);
    const context: Context = {};
    const [, , service, region, , type] = resource.split(':');
    if (service === 'rds' && !resource.includes('*') && /ResourceTag\/|-tag\//.test(text) && ['db', 'cluster', 'snapshot', 'cluster-snapshot'].includes(type)) {
      const tags = await this.options
        .rds(region)
        .send(new ListTagsForResourceCommand({ ResourceName: resource }))
        .then((o) => o.TagList ?? [])
        .catch(() => []); // a resource the call creates has no tags yet
      for (const t of tags) {
        context[`aws:ResourceTag/${t.Key}`] = t.Value ?? '';
        context[`rds:${type}-tag/${t.Key}`] = t.Value ?? '';
      }
    }
    // Every bucket of the local AWS is the local account's (S3 ARNs carry no account).
    if (service === 's3') context['s3:ResourceAccount'] = this.options.policies.account;
    if (service === 'kms' && resource.includes(':key/')) {
      let aliases = this.options.policies.keyAliases[resource];
      if (!aliases) {
        const listed = await this.options.kms(region).send(new ListAliasesCommand({ KeyId: resource.split('/').pop() })).catch(() => ({ Aliases: [] }));
        aliases = (listed.Aliases ?? []).map((a) => a.AliasName ?? '');
      }
      if (aliases.length) context['kms:ResourceAliases'] = aliases;
      context['kms:CallerAccount'] = this.options.policies.account;
    }
    return context;
  }
}
