// moto keeps RDS metadata, not data. The local data plane gives snapshots real contents and makes
// restores real: when the backup workflow snapshots a database, the live PostgreSQL database behind
// it is dumped, keyed by snapshot ARN (DR copies point at their source's dump); when a workflow
// restores a snapshot, a new PostgreSQL server is started and loaded from that dump, and the RDS
// endpoint the Lambdas read is pointed at it. Lambdas never know: this lives in the test tooling.
//
// Read replicas follow the Amazon RDS User Guide, "Working with DB instance read replicas": a replica
// is created from a source instance (cross-Region: the request goes to the replica's Region and names
// the source by ARN), serves the source's data read-only as replication keeps it current, and
// PromoteReadReplica makes it "a standalone DB instance" holding the data it had replicated, after
// which the two no longer share changes. Here a replica reads the very PostgreSQL database of its
// source (zero lag) through an endpoint whose sessions are read-only; promotion copies that database
// into one of the replica's own (pg_dump/pg_restore: CREATE DATABASE … TEMPLATE would need every
// other session of the source closed) and the replica's endpoint then reaches the copy, read-write.
// Limits: instances only (Aurora cross-Region replicas are global clusters, which moto lacks); ids
// are not qualified by Region here, so a replica must not share its source's identifier; a replica
// of a database restored onto its own server has no data behind it. The endpoint (pg-endpoint.ts)
// reaches the main server, which trusts any TCP login but has only the roles tests create
// (`postgres`), not the instance's master user; its read-only default is a session default, which a
// session may override (SET / BEGIN READ WRITE), where a real replica refuses every write.
//
// MySQL-protocol engines (RDS mysql, mariadb, aurora-mysql) live on a main MariaDB server
// (mariadb.ts) the same way: `attach(kind, id, database, 'mysql')`. A snapshot captures a logical
// dump (mariadb-dump: one consistent transaction, with routines, triggers and events; the dump turns
// foreign_key_checks off while it loads, so rows whose foreign keys point at nothing survive, as in a
// physical snapshot); a restore starts a MariaDB server of its own and loads it; the managed master
// secret becomes a login with all privileges over TCP. Limits: read replicas and their promotion are
// PostgreSQL-only here (a MySQL-family replica gets no data behind it).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RDSClient } from '@aws-sdk/client-rds';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_ACCOUNT_ID } from './moto.js';
import type { Mariadb } from './mariadb.js';
import { freePort } from './processes.js';
import { startPgEndpoint, type PgEndpoint } from './pg-endpoint.js';
import { startPostgres, type Postgres } from './postgres.js';
import type { SdkCall } from './sdk-bridge.js';

type Out = Record<string, Record<string, unknown> | undefined>;
type Kind = 'instance' | 'cluster';
/** Which server holds a database: PostgreSQL for postgres/aurora-postgresql, MariaDB for mysql/mariadb/aurora-mysql. */
export type EngineFamily = 'postgres' | 'mysql';
type IncidentRestoreCall = { action: string; plan: { kind: 'instance' | 'cluster'; db: string; targetId: string; mode: 'pitr' | 'snapshot'; snapshotArn?: string } };

export class LocalDataPlane {
  private readonly live = new Map<string, string>(); // "instance:orders" -> pg database on the main server
  private readonly dumps = new Map<string, string>(); // snapshot ARN -> dump file
  // A promoted replica is a physical copy: inside, its database keeps the name it had on the source
  // (the plane's copy on the one local server needs another): copy -> that name, snapshot ARN -> the name its restore gets.
  private readonly namesInside = new Map<string, string>();
  private readonly dumpNames = new Map<string, string>();
  private readonly restored = new Map<string, Postgres>(); // restored instance/cluster id -> its own server
  private readonly unreachable = new Set<string>(); // databases whose restores refuse connections (fault)
  private readonly deadPorts = new Map<string, number>();
  private readonly swapped = new Set<string>(); // targets a rename cutover swapped in
  private readonly replicaSources = new Map<string, string>(); // read replica instance id -> its source instance id
  private readonly promoted = new Set<string>(); // instances that own a database the plane copied at promotion
  private readonly replicaEndpoints = new Map<string, PgEndpoint>(); // replica (or promoted replica) id -> its endpoint
  private readonly dir = mkdtempSync(join(tmpdir(), 'rdsdr-dumps-'));
  // MySQL family: live resources on the main MariaDB server, and the database each snapshot's dump holds (snapshot ARN -> name).
  private readonly mysqlLive = new Set<string>(); // "instance:orders" whose database is on the MariaDB server
  private readonly mysqlDumps = new Map<string, string>();
  private readonly restoredMariadb = new Map<string, Mariadb>(); // restored instance/cluster id -> its own MariaDB server

