// Step Functions' aws-sdk integrations name fields and errors the way the AWS SDK for Java v2 does:
// acronyms become capitalised words (DBSnapshotIdentifier -> DbSnapshotIdentifier) and errors are
// "<Service>.<Name>Exception" (DBSnapshotAlreadyExistsFault -> Rds.DbSnapshotAlreadyExistsException).
// The local runner converts between those names and SDK v3's so the ASL files run unchanged.

const WORDS = /[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g;

/** SDK v3 / API name -> Step Functions (Java v2) name. */
export function toSfnName(name: string): string {
  return (name.match(WORDS) ?? [name]).map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
}

// Acronyms each service spells in capitals in its API; the Java-style name lowercases them.
const SERVICE_ACRONYMS: Record<string, string[]> = {
  rds: ['DB', 'IAM', 'AZ'],
  sns: [],
  s3: [],
  cloudwatch: [],
  kms: [],
};

/** Step Functions (Java v2) name -> SDK v3 / API name for `service`. */
export function toSdkName(service: string, name: string): string {
  const acronyms = new Set(SERVICE_ACRONYMS[service] ?? []);
  return (name.match(WORDS) ?? [name]).map((w) => (acronyms.has(w.toUpperCase()) ? w.toUpperCase() : w)).join('');
}

const SERVICE_ERROR_PREFIX: Record<string, string> = { rds: 'Rds', sns: 'Sns', s3: 'S3', cloudwatch: 'CloudWatch', kms: 'Kms' };

/** SDK v3 error name -> the Error a Step Functions aws-sdk task reports. */
export function toSfnErrorName(service: string, sdkErrorName: string): string {
  const base = sdkErrorName.replace(/(Fault|Exception)$/, '');
  return `${SERVICE_ERROR_PREFIX[service] ?? toSfnName(service)}.${toSfnName(base)}Exception`;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Renames object keys recursively (values untouched); Dates become ISO strings like the JSON SFN sees. */
export function renameKeys(value: unknown, rename: (key: string) => string): Json {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined) continue;
      out[rename(k)] = renameKeys(v, rename);
    }
    return out;
  }
  return value as Json;
}
