// Starts IAM simulation for one local AWS: synthesizes (or reads from cache) the app for its config
// and evaluates calls against the resulting policies (simulator.ts).
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient } from '@aws-sdk/client-rds';
import { extractPolicies, type LocalValues } from './policies.js';
import { IamSimulator } from './simulator.js';
import { synthesizeTemplates } from './synth.js';

export { IamSimulator } from './simulator.js';

/**
 * Ids moto generates anew in every run (VPC, subnets, hosted zone) would defeat the synth cache:
 * the app is synthesized with fixed stand-ins, which are swapped back in the templates.
 */
function withStandIns(config: Record<string, unknown>): { config: Record<string, unknown>; standIns: [string, string][] } {
  const standIns: [string, string][] = [];
  const standIn = (real: string, make: (n: number) => string) => {
    const known = standIns.find(([, r]) => r === real);
    if (known) return known[0];
    const fake = make(standIns.length + 1);
    standIns.push([fake, real]);
    return fake;
  };
  const walk = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    if (typeof value !== 'string') return value;
    const id = /^(vpc|subnet|sg)-[0-9a-f]{8,17}$/.exec(value);
    if (id) return standIn(value, (n) => `${id[1]}-${String(n).padStart(17, '0')}`);
    if (key === 'hostedZoneId') return standIn(value, (n) => `ZSTANDIN${String(n).padStart(12, '0')}`);
    return value;
  };
  return { config: walk(config) as Record<string, unknown>, standIns };
}

export interface IamSimulationOptions {
  /** The raw config the local AWS runs (after prepare and the drill network). */
  rawConfig: Record<string, unknown>;
  local: LocalValues;
  /** Client config reaching moto directly (resource tags and key aliases are read unevaluated). */
  clientConfig: (region: string) => object;
}

export async function startIamSimulation(options: IamSimulationOptions): Promise<IamSimulator> {
  const { config, standIns } = withStandIns({ ...options.rawConfig, account: options.local.account });
  const synthesized = await synthesizeTemplates(config);
  let text = JSON.stringify(synthesized);
  for (const [fake, real] of standIns) text = text.split(fake).join(real);
  const policies = extractPolicies(JSON.parse(text), options.local);
  const rds = new Map<string, RDSClient>();
  const kms = new Map<string, KMSClient>();
  const simulator = new IamSimulator({
    policies,
    rds: (region) => rds.get(region) ?? rds.set(region, new RDSClient(options.clientConfig(region))).get(region)!,
    kms: (region) => kms.get(region) ?? kms.set(region, new KMSClient(options.clientConfig(region))).get(region)!,
  });
  simulator.activate();
  return simulator;
}