  constructor(
    private readonly postgres?: Postgres,
    private readonly mariadb?: Mariadb,
    private readonly startMariadbServer?: () => Promise<Mariadb>,
  ) {}

  private get pg(): Postgres {
    if (!this.postgres) throw new Error('no PostgreSQL server: start the local AWS withPostgres');
    return this.postgres;
  }

  private get mainMariadb(): Mariadb {
    if (!this.mariadb) throw new Error('no MariaDB server: start the local AWS withMariadb');
    return this.mariadb;
  }

  /**
   * Declares that RDS resource `id` of `kind` stores its data in database `database`: on the main
   * PostgreSQL server, or for the MySQL family (`family: 'mysql'`) on the main MariaDB server.
   */
  attach(kind: 'instance' | 'cluster', id: string, database: string, family: EngineFamily = 'postgres'): void {
    this.live.set(`${kind}:${id}`, database);
    if (family === 'mysql') this.mysqlLive.add(`${kind}:${id}`);
    else this.mysqlLive.delete(`${kind}:${id}`);
  }

  /** The engine family behind live resource `id` (a replica's: its source's). */
  private familyOf(kind: Kind, id: string, seen = new Set<string>()): EngineFamily {
    const source = kind === 'instance' ? this.replicaSources.get(id) : undefined;
    if (source !== undefined && !seen.has(id)) return this.familyOf('instance', source, seen.add(id));
    return this.mysqlLive.has(`${kind}:${id}`) ? 'mysql' : 'postgres';
  }

  /** Fault: restores whose id contains `fragment` get an endpoint where nothing listens. */
  refuseConnections(fragment: string): () => void {
    this.unreachable.add(fragment);
    return () => this.unreachable.delete(fragment);
  }

  /** Follows the workflows' aws-sdk calls. */
  readonly onSdkCall = async (call: SdkCall): Promise<void> => {
    if (call.service !== 'rds') return;
    const input = call.input as Record<string, string>;
    // A delete answered "not found" means the database is gone (e.g. the SDK retried a delete whose first
    // answer was lost under load, and the workflow caught the retry's DBInstanceNotFound as done).
    if (call.error) {
      if (isNotFound(call.error) && (call.action === 'deleteDBInstance' || call.action === 'deleteDBCluster')) await this.drop(input.DBInstanceIdentifier ?? input.DBClusterIdentifier);
      return;
    }
    if (!call.output) return;
    const out = call.output as Out;
    switch (call.action) {
      case 'createDBSnapshot':
        return this.capture('instance', String(out.DBSnapshot?.DBInstanceIdentifier), String(out.DBSnapshot?.DBSnapshotArn));
      case 'createDBClusterSnapshot':
        return this.capture('cluster', String(out.DBClusterSnapshot?.DBClusterIdentifier), String(out.DBClusterSnapshot?.DBClusterSnapshotArn));
      case 'restoreDBInstanceFromDBSnapshot':
        return this.restore(input.DBInstanceIdentifier, this.arn(call.region, 'snapshot', input.DBSnapshotIdentifier));
      case 'restoreDBClusterFromSnapshot':
        return this.restore(input.DBClusterIdentifier, this.arn(call.region, 'cluster-snapshot', input.SnapshotIdentifier));
      case 'modifyDBInstance':
      case 'modifyDBCluster': {
        const id = input.DBInstanceIdentifier ?? input.DBClusterIdentifier;
        const secret = (out.DBInstance ?? out.DBCluster)?.MasterUserSecret as { SecretArn?: string } | undefined;
        if (String(input.ManageMasterUserPassword) === 'true' && secret?.SecretArn) await this.grantMasterUser(call.region, id, secret.SecretArn);
        return;
      }
      case 'createDBInstanceReadReplica':
        return this.followReplica(input.DBInstanceIdentifier, input.SourceDBInstanceIdentifier);
      case 'promoteReadReplica':
        return this.promote(input.DBInstanceIdentifier);
      case 'deleteDBInstance':
        await this.forgetReplica(input.DBInstanceIdentifier);
        return this.drop(input.DBInstanceIdentifier);
      case 'deleteDBCluster':
        return this.drop(input.DBClusterIdentifier);
    }
  };

