// SDK clients for the incident workflows, one per service and region, created on first use.
// Calls into the primary region are expected to fail during a regional outage, so its clients give
// up fast (short connect/request timeouts, few attempts) instead of holding a step for minutes.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';

/** Client settings for a region that may be down: ~3 attempts of at most a few seconds each. */
export const IMPAIRED_REGION_CLIENT = { maxAttempts: 3, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 } } as const;
/** Client settings for the region we fail over to: patient, adaptive retries (the RDS API budget is shared). */
const HEALTHY_REGION_CLIENT = { maxAttempts: 6, retryMode: 'adaptive' } as const;

const cache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

/** `impaired`: the region may be unreachable (the primary region during a failover). */
const opts = (region: string, impaired: boolean) => ({ region, ...(impaired ? IMPAIRED_REGION_CLIENT : HEALTHY_REGION_CLIENT) });
const key = (service: string, region: string, impaired: boolean) => `${service}:${region}:${impaired ? 'impaired' : 'healthy'}`;

export const incidentClients = {
  rds: (region: string, impaired = false) => cached(key('rds', region, impaired), () => new RDSClient(opts(region, impaired))),
  ssm: (region: string, impaired = false) => cached(key('ssm', region, impaired), () => new SSMClient(opts(region, impaired))),
  sns: (region: string, impaired = false) => cached(key('sns', region, impaired), () => new SNSClient(opts(region, impaired))),
  s3: (region: string) => cached(key('s3', region, false), () => new S3Client(opts(region, false))),
  cloudwatch: (region: string) => cached(key('cloudwatch', region, false), () => new CloudWatchClient(opts(region, false))),
  /** Route 53 is global (its API endpoint is in us-east-1). */
  route53: () => cached('route53', () => new Route53Client({ region: 'us-east-1', ...HEALTHY_REGION_CLIENT })),
};

