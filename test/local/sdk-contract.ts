// What Step Functions' aws-sdk integrations accept, taken from the AWS SDK's own service schemas
// (the Smithy schemas @aws-sdk/client-* ship and export, e.g. RestoreDBInstanceFromDBSnapshot$),
// not from our guess of them:
// - field names are the AWS SDK for Java v2 member names, capitalised: the API member name with only
//   its leading run of capitals lower-cased (aws-sdk-java-v2 codegen Utils.unCapitalize:
//   "MFAToken" -> "mfaToken", "AWSRequest" -> "awsRequest"), then the first letter upper-cased:
//   DBInstanceIdentifier -> DbInstanceIdentifier, MultiAZ -> MultiAZ, SourceDBInstanceIdentifier stays;
// - errors are "<Service>.<ErrorShape without Fault/Exception>Exception" ("Using AWS SDK service
//   integrations" in the Step Functions developer guide), or the service's own base exception for an
//   error the model does not name.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The SDK packages of the services the workflows call through aws-sdk tasks. */
const PACKAGES: Record<string, string> = {
  rds: '@aws-sdk/client-rds',
  sns: '@aws-sdk/client-sns',
  kms: '@aws-sdk/client-kms',
  s3: '@aws-sdk/client-s3',
  cloudwatch: '@aws-sdk/client-cloudwatch',
  ssm: '@aws-sdk/client-ssm',
};

/** How Step Functions spells the service in error names: Rds.…, Sns.…, CloudWatch.… */
const ERROR_PREFIX: Record<string, string> = { rds: 'Rds', sns: 'Sns', kms: 'Kms', s3: 'S3', cloudwatch: 'CloudWatch', ssm: 'Ssm' };

/** aws-sdk-java-v2 codegen Utils.unCapitalize. */
export function unCapitalize(name: string): string {
  const run = /^[A-Z]+/.exec(name)?.[0] ?? '';
  if (run.length === name.length) return name.toLowerCase();
  if (run.length <= 1) return name.charAt(0).toLowerCase() + name.slice(1);
  // "MFAToken": the last capital of the run starts the next word.
  return run.slice(0, -1).toLowerCase() + name.slice(run.length - 1);
}

/** API member name -> the field name Step Functions accepts and returns. */
export function sfnMemberName(apiName: string): string {
  const java = unCapitalize(apiName);
  return java.charAt(0).toUpperCase() + java.slice(1);
}

/** SDK error name -> the Error a Step Functions aws-sdk task reports. */
export function sfnErrorName(service: string, sdkErrorName: string): string {
  return `${ERROR_PREFIX[service] ?? sfnMemberName(service)}.${sfnMemberName(sdkErrorName.replace(/(Fault|Exception)$/, ''))}Exception`;
}

// Smithy schema tuples as the SDK ships them: [3, ns, name, traits, memberNames, memberSchemas] for a
// structure, [1, ns, name, traits, memberSchema] for a list, [2, ns, name, traits, key, value] for a map,
// [9, ns, name, traits, () => input, () => output] for an operation, [-3, ns, name, …] for an error.
type Schema = number | (() => Schema) | Schema[] | unknown;
const resolve = (s: Schema): Schema => (typeof s === 'function' ? resolve((s as () => Schema)()) : s);
const isTuple = (s: Schema): s is unknown[] => Array.isArray(s) && typeof s[0] === 'number';

/** A structure's members by API name, following member schemas through thunks and [schema, traits] pairs. */
function structureOf(schema: Schema): Map<string, Schema> | undefined {
  let s = resolve(schema);
  if (Array.isArray(s) && !isTuple(s)) s = resolve(s[0]);
  if (!isTuple(s) || s[0] !== 3) return undefined;
  const names = s[4] as string[];
  const members = s[5] as Schema[];
  return new Map(names.map((n, i) => [n, members[i]]));
}

