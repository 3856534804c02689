// moto keeps RDS metadata, not data. The local data plane gives snapshots real contents: when the
// backup workflow snapshots a database, the live PostgreSQL database behind it is dumped and the
// dump is keyed by the snapshot ARN; a DR copy points at its source's dump. Lambdas never see this.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Postgres } from './postgres.js';
import type { SdkCall } from './sdk-bridge.js';

type Snap = { DBSnapshotArn?: string; DBInstanceIdentifier?: string; DBClusterSnapshotArn?: string; DBClusterIdentifier?: string };

export class LocalDataPlane {
  private readonly live = new Map<string, string>(); // "instance:orders" -> pg database
  private readonly dumps = new Map<string, string>(); // snapshot ARN -> dump file
  private readonly dir = mkdtempSync(join(tmpdir(), 'rdsdr-dumps-'));

  constructor(private readonly pg: Postgres) {
    mkdirSync(this.dir, { recursive: true });
  }

  /** Declares that RDS resource `id` of `kind` stores its data in PostgreSQL database `database`. */
  attach(kind: 'instance' | 'cluster', id: string, database: string): void {
    this.live.set(`${kind}:${id}`, database);
  }

  /** Follows the workflow's aws-sdk calls: a created snapshot captures the database at that moment. */
  readonly onSdkCall = (call: SdkCall): void => {
    if (call.service !== 'rds' || !call.output) return;
    const out = call.output as { DBSnapshot?: Snap; DBClusterSnapshot?: Snap };
    if (call.action === 'createDBSnapshot' && out.DBSnapshot?.DBSnapshotArn) {
      this.capture('instance', out.DBSnapshot.DBInstanceIdentifier ?? '', out.DBSnapshot.DBSnapshotArn);
    }
    if (call.action === 'createDBClusterSnapshot' && out.DBClusterSnapshot?.DBClusterSnapshotArn) {
      this.capture('cluster', out.DBClusterSnapshot.DBClusterIdentifier ?? '', out.DBClusterSnapshot.DBClusterSnapshotArn);
    }
  };

  /** Follows the copy Lambda: a started DR copy holds the same data as its source. */
  readonly onLambda = (functionName: string, input: unknown, output: unknown): void => {
    if (!functionName.endsWith('copy-snapshot')) return;
    const source = (input as { sourceSnapshotArn: string }).sourceSnapshotArn;
    const copy = output as { arn: string; started: boolean };
    const dump = this.dumps.get(source);
    if (dump && copy.arn) this.dumps.set(copy.arn, dump);
  };

  private capture(kind: 'instance' | 'cluster', id: string, snapshotArn: string): void {
    const database = this.live.get(`${kind}:${id}`);
    if (!database) return; // a resource without data behind it (metadata-only fleet member)
    const file = join(this.dir, `${encodeURIComponent(snapshotArn)}.dump`);
    this.pg.tool('pg_dump', ['-Fc', '-f', file, database]);
    this.dumps.set(snapshotArn, file);
  }

  hasData(snapshotArn: string): boolean {
    return this.dumps.has(snapshotArn);
  }

  /** Loads the data a snapshot holds into a new PostgreSQL database (what a restore yields). */
  async restoreInto(snapshotArn: string, database: string): Promise<void> {
    const dump = this.dumps.get(snapshotArn);
    if (!dump) throw new Error(`no data captured for snapshot ${snapshotArn}`);
    await this.pg.createDatabase(database);
    this.pg.tool('pg_restore', ['--no-owner', '-d', database, dump]);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