  /**
   * Follows the Lambdas that move data: a started DR copy holds its source's data; an incident
   * restore (restore-database) comes up as its own server — from the snapshot's dump, or for a
   * point-in-time restore from the source's data as it is now; a rename cutover moves names.
   */
  readonly onLambda = async (functionName: string, input: unknown, output: unknown): Promise<void> => {
    if (functionName === 'restore-database') return this.followIncidentRestore(input as IncidentRestoreCall, output as { started?: boolean });
    if (functionName === 'rename-cutover') return this.followRename(input as { plan: { kind: 'instance' | 'cluster'; db: string; targetId: string; replacedId: string } });
  };

  /**
   * Follows the RDS requests the Lambdas make themselves (a backup batch snapshots and copies): a
   * snapshot captures its database's data as it is now; a started DR copy holds its source's data;
   * a read replica follows its source until a promotion makes it a database of its own.
   */
  readonly onLambdaRdsCall = async (commandName: string, input: Record<string, unknown>, output: unknown): Promise<void> => {
    const out = output as Out;
    switch (commandName) {
      case 'CreateDBSnapshotCommand':
        return this.capture('instance', String(out.DBSnapshot?.DBInstanceIdentifier), String(out.DBSnapshot?.DBSnapshotArn));
      case 'CreateDBClusterSnapshotCommand':
        return this.capture('cluster', String(out.DBClusterSnapshot?.DBClusterIdentifier), String(out.DBClusterSnapshot?.DBClusterSnapshotArn));
      case 'CopyDBSnapshotCommand':
      case 'CopyDBClusterSnapshotCommand': {
        const source = String(input.SourceDBSnapshotIdentifier ?? input.SourceDBClusterSnapshotIdentifier);
        const copyArn = out.DBSnapshot?.DBSnapshotArn ?? out.DBClusterSnapshot?.DBClusterSnapshotArn;
        const dump = this.dumps.get(source);
        if (dump && copyArn) this.dumps.set(String(copyArn), dump);
        const name = this.dumpNames.get(source);
        if (name && copyArn) this.dumpNames.set(String(copyArn), name);
        const mysqlName = this.mysqlDumps.get(source);
        if (mysqlName !== undefined && copyArn) this.mysqlDumps.set(String(copyArn), mysqlName);
        return;
      }
      default:
        return this.followReplicaCall(commandName, input);
    }
  };

  /** The replica lifecycle requests, from whichever client made them (a Lambda's, a test's). */
  readonly followReplicaCall = async (commandName: string, input: Record<string, unknown>): Promise<void> => {
    switch (commandName) {
      case 'CreateDBInstanceReadReplicaCommand':
        return this.followReplica(String(input.DBInstanceIdentifier), String(input.SourceDBInstanceIdentifier));
      case 'PromoteReadReplicaCommand':
        return this.promote(String(input.DBInstanceIdentifier));
      case 'DeleteDBInstanceCommand':
        return this.forgetReplica(String(input.DBInstanceIdentifier));
    }
  };

  /** A Lambda's delete (the drill's leftover sweeper, a cleanup) ends a restored database's server, whether RDS answered or said it was already gone. */
  readonly followLambdaDelete = async (commandName: string, input: Record<string, unknown>, error?: string): Promise<void> => {
    if (error && !isNotFound(error)) return;
    if (commandName === 'DeleteDBInstanceCommand') await this.drop(String(input.DBInstanceIdentifier));
    if (commandName === 'DeleteDBClusterCommand') await this.drop(String(input.DBClusterIdentifier));
  };

