// moto_server as the local AWS endpoint (RDS, S3, SNS, SQS, KMS, EventBridge, CloudWatch, DynamoDB: one port serves every service).
import { fileURLToPath } from 'node:url';
import { freePort, startServer, stopProcess, waitFor } from './processes.js';

const MOTO_SERVER = fileURLToPath(new URL('./moto-server.py', import.meta.url));

export const LOCAL_ACCOUNT_ID = '123456789012';
/** The UUID at the end of the local stacks' ids (AWS::StackId); the DR stack names its reports bucket by its first group. */
export const LOCAL_STACK_UUID = '5e1f0c2a-7d3b-4e6a-9b8c-1d2e3f4a5b6c';

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** Extra environment for moto_server, e.g. { MOTO_RDS_SNAPSHOT_LIMIT: '5' }. */
  env?: Record<string, string>;
}

/**
 * Manual DB instance snapshots and manual DB cluster snapshots: 100 each per region by default
 * (Amazon RDS User Guide, "Quotas in Amazon RDS"). moto's own default is 1000; a test that needs
 * more raises MOTO_RDS_SNAPSHOT_LIMIT, as an account raises the quota. moto also counts the one
 * automated snapshot it takes of each new instance, so locally the limit bites that many early.
 */
export const RDS_MANUAL_SNAPSHOT_QUOTA = 100;

export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const port = await freePort();
  // moto_server itself, with DynamoDB's conditional writes made atomic (see moto-server.py).
  const server = startServer('python3', [MOTO_SERVER, '-H', '127.0.0.1', '-p', String(port)], { MOTO_RDS_SNAPSHOT_LIMIT: String(RDS_MANUAL_SNAPSHOT_QUOTA), ...process.env, ...options.env });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`moto_server on ${endpoint}`, async () => (await fetch(`${endpoint}/moto-api/`)).ok, 60_000);
  } catch (err) {
    await stopProcess(server.child);
    throw new Error(`${(err as Error).message}\n${server.output()}`);
  }
  return { endpoint, stop: () => stopProcess(server.child) };
}

/**
 * Points every SDK v3 client created from now on in this process at moto. Handlers stay unaware:
 * the SDK reads AWS_ENDPOINT_URL itself, exactly as it would read a real endpoint override.
 */
export function useMotoForSdk(moto: Moto, region: string): void {
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = region;
  delete process.env.AWS_PROFILE;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  // moto 5.2.1 answers a gzip-compressed request body (the SDK compresses PutMetricData from 10 KB on,
  // ~150 data points) with HTTP 500; CloudWatch reads both, so locally requests go uncompressed.
  process.env.AWS_DISABLE_REQUEST_COMPRESSION = 'true';
}

/** Client config for test code that talks to moto directly. */
export function motoClientConfig(moto: Moto, region: string) {
  return { region, endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}
