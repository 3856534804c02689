// Every AWS SDK client rds-dr uses, one per service, region and reachability, created on first use
// (so endpoint settings from the environment apply). The only place that constructs a client.
//
// Healthy regions get adaptive retries: the RDS API budget (~12 requests/s sustained per account and
// region) is shared by every tool in the account, and adaptive mode slows down on throttling.
// A region that may be down (the primary during a failover) gets clients that give up fast (short
// connect/request timeouts, few attempts) instead of holding a step for minutes. So does a person
// at a terminal (`rds-dr status`), who may be looking because a region is down.
//
// requestTimeout alone only logs a warning in @smithy/node-http-handler 4.x ("Init client
// requestHandler with throwOnRequestTimeout=true to turn this into an error"): without
// throwOnRequestTimeout an endpoint that takes the connection and never answers holds the call
// for ever (found with the local AWS's unresponsive region, test/local/region-outage.ts).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';

/** Client settings for a region that may be down: ~3 attempts of at most a few seconds each. */
export const IMPAIRED_REGION_CLIENT = { maxAttempts: 3, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true } } as const;
/** Client settings for someone waiting at a terminal, whichever region is down: 2 attempts of at most a few seconds. */
export const INTERACTIVE_CLIENT = { maxAttempts: 2, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true } } as const;
/** Client settings for a reachable region: patient, adaptive retries. */
const HEALTHY_REGION_CLIENT = { maxAttempts: 8, retryMode: 'adaptive' } as const;

/**
 * How a client's calls may wait: `healthy` (patient, adaptive), `impaired` (the region may be
 * unreachable: the primary region during a failover), `interactive` (the CLI, for every region).
 * `true` / `false` stand for impaired / healthy.
 */
export type Reach = 'healthy' | 'impaired' | 'interactive';
const PROFILES: Record<Reach, object> = { healthy: HEALTHY_REGION_CLIENT, impaired: IMPAIRED_REGION_CLIENT, interactive: INTERACTIVE_CLIENT };
const reachOf = (reach: Reach | boolean): Reach => (reach === true ? 'impaired' : reach === false ? 'healthy' : reach);

const cache = new Map<string, unknown>();
function cached<T>(service: string, region: string, reach: Reach | boolean, make: (config: object) => T): T {
  const key = `${service}:${region}:${reachOf(reach)}`;
  if (!cache.has(key)) cache.set(key, make({ region, ...PROFILES[reachOf(reach)] }));
  return cache.get(key) as T;
}

export const awsClients = {
  rds: (region: string, reach: Reach | boolean = false) => cached('rds', region, reach, (c) => new RDSClient(c)),
  ssm: (region: string, reach: Reach | boolean = false) => cached('ssm', region, reach, (c) => new SSMClient(c)),
  sns: (region: string, reach: Reach | boolean = false) => cached('sns', region, reach, (c) => new SNSClient(c)),
  s3: (region: string, reach: Reach | boolean = false) => cached('s3', region, reach, (c) => new S3Client(c)),
  cloudwatch: (region: string) => cached('cloudwatch', region, false, (c) => new CloudWatchClient(c)),
  secrets: (region: string) => cached('secrets', region, false, (c) => new SecretsManagerClient(c)),
  /** The coordination table (copy slots, work ledger) lives in the primary region. */
  dynamodb: (region: string) => cached('dynamodb', region, false, (c) => new DynamoDBClient(c)),
  /** Step Functions for the CLI; `endpoint` points it at a local Step Functions (tests). */
  sfn: (region: string, endpoint?: string) => cached(`sfn${endpoint ?? ''}`, region, false, (c) => new SFNClient({ ...c, ...(endpoint ? { endpoint } : {}) })),
  /** Route 53's control plane is global; its API endpoint is in us-east-1. */
  // Only the incident cutover changes records, when us-east-1 may be the impaired region: give up fast
  // and report, rather than hold the cutover step (see lambdas/core/endpoint-cutover.ts).
  route53: () => cached('route53', 'us-east-1', true, (c) => new Route53Client(c)),
};

/** The region of an ARN (arn:partition:service:region:account:...). */
export const regionOfArn = (arn: string): string => arn.split(':')[3];
