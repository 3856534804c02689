// Every AWS SDK client rds-dr uses, one per service, region and reachability, created on first use
// (so endpoint settings from the environment apply). The only place that constructs a client.
//
// Healthy regions get adaptive retries: the RDS API budget (~12 requests/s sustained per account and
// region) is shared by every tool in the account, and adaptive mode slows down on throttling.
// A region that may be down (the primary during a failover) gets clients that give up fast (short
// connect/request timeouts, few attempts) instead of holding a step for minutes.
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
export const IMPAIRED_REGION_CLIENT = { maxAttempts: 3, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 } } as const;
/** Client settings for a reachable region: patient, adaptive retries. */
const HEALTHY_REGION_CLIENT = { maxAttempts: 8, retryMode: 'adaptive' } as const;

const cache = new Map<string, unknown>();
function cached<T>(service: string, region: string, impaired: boolean, make: (config: object) => T): T {
  const key = `${service}:${region}:${impaired ? 'impaired' : 'healthy'}`;
  if (!cache.has(key)) cache.set(key, make({ region, ...(impaired ? IMPAIRED_REGION_CLIENT : HEALTHY_REGION_CLIENT) }));
  return cache.get(key) as T;
}

/** `impaired`: the region may be unreachable (the primary region during a failover). */
export const awsClients = {
  rds: (region: string, impaired = false) => cached('rds', region, impaired, (c) => new RDSClient(c)),
  ssm: (region: string, impaired = false) => cached('ssm', region, impaired, (c) => new SSMClient(c)),
  sns: (region: string, impaired = false) => cached('sns', region, impaired, (c) => new SNSClient(c)),
  s3: (region: string) => cached('s3', region, false, (c) => new S3Client(c)),
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
