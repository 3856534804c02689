// An RDS endpoint of its own for a database that lives on a shared PostgreSQL server: a TCP port
// that forwards to the server, rewriting the connection's startup message on the way (the database
// the client names becomes the one that holds the data; a read replica's sessions start read-only).
// What it forwards is decided per connection, so one endpoint keeps its address when the database
// behind it changes, as a promoted read replica keeps its endpoint in RDS.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** What a new connection reaches: the PostgreSQL database to use instead of the one asked for, and whether sessions are read-only. */
export interface EndpointRoute {
  database: string;
  readOnly: boolean;
}

export interface PgEndpoint {
  host: string;
  port: number;
  close(): Promise<void>;
}

// Protocol codes (PostgreSQL docs, "Message Formats"): v3.0 StartupMessage, SSLRequest, GSSENCRequest.
const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * `host`: the loopback address to listen on. RDS gives every instance its own endpoint host name, so
 * a writer endpoint moved from one instance to another (an SSM parameter holds the host only) is a
 * change the cutover can see; the data plane gives each endpoint its own address where it can.
 */
export async function startPgEndpoint(server: { host: string; port: number }, route: () => EndpointRoute | undefined, host = '127.0.0.1'): Promise<PgEndpoint> {
  const sockets = new Set<Socket>();
  const listener: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    forwardAfterStartup(client, server, route, sockets);
  });
  await new Promise<void>((resolve) => listener.listen(0, host, resolve));
  const address = listener.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        listener.close(() => resolve());
      }),
  };
}

/** Reads the client's first messages until its StartupMessage, rewrites that, then pipes both ways. */
function forwardAfterStartup(client: Socket, server: { host: string; port: number }, route: () => EndpointRoute | undefined, sockets: Set<Socket>): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 8 && buffered.length >= buffered.readInt32BE(0)) {
      const length = buffered.readInt32BE(0);
      const message = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      const code = message.readInt32BE(4);
      // No TLS or GSS encryption on loopback: answer 'N' and the client goes on in the clear.
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        client.write('N');
        continue;
      }
      client.off('data', onData);
      const target = route();
      if (!target) return void client.destroy(); // the database is gone: nothing listens any more
      const upstream = createConnection(server.port, server.host);
      sockets.add(upstream);
      upstream.on('close', () => (sockets.delete(upstream), client.destroy()));
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.write(code === PROTOCOL_3 ? rewriteStartup(message, target) : message); // CancelRequest: as is
      if (buffered.length) upstream.write(buffered);
      client.pipe(upstream);
      upstream.pipe(client);
      return;
    }
  };
  client.on('data', onData);
}

/** The StartupMessage with `database` replaced and, for a read-only route, default_transaction_read_only on. */
export function rewriteStartup(message: Buffer, route: EndpointRoute): Buffer {
  const fields = message.subarray(8, message.length - 1).toString('utf8').split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) params.set(fields[i], fields[i + 1]);
  params.set('database', route.database);
  if (route.readOnly) params.set('options', `${params.get('options') ?? ''} -c default_transaction_read_only=on`.trim());
  const body = Buffer.from([...params].map(([k, v]) => `${k}\0${v}\0`).join('') + '\0', 'utf8');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(PROTOCOL_3, 4);
  return Buffer.concat([header, body]);
}
