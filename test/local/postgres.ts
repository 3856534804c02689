// A throwaway PostgreSQL server from Debian's packages, on a free loopback port. PostgreSQL refuses
// to run as root, so as root it runs as the `postgres` system user (created by the package).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, startServer, stopProcess, waitFor } from './processes.js';

export interface Postgres {
  host: string;
  port: number;
  user: string;
  binDir: string;
  /** Runs a PostgreSQL client tool (pg_dump, psql, ...) as superuser over the server's socket. */
  tool(name: string, args: string[], input?: string): string;
  /** A superuser connection over the socket. */
  client(database: string): pg.Client;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install -y postgresql)');
  versions.sort((a, b) => Number(b) - Number(a));
  return join(root, versions[0], 'bin');
}

export interface PostgresOptions {
  /** Require passwords on TCP (scram-sha-256), as RDS does; admin work always goes through the socket. */
  passwordAuth?: boolean;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
  const binDir = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const runAs = (cmd: string, args: string[]) => (asRoot ? { cmd: 'runuser', args: ['-u', 'postgres', '--', cmd, ...args] } : { cmd, args });
  const dir = mkdtempSync(join(tmpdir(), 'rdsdr-pg-'));
  const dataDir = join(dir, 'data');
  if (asRoot) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const auth = options.passwordAuth ? ['--auth-local=trust', '--auth-host=scram-sha-256'] : ['--auth=trust'];
  const initdb = runAs(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', ...auth, '--no-sync', '-E', 'UTF8']);
  execFileSync(initdb.cmd, initdb.args, { stdio: 'pipe' });
  const port = await freePort();
  const server = runAs(join(binDir, 'postgres'), ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off']);
  const proc = startServer(server.cmd, server.args);
  const host = '127.0.0.1';
  const user = 'postgres';
  // Administrative connections use the Unix socket (trusted); applications use TCP on `host`.
  const client = (database: string) => new pg.Client({ host: dir, port, user, database });
  try {
    await waitFor(`PostgreSQL on ${host}:${port}`, async () => {
      const c = client('postgres');
      await c.connect();
      await c.end();
      return true;
    });
  } catch (err) {
    await stopProcess(proc.child, 'SIGINT');
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  return {
    host,
    port,
    user,
    binDir,
    tool(name, args, input) {
      return execFileSync(join(binDir, name), ['-h', dir, '-p', String(port), '-U', user, ...args], { input, maxBuffer: 256 * 1024 * 1024 }).toString();
    },
    client,
    async createDatabase(name) {
      const c = client('postgres');
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await c.end();
      }
    },
    async stop() {
      // Signals sent to runuser do not reach postgres; pg_ctl asks the server itself.
      const exited = new Promise<void>((resolve) => (proc.child.exitCode !== null ? resolve() : proc.child.once('exit', () => resolve())));
      const pgCtl = runAs(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      try {
        execFileSync(pgCtl.cmd, pgCtl.args, { stdio: 'pipe' });
        await exited;
      } catch {
        await stopProcess(proc.child, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
