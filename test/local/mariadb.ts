// A throwaway MariaDB server from Debian's `mariadb-server` package, on a free loopback port, for the
// MySQL-protocol engines (RDS mysql, mariadb, aurora-mysql). It ignores every my.cnf (--no-defaults),
// so a system MariaDB that apt may have started is neither used nor disturbed: own datadir, own
// socket, own port. MariaDB refuses to run as root, so as root it runs as the `mysql` system user
// (created by the package). Sized small so that many run at once on a 2-core machine.
//
// Start time (measured on the 2-core CI machine, MariaDB 10.11): mariadb-install-db takes ~2 s, so
// it runs once into a template datadir that each server copies (~0.1 s) while any runs; the server is
// then ready for connections in ~0.9 s. Each idle server holds ~115 MB resident.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort, startServer, stopProcess, waitFor } from './processes.js';

export interface Mariadb {
  host: string;
  port: number;
  /** The administrator, who logs in over the socket only (no TCP login until one is created, as on RDS). */
  user: string;
  socket: string;
  /** Runs a MariaDB client tool (mariadb, mariadb-dump, ...) as administrator over the server's socket. */
  tool(name: string, args: string[], input?: string): string;
  /** An administrator connection over the socket (multiple statements allowed). */
  client(database?: string): Promise<mysql.Connection>;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Server settings: a small footprint (durability is not a concern for a throwaway server), RDS's defaults where they matter. */
const SMALL_SERVER = [
  '--skip-name-resolve',
  '--skip-log-bin',
  '--performance-schema=OFF',
  '--innodb-buffer-pool-size=16M',
  '--innodb-log-file-size=8M',
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--innodb-buffer-pool-load-at-startup=OFF',
  '--innodb-buffer-pool-dump-at-shutdown=OFF',
  '--max-connections=100',
  // RDS's default time_zone is UTC; the verifier reads times as UTC.
  '--default-time-zone=+00:00',
];

const asRoot = () => process.getuid?.() === 0;

function giveToMysqlUser(path: string): void {
  if (!asRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'mysql']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'mysql']).toString().trim());
  chmodSync(path, 0o755);
  chownSync(path, uid, gid);
}

/** mariadbd lives in /usr/sbin on Debian, which a non-root user's PATH may lack. */
function mariadbd(): string {
  for (const candidate of ['mariadbd', '/usr/sbin/mariadbd']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'pipe' });
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new Error('MariaDB server not found: no mariadbd on PATH or in /usr/sbin (apt-get install -y mariadb-server)');
}

// Shared by the servers running in this process; removed when the last of them stops (test workers
// are killed, not exited, so an exit hook would leave it behind).
let template: { dir: string; datadir: string; server: string; users: number } | undefined;

/** A freshly installed datadir (system tables, root@localhost without password), made once while servers run. */
function useTemplate(): { datadir: string; server: string } {
  if (template) {
    template.users++;
    return template;
  }
  const server = mariadbd();
  const dir = mkdtempSync(join(tmpdir(), 'rdsdr-mariadb-template-'));
  giveToMysqlUser(dir);
  const user = asRoot() ? ['--user=mysql'] : [];
  execFileSync(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${join(dir, 'data')}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db', ...SMALL_SERVER],
    { stdio: 'pipe' },
  );
  template = { dir, datadir: join(dir, 'data'), server, users: 1 };
  return template;
}

function releaseTemplate(): void {
  if (!template || --template.users > 0) return;
  rmSync(template.dir, { recursive: true, force: true });
  template = undefined;
}

export async function startMariadb(): Promise<Mariadb> {
  const { datadir: source, server } = useTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'rdsdr-mariadb-'));
  giveToMysqlUser(dir);
  const dataDir = join(dir, 'data');
  execFileSync('cp', ['-a', source, dataDir]); // -a keeps the mysql user's ownership
  const socket = join(dir, 'mariadb.sock');
  const port = await freePort();
  const host = '127.0.0.1';
  const user = 'root';
  const proc = startServer(server, [
    '--no-defaults',
    ...(asRoot() ? ['--user=mysql'] : []),
    `--datadir=${dataDir}`,
    `--socket=${socket}`,
    `--pid-file=${join(dir, 'mariadb.pid')}`,
    `--bind-address=${host}`,
    `--port=${port}`,
    ...SMALL_SERVER,
  ]);
  const client = async (database?: string) => mysql.createConnection({ socketPath: socket, user, database, multipleStatements: true });
  try {
    await waitFor(`MariaDB on ${host}:${port}`, async () => {
      if (proc.child.exitCode !== null) throw new Error('mariadbd exited');
      const c = await client();
      try {
        // The installer also lets root in from 127.0.0.1/::1 without a password; RDS admits only the
        // master user over TCP, and so does this server once the data plane creates one.
        await c.query("DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost'; FLUSH PRIVILEGES");
      } finally {
        await c.end();
      }
      return true;
    });
  } catch (err) {
    await stopProcess(proc.child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    releaseTemplate();
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  return {
    host,
    port,
    user,
    socket,
    tool(name, args, input) {
      return execFileSync(name, ['--no-defaults', `--socket=${socket}`, `--user=${user}`, ...args], { input, maxBuffer: 256 * 1024 * 1024 }).toString();
    },
    client,
    async createDatabase(name) {
      const c = await client();
      try {
        await c.query(`CREATE DATABASE ${mysql.escapeId(name)}`);
      } finally {
        await c.end();
      }
    },
    async stop() {
      // mariadbd switches to the mysql user itself (no runuser in between): SIGTERM reaches it and it shuts down cleanly.
      await stopProcess(proc.child, 'SIGTERM', 20_000);
      rmSync(dir, { recursive: true, force: true });
      releaseTemplate();
    },
  };
}
