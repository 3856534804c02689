import { RDSClient } from '@aws-sdk/client-rds';

// Adaptive retry mode slows down on throttling, which matters because the RDS API budget
// (~12 req/s sustained) is shared by every tool in the account and region.
const clients = new Map<string, RDSClient>();

/** One RDS client per region, created on first use (so endpoint settings from the environment apply). */
export function rdsClient(region: string): RDSClient {
  let client = clients.get(region);
  if (!client) {
    client = new RDSClient({ region, retryMode: 'adaptive', maxAttempts: 8 });
    clients.set(region, client);
  }
  return client;
}
