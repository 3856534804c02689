// Executes `arn:aws:states:::aws-sdk:<service>:<action>` Task resources as real SDK v3 calls
// (against moto in tests), with the field and error names Step Functions uses (sdk-contract.ts).
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { enforceRdsContracts } from './fidelity.js';
import { runAs, type Caller } from './iam/caller.js';
import { IamSimulator } from './iam/simulator.js';
import { regionOutages } from './region-outage.js';
import { sfnTaskErrorName, toSdkInput, toSfnOutput } from './sdk-contract.js';

type SdkModule = Record<string, unknown>;
const SDK_MODULES: Record<string, () => Promise<SdkModule>> = {
  rds: () => import('@aws-sdk/client-rds') as Promise<SdkModule>,
  sns: () => import('@aws-sdk/client-sns') as Promise<SdkModule>,
  kms: () => import('@aws-sdk/client-kms') as Promise<SdkModule>,
};
const CLIENT_CLASS: Record<string, string> = { rds: 'RDSClient', sns: 'SNSClient', kms: 'KMSClient' };

export interface SdkCall {
  region: string;
  service: string;
  action: string;
  input: unknown;
  output?: unknown;
  error?: string;
}

export class SdkTaskError extends Error {
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

export function parseSdkResource(resource: string): { service: string; action: string } | undefined {
  const m = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
  return m ? { service: m[1], action: m[2] } : undefined;
}

export class SdkBridge {
  private readonly clients = new Map<string, { send(cmd: unknown): Promise<unknown> }>();
  readonly calls: SdkCall[] = [];
  private readonly listeners: ((call: SdkCall) => Promise<void> | void)[] = [];

  /** `prepareRdsClient`: what the local AWS installs on every RDS client besides the contracts (faults.ts RdsFaultBoard). */
  constructor(
    private readonly region: string,
    private readonly prepareRdsClient: (client: never) => void = () => undefined,
  ) {}

  private s3?: S3Client;

  /** What a Distributed Map's ItemReader reads, as `caller` (the state machine's role). */
  async readObject(bucket: string, key: string, caller?: Caller): Promise<string> {
    const get = () => this.s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const out = await (caller ? runAs(caller, get) : get());
    return out.Body!.transformToString();
  }

  /** What a Distributed Map's ResultWriter writes, as `caller`. */
  async writeObject(bucket: string, key: string, body: string, caller?: Caller): Promise<void> {
    const put = () => this.s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    await (caller ? runAs(caller, put) : put());
  }

  private s3Client(): S3Client {
    if (!this.s3) {
      this.s3 = new S3Client({ region: this.region, forcePathStyle: true, maxAttempts: 3 });
      IamSimulator.install(this.s3);
      regionOutages.install(this.s3);
    }
    return this.s3;
  }

  /** Observe each call, answered (`output`) or refused (`error`): the local data plane follows snapshots and deletions. */
  onCall(listener: (call: SdkCall) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  /** `caller`: the state machine whose task this is; its role's policies judge the call (test/local/iam). */
  async invoke(service: string, action: string, sfnInput: unknown, caller?: Caller): Promise<unknown> {
    const load = SDK_MODULES[service];
    if (!load) throw new Error(`local runner: aws-sdk service "${service}" is not wired`);
    const mod = await load();
    const commandName = `${action[0].toUpperCase()}${action.slice(1)}Command`;
    const Command = mod[commandName] as (new (input: unknown) => unknown) | undefined;
    if (!Command) throw new Error(`local runner: ${service} has no ${commandName}`);
    let client = this.clients.get(service);
    if (!client) {
      const Client = mod[CLIENT_CLASS[service]] as new (cfg: object) => { send(cmd: unknown): Promise<unknown> };
      client = new Client({ region: this.region, maxAttempts: 3 });
      if (service === 'rds') {
        enforceRdsContracts([client as never]);
        this.prepareRdsClient(client as never);
      }
      IamSimulator.install(client);
      regionOutages.install(client);
      this.clients.set(service, client);
    }
    const { input, problems } = toSdkInput(service, action, sfnInput);
    // Step Functions refuses such a definition at deploy time; a run must not get further than that.
    if (problems.length) throw new SdkTaskError('States.Runtime', `aws-sdk:${service}:${action}: ${problems.join('; ')}`);
    const call: SdkCall = { region: this.region, service, action, input };
    try {
      const send = () => client.send(new Command(input));
      call.output = await (caller ? runAs(caller, send) : send());
    } catch (err) {
      call.error = (err as Error).name;
      this.calls.push(call);
      for (const listener of this.listeners) await listener(call);
      // An error the service's model does not name (Throttling, AccessDenied, InvalidParameterValue) reaches
      // Step Functions as the service's base exception, with the code in the cause.
      throw new SdkTaskError(sfnTaskErrorName(service, (err as Error).name), `${(err as Error).name}: ${(err as Error).message}`);
    }
    this.calls.push(call);
    for (const listener of this.listeners) await listener(call);
    return toSfnOutput(call.output);
  }
}