/** The element schema of a list, or undefined. */
function listElementOf(schema: Schema): Schema | undefined {
  let s = resolve(schema);
  if (Array.isArray(s) && !isTuple(s)) s = resolve(s[0]);
  return isTuple(s) && s[0] === 1 ? s[4] : undefined;
}

/** The Error Step Functions reports for an SDK error: its modelled name, or the service's base exception. */
export function sfnTaskErrorName(service: string, sdkErrorName: string): string {
  const named = sfnErrorName(service, sdkErrorName);
  return sfnErrorNames(service).has(named) ? named : `${ERROR_PREFIX[service]}.${ERROR_PREFIX[service]}Exception`;
}

const modules = new Map<string, Record<string, unknown>>();
function sdkModule(service: string): Record<string, unknown> {
  const pkg = PACKAGES[service];
  if (!pkg) throw new Error(`no SDK schemas wired for aws-sdk service "${service}"`);
  if (!modules.has(service)) modules.set(service, require(pkg) as Record<string, unknown>);
  return modules.get(service)!;
}

/** The operation's input structure, from `<Action>$` in the service package. */
function inputOf(service: string, action: string): Schema {
  const op = sdkModule(service)[`${action.charAt(0).toUpperCase()}${action.slice(1)}$`];
  if (!isTuple(op) || op[0] !== 9) throw new Error(`${service}:${action} is not an operation of ${PACKAGES[service]}`);
  return op[4];
}

export function hasOperation(service: string, action: string): boolean {
  try {
    inputOf(service, action);
    return true;
  } catch {
    return false;
  }
}

/** Every modelled error of the service, as Step Functions names it, plus its base exception. */
const errorNames = new Map<string, Set<string>>();
export function sfnErrorNames(service: string): Set<string> {
  const cached = errorNames.get(service);
  if (cached) return cached;
  const mod = sdkModule(service);
  const names = Object.values(mod)
    .filter((v): v is unknown[] => isTuple(v) && v[0] === -3)
    .map((v) => sfnErrorName(service, v[2] as string));
  const all = new Set([...names, `${ERROR_PREFIX[service]}.${ERROR_PREFIX[service]}Exception`, `${ERROR_PREFIX[service]}.SdkClientException`]);
  errorNames.set(service, all);
  return all;
}

/**
 * Renames a task's parameters (Step Functions names) to the SDK's member names, recursively. Every
 * field must be one the operation's input shape has under its Step Functions name; `problems` lists
 * each one that is not, with what is allowed there. Values that are paths ("X.$") name the field without
 * the suffix.
 */
export function toSdkInput(service: string, action: string, params: unknown): { input: unknown; problems: string[] } {
  const problems: string[] = [];
  const walk = (value: unknown, schema: Schema, where: string): unknown => {
    const element = listElementOf(schema);
    if (element !== undefined && Array.isArray(value)) return value.map((v, i) => walk(v, element, `${where}[${i}]`));
    const members = structureOf(schema);
    if (!members || !value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return value;
    const bySfnName = new Map([...members.keys()].map((m) => [sfnMemberName(m), m]));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const field = key.endsWith('.$') ? key.slice(0, -2) : key;
      const member = bySfnName.get(field);
      if (!member) {
        problems.push(`${where}.${field}: not a field of ${service}:${action} here; allowed: ${[...bySfnName.keys()].join(', ')}`);
        continue;
      }
      out[key.endsWith('.$') ? `${member}.$` : member] = walk(v, members.get(member), `${where}.${field}`);
    }
    return out;
  };
  const input = walk(params ?? {}, inputOf(service, action), 'Parameters');
  return { input, problems };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** An SDK result as Step Functions returns it: member names renamed, Dates as ISO strings, no $metadata. */
export function toSfnOutput(value: unknown): Json {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toSfnOutput);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined) continue;
      out[sfnMemberName(k)] = toSfnOutput(v);
    }
    return out;
  }
  return value as Json;
}
