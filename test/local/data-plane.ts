// moto keeps RDS metadata, not data. The local data plane gives snapshots real contents and makes
// restores real: when the backup workflow snapshots a database, the live PostgreSQL database behind
// it is dumped, keyed by snapshot ARN (DR copies point at their source's dump); when a workflow
// restores a snapshot, a new PostgreSQL server is started and loaded from that dump, and the RDS
// endpoint the Lambdas read is pointed at it. Lambdas never know: this lives in the test tooling.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RDSClient } from '@aws-sdk/client-rds';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_ACCOUNT_ID } from './moto.js';
import { freePort } from './processes.js';
import { startPostgres, type Postgres } from './postgres.js';
import type { SdkCall } from './sdk-bridge.js';

type Out = Record<string, Record<string, unknown> | undefined>;
type IncidentRestoreCall = { action: string; plan: { kind: 'instance' | 'cluster'; db: string; targetId: string; mode: 'pitr' | 'snapshot'; snapshotArn?: string } };

export class LocalDataPlane {
  private readonly live = new Map<string, string>(); // "instance:orders" -> pg database on the main server
  private readonly dumps = new Map<string, string>(); // snapshot ARN -> dump file
  private readonly restored = new Map<string, Postgres>(); // restored instance/cluster id -> its own server
  private readonly unreachable = new Set<string>(); // databases whose restores refuse connections (fault)
  private readonly deadPorts = new Map<string, number>();
  private readonly swapped = new Set<string>(); // targets a rename cutover swapped in
  private readonly dir = mkdtempSync(join(tmpdir(), 'rdsdr-dumps-'));

  constructor(private readonly pg: Postgres) {}

  /** Declares that RDS resource `id` of `kind` stores its data in PostgreSQL database `database`. */
  attach(kind: 'instance' | 'cluster', id: string, database: string): void {
    this.live.set(`${kind}:${id}`, database);
  }

  /** Fault: restores whose id contains `fragment` get an endpoint where nothing listens. */
  refuseConnections(fragment: string): () => void {
    this.unreachable.add(fragment);
    return () => this.unreachable.delete(fragment);
  }

  /** Follows the workflows' aws-sdk calls. */
  readonly onSdkCall = async (call: SdkCall): Promise<void> => {
    if (call.service !== 'rds' || !call.output) return;
    const input = call.input as Record<string, string>;
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
      case 'deleteDBInstance':
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
   * snapshot captures its database's data as it is now; a started DR copy holds its source's data.
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
        return;
      }
    }
  };

  private async followIncidentRestore(call: IncidentRestoreCall, output: { started?: boolean }): Promise<void> {
    if (call.action !== 'start' || !output?.started) return;
    const { plan } = call;
    if (plan.mode === 'snapshot') return this.restore(plan.targetId, plan.snapshotArn!);
    // PITR: the source's data as of now stands in for "as of restoreTime" (moto keeps no history).
    const database = this.live.get(`${plan.kind}:${plan.db}`);
    if (!database) return;
    const pitrArn = `pitr:${plan.targetId}`;
    const file = join(this.dir, `${encodeURIComponent(pitrArn)}.dump`);
    this.pg.tool('pg_dump', ['-Fc', '-f', file, database]);
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
      }
      const server = this.restored.get(from);
      if (server && !this.restored.has(to)) {
        this.restored.delete(from);
        this.restored.set(to, server);
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
    const server = this.restored.get(id);
    if (!server) return undefined;
    const dead = this.deadPorts.get(id);
    return { host: server.host, port: dead ?? server.port };
  }

  private arn(region: string, type: string, idOrArn: string): string {
    return idOrArn.startsWith('arn:') ? idOrArn : `arn:aws:rds:${region}:${LOCAL_ACCOUNT_ID}:${type}:${idOrArn}`;
  }

  private capture(kind: 'instance' | 'cluster', id: string, snapshotArn: string): void {
    const database = this.live.get(`${kind}:${id}`);
    if (!database) return; // a resource without data behind it (metadata-only fleet member)
    const file = join(this.dir, `${encodeURIComponent(snapshotArn)}.dump`);
    this.pg.tool('pg_dump', ['-Fc', '-f', file, database]);
    this.dumps.set(snapshotArn, file);
  }

  private async restore(id: string, snapshotArn: string): Promise<void> {
    const dump = this.dumps.get(snapshotArn);
    if (!dump || this.restored.has(id)) return;
    const server = await startPostgres({ passwordAuth: true });
    server.tool('pg_restore', ['--create', '--no-owner', '-d', 'postgres', dump]);
    this.restored.set(id, server);
    if ([...this.unreachable].some((f) => id.includes(f))) this.deadPorts.set(id, await freePort());
  }

  /** RDS's managed master secret becomes the restored server's login (the server admits nobody else over TCP). */
  private async grantMasterUser(region: string, id: string, secretArn: string): Promise<void> {
    const server = this.restored.get(id);
    if (!server) return;
    const secret = await new SecretsManagerClient({ region }).send(new GetSecretValueCommand({ SecretId: secretArn }));
    const { username, password } = JSON.parse(secret.SecretString ?? '{}') as { username: string; password: string };
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
    const server = this.restored.get(id);
    if (!server) return;
    this.restored.delete(id);
    this.deadPorts.delete(id);
    await server.stop();
  }

  /** Ids of restored databases whose servers are still running (a leak if a drill is over). */
  get runningRestores(): string[] {
    return [...this.restored.keys()];
  }

  /** The server behind a restored database (superuser access over its socket), for assertions. */
  restoredServer(id: string): Postgres | undefined {
    return this.restored.get(id);
  }

  /** The PostgreSQL database (on the main server) behind live RDS resource `id`. */
  liveDatabase(kind: 'instance' | 'cluster', id: string): string | undefined {
    return this.live.get(`${kind}:${id}`);
  }

  hasData(snapshotArn: string): boolean {
    return this.dumps.has(snapshotArn);
  }

  /** Loads the data a snapshot holds into a new database on the main server. */
  async restoreInto(snapshotArn: string, database: string): Promise<void> {
    const dump = this.dumps.get(snapshotArn);
    if (!dump) throw new Error(`no data captured for snapshot ${snapshotArn}`);
    await this.pg.createDatabase(database);
    this.pg.tool('pg_restore', ['--no-owner', '-d', database, dump]);
  }

  async dispose(): Promise<void> {
    for (const id of [...this.restored.keys()]) await this.drop(id);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
