// A whole region failing at the network level, for every client of the local AWS: the Lambdas'
// (lambdas/aws/clients.ts), the workflows' aws-sdk:* tasks (sdk-bridge.ts), the CLI's (it builds
// its clients through the same awsClients) and the alerting's (the notifier Lambdas' SNS clients).
//
// What the SDK sees is what it sees when a region's endpoints cannot be reached: the request never
// reaches an AWS service, the connection fails. moto serves every region on one port, so a region
// is told apart by the region the client is configured for (the region its requests are signed
// for, SigV4's credential scope); each attempt to a failed region is sent to a loopback port instead:
// - `refused`: nothing listens there: the connect fails with ECONNREFUSED at once;
// - `unresponsive`: a server takes the connection and never answers, as an endpoint whose load
//   balancer is up and whose service is not: only the client's requestTimeout ends the attempt.
// Both are errors the SDK classifies as transient (NODEJS_TIMEOUT_ERROR_CODES ECONNREFUSED, and
// TimeoutError, in @smithy's service-error-classification), so its retry strategy retries them as
// it would in AWS: a client's maxAttempts and timeouts decide how long a call to a failed region
// takes. Route 53's API is global, with its control plane in us-east-1 (its client signs for
// us-east-1; "Amazon Route 53 ... control plane" in the AWS Fault Isolation Boundaries whitepaper):
// an outage of us-east-1 takes it too.
//
// The test's own clients (LocalStack.rds, motoClientConfig) are not part of it: they are the test's
// eyes on the world, not a caller in it.
import { createServer, type Server, type Socket } from 'node:net';
import { freePort } from './processes.js';

export type OutageKind = 'refused' | 'unresponsive';

/** One attempt a client made to a failed region (each retry is an attempt). */
export interface BlockedAttempt {
  region: string;
  /** The SDK's client name, e.g. RDSClient. */
  client: string;
  command: string;
  /** The client's attempt limit (its retry profile, lambdas/aws/clients.ts): the SDK's retry quota may cut a call's attempts shorter. */
  maxAttempts?: number;
}

export interface RegionOutage {
  readonly region: string;
  readonly kind: OutageKind;
  /** Every attempt sent into the outage, in order. */
  readonly attempts: BlockedAttempt[];
  /** The region is reachable again: the next attempt reaches moto; hanging connections are reset. */
  end(): Promise<void>;
}

type Active = { outage: RegionOutage; port: number };
type MiddlewareClient = {
  config: { region: () => Promise<string>; maxAttempts?: () => Promise<number> };
  middlewareStack: { add(mw: unknown, options: { step: 'finalizeRequest'; priority: 'low'; name: string }): void };
};

class RegionOutageBoard {
  private readonly down = new Map<string, Active>();
  private readonly installed = new WeakSet<object>();

  /** Makes `region` unreachable for every client that carries the board until the returned outage ends. */
  async fail(region: string, kind: OutageKind = 'refused'): Promise<RegionOutage> {
    if (this.down.has(region)) throw new Error(`region ${region} is already down`);
    const { port, close } = kind === 'refused' ? { port: await freePort(), close: async () => undefined } : await unresponsiveServer();
    const attempts: BlockedAttempt[] = [];
    const outage: RegionOutage = {
      region,
      kind,
      attempts,
      end: async () => {
        if (this.down.get(region)?.outage === outage) this.down.delete(region);
        await close();
      },
    };
    this.down.set(region, { outage, port });
    return outage;
  }

  isDown(region: string): boolean {
    return this.down.has(region);
  }

  /** Ends every outage (a test that failed midway must not leave a region down for the next one). */
  async endAll(): Promise<void> {
    await Promise.all([...this.down.values()].map((a) => a.outage.end()));
  }

  /**
   * Sends each attempt of `client` to a failed region to the outage's port. Innermost in the
   * finalizeRequest step (after the retry middleware and the signer), so it sees every attempt, as
   * signed for the region, and the SDK's retry strategy sees the connection error.
   */
  install(client: unknown): void {
    const c = client as MiddlewareClient;
    if (this.installed.has(c)) return;
    this.installed.add(c);
    c.middlewareStack.add(
      (next: (args: { request: unknown }) => Promise<unknown>, context: { clientName?: string; commandName?: string }) =>
        async (args: { request: unknown }) => {
          const region = await c.config.region();
          const active = this.down.get(region);
          const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
          if (active && request?.hostname !== undefined) {
            const maxAttempts = c.config.maxAttempts ? await c.config.maxAttempts() : undefined;
            active.outage.attempts.push({ region, client: context.clientName ?? '', command: context.commandName ?? '', maxAttempts });
            request.protocol = 'http:';
            request.hostname = '127.0.0.1';
            request.port = active.port;
          }
          return next(args);
        },
      { step: 'finalizeRequest', priority: 'low', name: 'local-region-outage' },
    );
  }
}

/** A loopback server that accepts connections and never answers; closing it resets them. */
async function unresponsiveServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The network of this process: one board for every local AWS a test file starts. */
export const regionOutages = new RegionOutageBoard();
