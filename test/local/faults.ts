// moto flips statuses to `available` at once; slow, stuck or failed resources are injected here,
// on the SDK client a handler really uses, by rewriting what "AWS" answered.
import type { RDSClient } from '@aws-sdk/client-rds';

type SnapshotLike = { Status?: string; DBSnapshotIdentifier?: string; DBClusterSnapshotIdentifier?: string };
type DatabaseLike = { DBInstanceStatus?: string; DBInstanceIdentifier?: string; Status?: string; DBClusterIdentifier?: string };

/** Makes Describe(DB|DBCluster)Snapshots report `status` for snapshot `id` until the returned undo is called. */
export function holdSnapshotStatus(client: RDSClient, id: string, status: string): () => void {
  const name = `hold-${id}-${status}-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'DescribeDBSnapshotsCommand' || context.commandName === 'DescribeDBClusterSnapshotsCommand') {
        const out = result.output as { DBSnapshots?: SnapshotLike[]; DBClusterSnapshots?: SnapshotLike[] };
        for (const s of [...(out.DBSnapshots ?? []), ...(out.DBClusterSnapshots ?? [])]) {
          if (s.DBSnapshotIdentifier === id || s.DBClusterSnapshotIdentifier === id) s.Status = status;
        }
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}

/** Makes Describe(DBInstances|DBClusters) report `status` for instance/cluster `id` (or every id it matches) until undone. */
export function holdDatabaseStatus(client: RDSClient, id: string | RegExp, status: string): () => void {
  const matches = (name: string | undefined) => (typeof id === 'string' ? name === id : name !== undefined && id.test(name));
  const name = `hold-db-${id}-${status}-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const out = result.output as { DBInstances?: DatabaseLike[]; DBClusters?: DatabaseLike[] };
      if (context.commandName === 'DescribeDBInstancesCommand') {
        for (const d of out.DBInstances ?? []) if (matches(d.DBInstanceIdentifier)) d.DBInstanceStatus = status;
      }
      if (context.commandName === 'DescribeDBClustersCommand') {
        for (const c of out.DBClusters ?? []) if (matches(c.DBClusterIdentifier)) c.Status = status;
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}

type Held = { status: string; requestsLeft: number };

/** How long snapshots and copies take in the local AWS (moto makes them `available` at once). */
export interface SnapshotDurations {
  instanceSnapshotMs: number;
  clusterSnapshotMs: number;
  instanceCopyMs: number;
  clusterCopyMs: number;
}
const DURATION_OF: Record<string, keyof SnapshotDurations> = {
  CreateDBSnapshotCommand: 'instanceSnapshotMs',
  CreateDBClusterSnapshotCommand: 'clusterSnapshotMs',
  CopyDBSnapshotCommand: 'instanceCopyMs',
  CopyDBClusterSnapshotCommand: 'clusterCopyMs',
};
type Refusal = { commandName: string; error: string; message: string; requestsLeft: number };
const isDescribe = (commandName: string) => commandName.startsWith('Describe');

/**
 * Faults on every RDS client the local AWS has — the tests', the Lambdas' and the workflows'
 * aws-sdk tasks' (whose clients live in the SDK bridge, out of a test's reach):
 * - database statuses RDS reports for a while and moto never does (`backing-up` during the backup
 *   window, `modifying`), so that Describe* reports them and the contracts in fidelity.ts refuse
 *   what RDS refuses in that state;
 * - refusals of a command with an error RDS can answer anything with (AccessDenied, Throttling).
 * Each lasts until undone, or for the next `requests` requests it applies to (for a status: requests
 * naming the database other than Describe*), standing in for "after a while" without a clock.
 */
export class RdsFaultBoard {
  private readonly held = new Map<string, Held>();
  private readonly refusals: Refusal[] = [];
  private durations?: SnapshotDurations;
  /** `<region>|<snapshot id>` → when it started and when it is done (wall clock, ms). */
  private readonly inProgress = new Map<string, { startedAt: number; doneAt: number; what: keyof SnapshotDurations }>();
  /** Every snapshot and copy started while durations are simulated: where, which (a copy has its source snapshot's id), and when it ran. */
  readonly timeline: { region: string; id: string; what: keyof SnapshotDurations; startedAt: number; doneAt: number }[] = [];

  /**
   * From now on, every snapshot and copy started reports `creating` (with its PercentProgress) for
   * this long before it is `available` — what a benchmark or a test of pacing needs instead of
   * moto's instant snapshots. `undefined` switches it off.
   */
  simulateDurations(durations: SnapshotDurations | undefined): void {
    this.durations = durations;
  }

  /** The most snapshots or copies of one kind in progress at once in `region`, from the timeline. */
  peakInProgress(region: string, what: keyof SnapshotDurations): number {
    const edges = this.timeline
      .filter((t) => t.region === region && t.what === what)
      .flatMap((t) => [{ at: t.startedAt, step: 1 }, { at: t.doneAt, step: -1 }])
      // An end and a start at the same instant: the slot was free again first.
      .sort((a, b) => a.at - b.at || a.step - b.step);
    let running = 0;
    let peak = 0;
    for (const e of edges) peak = Math.max(peak, (running += e.step));
    return peak;
  }

  holdStatus(id: string, status: string, options: { requests?: number } = {}): () => void {
    const entry = { status, requestsLeft: options.requests ?? Infinity };
    this.held.set(id, entry);
    return () => {
      if (this.held.get(id) === entry) this.held.delete(id);
    };
  }

  /** `commandName` as the SDK names it, e.g. CreateDBSnapshotCommand; `error` as RDS's error code, e.g. AccessDenied. */
  refuse(commandName: string, error: string, message: string, options: { requests?: number } = {}): () => void {
    const entry = { commandName, error, message, requestsLeft: options.requests ?? Infinity };
    this.refusals.push(entry);
    return () => {
      const i = this.refusals.indexOf(entry);
      if (i >= 0) this.refusals.splice(i, 1);
    };
  }

  private reportProgress(region: string, out: { DBSnapshots?: (SnapshotLike & { PercentProgress?: number })[]; DBClusterSnapshots?: (SnapshotLike & { PercentProgress?: number })[] }): void {
    if (!this.inProgress.size) return;
    const now = Date.now();
    for (const s of [...(out.DBSnapshots ?? []), ...(out.DBClusterSnapshots ?? [])]) {
      const key = `${region}|${s.DBSnapshotIdentifier ?? s.DBClusterSnapshotIdentifier}`;
      const running = this.inProgress.get(key);
      if (!running) continue;
      if (now >= running.doneAt) {
        this.inProgress.delete(key);
        continue;
      }
      if (s.Status === 'available') {
        s.Status = 'creating';
        s.PercentProgress = Math.floor((100 * (now - running.startedAt)) / (running.doneAt - running.startedAt));
      }
    }
  }

  /**
   * A snapshot or copy is in progress from the moment its request is sent: RDS never reports a copy it
   * has just accepted as `available`. Registered before the request, not after its answer, so that a
   * Describe from another client answered in between (moto creates the snapshot `available` at once)
   * cannot see it ended and hand its copy slot to a second copy.
   */
  private async startRunning(commandName: string, input: unknown, client: RDSClient) {
    const what = DURATION_OF[commandName];
    const duration = this.durations && what && this.durations[what];
    if (!duration) return undefined;
    const target = input as { DBSnapshotIdentifier?: string; DBClusterSnapshotIdentifier?: string; TargetDBSnapshotIdentifier?: string; TargetDBClusterSnapshotIdentifier?: string };
    const id = target.TargetDBSnapshotIdentifier ?? target.TargetDBClusterSnapshotIdentifier ?? target.DBSnapshotIdentifier ?? target.DBClusterSnapshotIdentifier ?? '';
    const region = await client.config.region();
    const now = Date.now();
    const key = `${region}|${id}`;
    const running = { startedAt: now, doneAt: now + duration, what };
    // A request refused (say, the target already exists) leaves any earlier copy of that name running.
    const earlier = this.inProgress.get(key);
    this.inProgress.set(key, running);
    return { key, running, earlier, record: { region, id, what, startedAt: now, doneAt: now + duration } };
  }

  install(clients: RDSClient[]): void {
    for (const client of clients) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const commandName = context.commandName ?? '';
          const refusal = this.refusals.find((r) => r.commandName === commandName);
          if (refusal) {
            if (--refusal.requestsLeft <= 0) this.refusals.splice(this.refusals.indexOf(refusal), 1);
            throw Object.assign(new Error(refusal.message), { name: refusal.error, $fault: 'client' });
          }
          const input = args.input as { DBInstanceIdentifier?: string; DBClusterIdentifier?: string };
          if (isDescribe(commandName)) {
            const result = await next(args);
            this.reportProgress(await client.config.region(), result.output as never);
            const out = result.output as { DBInstances?: DatabaseLike[]; DBClusters?: DatabaseLike[] };
            for (const d of out.DBInstances ?? []) {
              const h = this.held.get(d.DBInstanceIdentifier ?? '');
              if (h) d.DBInstanceStatus = h.status;
            }
            for (const c of out.DBClusters ?? []) {
              const h = this.held.get(c.DBClusterIdentifier ?? '');
              if (h) c.Status = h.status;
            }
            return result;
          }
          const id = [input.DBInstanceIdentifier, input.DBClusterIdentifier].find((i) => i !== undefined && this.held.has(i));
          const entry = id === undefined ? undefined : this.held.get(id);
          const started = await this.startRunning(commandName, args.input, client);
          try {
            const result = await next(args);
            if (started) this.timeline.push(started.record);
            return result;
          } catch (err) {
            if (started && this.inProgress.get(started.key) === started.running) {
              if (started.earlier) this.inProgress.set(started.key, started.earlier);
              else this.inProgress.delete(started.key);
            }
            throw err;
          } finally {
            // Counted once the request is answered: the contracts checked it against the held status.
            if (entry && id !== undefined && --entry.requestsLeft <= 0 && this.held.get(id) === entry) this.held.delete(id);
          }
        },
        // Before the contracts (fidelity.ts), which read the status while the request is counted.
        { step: 'initialize', priority: 'high', name: `rds-fault-board-${Math.random()}` },
      );
    }
  }
}