  /**
   * The local AWS's own RDS clients (what tests use to set up a fleet) make replicas too: their
   * replica lifecycle requests are followed like the Lambdas'.
   */
  followReplicaCalls(client: RDSClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        await this.followReplicaCall(context.commandName ?? '', args.input as Record<string, unknown>);
        return result;
      },
      { step: 'initialize', name: `localDataPlaneReplicas-${Math.random()}` },
    );
  }

  /**
   * A new read replica serves its source's data as replication keeps it (zero lag here: it reads the
   * source's own database), read-only: "read replicas are read-only by default" (RDS User Guide,
   * "Working with DB instance read replicas"). The source may be named by ARN, from another Region.
   */
  private async followReplica(replicaId: string, sourceIdOrArn: string): Promise<void> {
    // Followed even before data is attached to the source: the replica reads whatever stands behind it.
    this.replicaSources.set(replicaId, instanceIdOf(sourceIdOrArn));
    // A replica re-created under the name of a promoted one follows its source, not the old copy.
    if (this.promoted.delete(replicaId)) this.live.delete(`instance:${replicaId}`);
    await this.openReplicaEndpoint(replicaId);
  }

  /**
   * PromoteReadReplica: the replica becomes a standalone instance holding what it had replicated,
   * and from then on neither it nor its old source sees the other's writes (RDS User Guide,
   * "Promoting a read replica to be a standalone DB instance"). Its endpoint stays the same.
   */
  private async promote(replicaId: string): Promise<void> {
    if (!this.replicaSources.has(replicaId)) return; // not a replica the plane follows, or promoted already
    const sourceDatabase = this.databaseOf('instance', replicaId);
    this.replicaSources.delete(replicaId);
    if (sourceDatabase === undefined) return; // a metadata-only source: nothing to hold
    if (this.familyOf('instance', replicaId) === 'mysql') return; // PostgreSQL-only here (see the header)
    const own = await this.copyDatabase(sourceDatabase, `${replicaId}-promoted-${++this.promotions}`);
    this.namesInside.set(own, this.namesInside.get(sourceDatabase) ?? sourceDatabase);
    this.live.set(`instance:${replicaId}`, own);
    this.promoted.add(replicaId);
  }

  private promotions = 0;
  private endpointHosts = 0;

  /**
   * A host of its own for each endpoint, as each RDS instance has its own endpoint name: on Linux every
   * 127.0.0.0/8 address is the loopback interface (127.1.x.y here, clear of the servers on 127.0.0.1);
   * elsewhere (macOS routes only 127.0.0.1 by default) they share 127.0.0.1 and differ by port.
   */
  private nextEndpointHost(): string {
    if (process.platform !== 'linux') return '127.0.0.1';
    const n = this.endpointHosts++;
    return `127.1.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  }

  /** A deleted replica (or promoted replica) no longer reaches any data. */
  private async forgetReplica(id: string): Promise<void> {
    this.replicaSources.delete(id);
    if (this.promoted.delete(id)) this.live.delete(`instance:${id}`);
    const endpoint = this.replicaEndpoints.get(id);
    this.replicaEndpoints.delete(id);
    await endpoint?.close();
  }

  /** The endpoint a replica keeps through its promotion: read-only to its source's database while it replicates, then its own. */
  private async openReplicaEndpoint(id: string): Promise<void> {
    if (this.replicaEndpoints.has(id) || !this.postgres) return;
    const endpoint = await startPgEndpoint(
      this.pg,
      () => {
        const database = this.databaseOf('instance', id);
        return database === undefined ? undefined : { database, readOnly: this.replicaSources.has(id) };
      },
      this.nextEndpointHost(),
    );
    this.replicaEndpoints.set(id, endpoint);
  }

  /**
   * A consistent copy of `from` as a new database (pg_dump reads one snapshot), made without
   * disturbing the sessions connected to `from`, as CREATE DATABASE … TEMPLATE would need to.
   */
  private async copyDatabase(from: string, to: string): Promise<string> {
    const name = to.slice(0, 63); // PostgreSQL's identifier limit
    const file = join(this.dir, `${encodeURIComponent(name)}.copy.dump`);
    this.pg.tool('pg_dump', ['-Fc', '-f', file, from]);
    await this.pg.createDatabase(name);
    this.pg.tool('pg_restore', ['--no-owner', '-d', name, file]);
    rmSync(file, { force: true });
    return name;
  }

  /**
   * The PostgreSQL database behind RDS resource `id`: its own, or for a read replica its source's
   * (followed through a chain of replicas).
   */
  private databaseOf(kind: Kind, id: string, seen = new Set<string>()): string | undefined {
    const source = kind === 'instance' ? this.replicaSources.get(id) : undefined;
    if (source !== undefined && !seen.has(id)) return this.databaseOf('instance', source, seen.add(id));
    return this.live.get(`${kind}:${id}`);
  }

  /** Whether `id` is a read replica the plane follows (not yet promoted). */
  isReplica(id: string): boolean {
    return this.replicaSources.has(id);
  }

  /**
   * Runs `sql` on the database behind RDS resource `id` (a replica's: its source's, in a read-only
   * session, as the replica would run it) and returns the rows.
   */
  async sql(kind: Kind, id: string, sql: string): Promise<Record<string, unknown>[]> {
    const database = this.databaseOf(kind, id);
    if (database === undefined) throw new Error(`no data behind ${kind} ${id}`);
    if (this.familyOf(kind, id) === 'mysql') return mysqlRows(this.mainMariadb, database, sql);
    const c = this.pg.client(database);
    await c.connect();
    try {
      if (kind === 'instance' && this.isReplica(id)) await c.query('SET default_transaction_read_only = on');
      return (await c.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  }

  private async followIncidentRestore(call: IncidentRestoreCall, output: { started?: boolean }): Promise<void> {
    if (call.action !== 'start' || !output?.started) return;
    const { plan } = call;
    if (plan.mode === 'snapshot') return this.restore(plan.targetId, plan.snapshotArn!);
    // PITR: the source's data as of now stands in for "as of restoreTime" (moto keeps no history).
    const database = this.databaseOf(plan.kind, plan.db);
    if (!database) return;
    const pitrArn = `pitr:${plan.targetId}`;
    const file = join(this.dir, `${encodeURIComponent(pitrArn)}.dump`);
    if (this.familyOf(plan.kind, plan.db) === 'mysql') this.dumpMysql(database, pitrArn, file);
    else this.pg.tool('pg_dump', ['-Fc', '-f', file, database]);
    this.dumps.set(pitrArn, file);
    await this.restore(plan.targetId, pitrArn);
  }

  /** A rename moves whichever data stands behind the old name (a live database or a restored server). */
  private followRename(call: { plan: { kind: 'instance' | 'cluster'; db: string; targetId: string; replacedId: string } }): void {
    const { kind, db, targetId, replacedId } = call.plan;
    const move = (from: string, to: string) => {
      const live = this.live.get(`${kind}:${from}`);
      if (live !== undefined && !this.live.has(`${kind}:${to}`)) {
        this.live.delete(`${kind}:${from}`);
        this.live.set(`${kind}:${to}`, live);
        if (this.mysqlLive.delete(`${kind}:${from}`)) this.mysqlLive.add(`${kind}:${to}`);
      }
      for (const servers of [this.restored, this.restoredMariadb] as Map<string, unknown>[]) {
        const server = servers.get(from);
        if (server && !servers.has(to)) {
          servers.delete(from);
          servers.set(to, server);
        }
      }
    };
    // The whole swap once per target (the Lambda's later calls find it done).
    if (this.swapped.has(targetId)) return;
    this.swapped.add(targetId);
    move(db, replacedId);
    move(targetId, db);
  }

  /**
   * Points the endpoints RDS reports for restored databases at their local servers, on the client
   * the Lambdas use (as DNS would, in AWS).
   */
  exposeRestoredEndpoints(client: RDSClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName !== 'DescribeDBInstancesCommand' && context.commandName !== 'DescribeDBClustersCommand') return result;
        const out = result.output as { DBInstances?: Record<string, unknown>[]; DBClusters?: Record<string, unknown>[] };
        for (const db of out.DBInstances ?? []) {
          const target = this.endpointOf(String(db.DBClusterIdentifier ?? db.DBInstanceIdentifier));
          if (target && db.Endpoint) db.Endpoint = { ...(db.Endpoint as object), Address: target.host, Port: target.port };
        }
        for (const c of out.DBClusters ?? []) {
          const target = this.endpointOf(String(c.DBClusterIdentifier));
          if (target) Object.assign(c, { Endpoint: target.host, Port: target.port });
        }
        return result;
      },
      { step: 'initialize', name: 'localDataPlaneEndpoints' },
    );
  }

  private endpointOf(id: string): { host: string; port: number } | undefined {
    const replica = this.replicaEndpoints.get(id);
    if (replica) return { host: replica.host, port: replica.port };
    const server = this.restored.get(id) ?? this.restoredMariadb.get(id);
    if (!server) return undefined;
    const dead = this.deadPorts.get(id);
    return { host: server.host, port: dead ?? server.port };
  }

  private arn(region: string, type: string, idOrArn: string): string {
    return idOrArn.startsWith('arn:') ? idOrArn : `arn:aws:rds:${region}:${LOCAL_ACCOUNT_ID}:${type}:${idOrArn}`;
  }

  private capture(kind: 'instance' | 'cluster', id: string, snapshotArn: string): void {
    const database = this.databaseOf(kind, id);
    if (!database) return; // a resource without data behind it (metadata-only fleet member)
    const file = join(this.dir, `${encodeURIComponent(snapshotArn)}.dump`);
    if (this.familyOf(kind, id) === 'mysql') this.dumpMysql(database, snapshotArn, file);
    else this.pg.tool('pg_dump', ['-Fc', '-f', file, database]);
    this.dumps.set(snapshotArn, file);
    const inside = this.namesInside.get(database);
    if (inside) this.dumpNames.set(snapshotArn, inside);
  }

  /**
   * A logical dump of `database` on the main MariaDB server, as a snapshot holds it: one consistent
   * read (--single-transaction), with the routines, triggers and events, and — as mariadb-dump writes
   * by default — foreign_key_checks off while it loads, so orphan rows come back as they were.
   */
  private dumpMysql(database: string, snapshotArn: string, file: string): void {
    this.mainMariadb.tool('mariadb-dump', ['--single-transaction', '--routines', '--triggers', '--events', '--hex-blob', `--result-file=${file}`, database]);
    this.mysqlDumps.set(snapshotArn, database);
  }

  private async restore(id: string, snapshotArn: string): Promise<void> {
    const dump = this.dumps.get(snapshotArn);
    if (!dump || this.restored.has(id) || this.restoredMariadb.has(id)) return;
    const mysqlDatabase = this.mysqlDumps.get(snapshotArn);
    if (mysqlDatabase !== undefined) return this.restoreMysql(id, dump, mysqlDatabase);
    const server = await startPostgres({ passwordAuth: true });
    const inside = this.dumpNames.get(snapshotArn);
    if (inside) {
      await server.createDatabase(inside);
      server.tool('pg_restore', ['--no-owner', '-d', inside, dump]);
    } else {
      server.tool('pg_restore', ['--create', '--no-owner', '-d', 'postgres', dump]);
    }
    this.restored.set(id, server);
    if ([...this.unreachable].some((f) => id.includes(f))) this.deadPorts.set(id, await freePort());
  }

  /** A restored MySQL-family database: a MariaDB server of its own, loaded with the snapshot's dump under the source database's name. */
  private async restoreMysql(id: string, dump: string, database: string): Promise<void> {
    if (!this.startMariadbServer) throw new Error(`cannot restore ${id}: no MariaDB servers in this local AWS (start it withMariadb)`);
    const server = await this.startMariadbServer();
    try {
      await server.createDatabase(database);
      server.tool('mariadb', [database], readFileSync(dump, 'utf8'));
    } catch (err) {
      await server.stop();
      throw err;
    }
    this.restoredMariadb.set(id, server);
    if ([...this.unreachable].some((f) => id.includes(f))) this.deadPorts.set(id, await freePort());
  }

  /** RDS's managed master secret becomes the restored server's login (the server admits nobody else over TCP). */
  private async grantMasterUser(region: string, id: string, secretArn: string): Promise<void> {
    const mariadb = this.restoredMariadb.get(id);
    const server = this.restored.get(id);
    if (!server && !mariadb) return;
    const secret = await new SecretsManagerClient({ region }).send(new GetSecretValueCommand({ SecretId: secretArn }));
    const { username, password } = JSON.parse(secret.SecretString ?? '{}') as { username: string; password: string };
    if (mariadb) return grantMysqlMasterUser(mariadb, username, password);
    if (!server) return;
    const c = server.client('postgres');
    await c.connect();
    try {
      const role = c.escapeIdentifier(username);
      await c.query(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${c.escapeLiteral(username)}) THEN CREATE ROLE ${role} LOGIN; END IF; END $$`);
      await c.query(`ALTER ROLE ${role} WITH LOGIN SUPERUSER PASSWORD ${c.escapeLiteral(password)}`);
    } finally {
      await c.end();
    }
  }

  private async drop(id: string): Promise<void> {
    const server = this.restored.get(id) ?? this.restoredMariadb.get(id);
    if (!server) return;
    this.restored.delete(id);
    this.restoredMariadb.delete(id);
    this.deadPorts.delete(id);
    await server.stop();
  }

  /** Ids of restored databases whose servers are still running (a leak if a drill is over). */
  get runningRestores(): string[] {
    return [...this.restored.keys(), ...this.restoredMariadb.keys()];
  }

  /** The MariaDB server behind a restored MySQL-family database (administrator access over its socket), for assertions. */
  restoredMariadbServer(id: string): Mariadb | undefined {
    return this.restoredMariadb.get(id);
  }

  /** The server behind a restored database (superuser access over its socket), for assertions. */
  restoredServer(id: string): Postgres | undefined {
    return this.restored.get(id);
  }

  /** The PostgreSQL database (on the main server) behind live RDS resource `id` (a replica's: its source's). */
  liveDatabase(kind: 'instance' | 'cluster', id: string): string | undefined {
    return this.databaseOf(kind, id);
  }

  hasData(snapshotArn: string): boolean {
    return this.dumps.has(snapshotArn);
  }

  /** Loads the data a snapshot holds into a new database on the main server. */
  async restoreInto(snapshotArn: string, database: string): Promise<void> {
    const dump = this.dumps.get(snapshotArn);
    if (!dump) throw new Error(`no data captured for snapshot ${snapshotArn}`);
    if (this.mysqlDumps.has(snapshotArn)) {
      await this.mainMariadb.createDatabase(database);
      this.mainMariadb.tool('mariadb', [database], readFileSync(dump, 'utf8'));
      return;
    }
    await this.pg.createDatabase(database);
    this.pg.tool('pg_restore', ['--no-owner', '-d', database, dump]);
  }

  async dispose(): Promise<void> {
    for (const id of this.runningRestores) await this.drop(id);
    for (const endpoint of this.replicaEndpoints.values()) await endpoint.close();
    this.replicaEndpoints.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `sql` (one or more statements) on `database` of a MariaDB server; the rows of the last statement that returned rows. */
async function mysqlRows(server: Mariadb, database: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = await server.client(database);
  try {
    const [result] = await c.query(sql);
    if (!Array.isArray(result)) return [];
    // Several statements answer one result per statement (row arrays, or headers for writes).
    const perStatement = result.some((r) => Array.isArray(r) || (r as { constructor?: { name?: string } })?.constructor?.name === 'ResultSetHeader');
    if (!perStatement) return result as Record<string, unknown>[];
    return ((result as unknown[]).filter((r) => Array.isArray(r)).at(-1) ?? []) as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

/**
 * The master user over TCP with every privilege, as RDS's master user has on its instance (a login from
 * any host: the server listens on loopback only).
 */
async function grantMysqlMasterUser(server: Mariadb, username: string, password: string): Promise<void> {
  const c = await server.client();
  try {
    const user = `${c.escape(username)}@'%'`;
    await c.query(`CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY ${c.escape(password)}; ALTER USER ${user} IDENTIFIED BY ${c.escape(password)}; GRANT ALL PRIVILEGES ON *.* TO ${user} WITH GRANT OPTION`);
  } finally {
    await c.end();
  }
}

function isNotFound(errorName: string): boolean {
  return /NotFound/.test(errorName);
}

/** `orders` from `orders` or from `arn:aws:rds:us-east-1:123456789012:db:orders` (a cross-Region source). */
function instanceIdOf(idOrArn: string): string {
  return idOrArn.startsWith('arn:') ? idOrArn.slice(idOrArn.indexOf(':db:') + 4) : idOrArn;
}
