// One backup batch, turn by turn, against in-memory RDS, copy slots and claims: every database's
// failure is its own, copies never exceed the slots, a copy that finds no slot waits, and nothing
// is held once the batch is done.
import { describe, expect, it } from 'vitest';
import { advanceBatch, abandonBatch, type BatchCopySlots, type BatchClaims, type BatchRds } from '../../../lambdas/backup/advance-batch.js';
import { startState, type BatchState, type HeldSlot, type PlannedDatabase } from '../../../lambdas/backup/batch-state.js';
import type { SnapshotInfo, SnapshotKind } from '../../../lambdas/core/snapshots.js';
import { TAG } from '../../../lambdas/core/naming.js';

const EXEC = 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:run-1';
const ctx = { policy: 'daily', slot: '2026-11-30T03:00:00.000Z', executionArn: EXEC, snapshotTimeoutSeconds: 3600, copyTimeoutSeconds: 7200, paceMs: 0 };
const db = (id: string, kind: SnapshotKind = 'instance'): PlannedDatabase => ({
  id,
  kind,
  engine: 'postgres',
  arn: `arn:aws:rds:us-east-1:123456789012:${kind === 'cluster' ? 'cluster' : 'db'}:${id}`,
  snapshotId: `rdsdr-${id}-2026-11-30-0300`,
});

class FakeRds implements BatchRds {
  readonly snapshots = new Map<string, SnapshotInfo & { turnsLeft: number }>();
  readonly calls: string[] = [];
  refuseCreate = new Map<string, string>();
  refuseCopy = new Map<string, string>();
  constructor(private readonly turnsToFinish = 1) {}
  async createSnapshot(kind: SnapshotKind, dbId: string, snapshotId: string): Promise<void> {
    this.calls.push(`create ${snapshotId}`);
    const refusal = this.refuseCreate.get(dbId);
    if (refusal) throw Object.assign(new Error(`refused ${dbId}`), { name: refusal });
    this.snapshots.set(`primary|${snapshotId}`, { id: snapshotId, arn: `arn:aws:rds:us-east-1:123456789012:snapshot:${snapshotId}`, kind, status: 'creating', sourceDbId: dbId, encrypted: true, tags: [], turnsLeft: this.turnsToFinish });
  }
  async describeMany(region: string, _kind: SnapshotKind, ids: string[]) {
    this.calls.push(`describe ${region} ${ids.length}`);
    const out = new Map<string, SnapshotInfo>();
    for (const id of ids) {
      const s = this.snapshots.get(`${region === 'us-east-1' ? 'primary' : 'dr'}|${id}`);
      if (!s) continue;
      if (s.turnsLeft-- <= 0 && s.status === 'creating') s.status = 'available';
      out.set(id, { ...s });
    }
    return out;
  }
  async startCopy(d: { snapshotId: string; kind: SnapshotKind; snapshotArn?: string; id: string }) {
    this.calls.push(`copy ${d.snapshotId}`);
    const refusal = this.refuseCopy.get(d.id);
    if (refusal) throw Object.assign(new Error(`no copy of ${d.id}`), { name: refusal });
    this.snapshots.set(`dr|${d.snapshotId}`, { id: d.snapshotId, arn: `arn:aws:rds:us-west-2:123456789012:snapshot:${d.snapshotId}`, kind: d.kind, status: 'creating', sourceDbId: d.id, encrypted: true, tags: [{ Key: TAG.copyOf, Value: d.snapshotArn ?? '' }], turnsLeft: this.turnsToFinish });
    return { snapshotId: d.snapshotId, region: 'us-west-2', arn: '', status: 'creating', started: true, warnings: [] };
  }
}

class FakeSlots implements BatchCopySlots {
  readonly byNumber = new Map<number, HeldSlot>();
  peak = 0;
  constructor(private readonly limit: number) {}
  async acquire(req: { region: string; kind: SnapshotKind; holders: string[]; now: Date }) {
    const got: HeldSlot[] = [];
    for (let slot = 0; slot < this.limit && got.length < req.holders.length; slot++) {
      if (this.byNumber.has(slot)) continue;
      const lease = { region: req.region, kind: req.kind, slot, holder: req.holders[got.length], expiresAt: new Date(req.now.getTime() + 900_000).toISOString() };
      this.byNumber.set(slot, lease);
      got.push(lease);
    }
    this.peak = Math.max(this.peak, this.byNumber.size);
    return got;
  }
  async renew(_r: string, _k: SnapshotKind, slots: HeldSlot[]) {
    return slots.filter((s) => this.byNumber.get(s.slot)?.holder === s.holder);
  }
  async release(_r: string, _k: SnapshotKind, slots: HeldSlot[]) {
    for (const s of slots) if (this.byNumber.get(s.slot)?.holder === s.holder) this.byNumber.delete(s.slot);
  }
  async held() {
    return [...this.byNumber.values()];
  }
  async takeOver(from: HeldSlot, holder: string) {
    if (this.byNumber.get(from.slot)?.holder !== from.holder) return undefined;
    const lease = { ...from, holder };
    this.byNumber.set(from.slot, lease);
    return lease;
  }
}

class FakeClaims implements BatchClaims {
  readonly held = new Map<string, string>();
  async claim(items: string[], holder: string) {
    const claimed: string[] = [];
    const heldElsewhere: { item: string; holder: string }[] = [];
    for (const item of items) {
      const current = this.held.get(item);
      if (current && current !== holder) heldElsewhere.push({ item, holder: current });
      else (this.held.set(item, holder), claimed.push(item));
    }
    return { claimed, heldElsewhere, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
  }
  async renew() {
    return new Date(Date.now() + 3_600_000).toISOString();
  }
  async release(items: string[], holder: string) {
    for (const item of items) if (this.held.get(item) === holder) this.held.delete(item);
  }
}

function deps(rds: FakeRds, slots: FakeSlots, claims = new FakeClaims()) {
  return { rds, slots, claims, primaryRegion: 'us-east-1', drRegion: 'us-west-2', sleep: async () => undefined, now: () => new Date() };
}

async function runToEnd(state: BatchState, d: ReturnType<typeof deps>, maxTurns = 200) {
  let s = state;
  for (let i = 0; i < maxTurns && !s.done; i++) s = await advanceBatch(s, d);
  return s as BatchState & { results?: { db: string; status: string; error?: string; cause?: string }[] };
}

describe('advanceBatch', () => {
  it('backs up every database of the batch with one Describe per region per turn, never more copies in flight than slots', async () => {
    const rds = new FakeRds(2);
    const slots = new FakeSlots(3);
    const items = Array.from({ length: 10 }, (_, i) => db(`db${i}`));
    const end = await runToEnd(startState({ BatchInput: ctx, Items: items }, new Date()), deps(rds, slots));
    expect(end.results?.map((r) => r.status)).toEqual(Array(10).fill('SUCCEEDED'));
    expect(slots.peak).toBe(3);
    expect(slots.byNumber.size).toBe(0);
    const describesPerTurn = rds.calls.filter((c) => c.startsWith('describe')).length / end.turn;
    expect(describesPerTurn).toBeLessThanOrEqual(2);
  });

  it('a copy with no free slot waits (no failure) and the turn says it is idle, so the workflow waits longer', async () => {
    const rds = new FakeRds(0);
    const slots = new FakeSlots(1);
    slots.byNumber.set(0, { region: 'us-west-2', kind: 'instance', slot: 0, holder: 'someone-else', expiresAt: '2100-01-01T00:00:00Z' });
    let s = startState({ BatchInput: ctx, Items: [db('a')] }, new Date());
    s = await advanceBatch(s, deps(rds, slots));
    s = await advanceBatch(s, deps(rds, slots));
    expect(s.databases[0].phase).toBe('awaiting-slot');
    expect(s.idle).toBe(true);
    slots.byNumber.clear();
    const end = await runToEnd(s, deps(rds, slots));
    expect(end.results?.[0].status).toBe('SUCCEEDED');
  });

  it('takes over the slot of a copy that has ended before its holder looks, and never one whose copy is still running or not started', async () => {
    const rds = new FakeRds(0);
    const slots = new FakeSlots(2);
    const other = 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:other';
    // Another run holds both slots: one copy ended already, the other is running; a third holder's copy does not exist yet.
    rds.snapshots.set('dr|done-copy', { id: 'done-copy', arn: 'x', kind: 'instance', status: 'available', sourceDbId: 'x', encrypted: true, tags: [], turnsLeft: 0 });
    rds.snapshots.set('dr|running-copy', { id: 'running-copy', arn: 'y', kind: 'instance', status: 'copying', sourceDbId: 'y', encrypted: true, tags: [], turnsLeft: 99 });
    slots.byNumber.set(0, { region: 'us-west-2', kind: 'instance', slot: 0, holder: `${other}|done-copy`, expiresAt: '2100-01-01T00:00:00Z' });
    slots.byNumber.set(1, { region: 'us-west-2', kind: 'instance', slot: 1, holder: `${other}|running-copy`, expiresAt: '2100-01-01T00:00:00Z' });
    let s = startState({ BatchInput: ctx, Items: [db('a'), db('b')] }, new Date());
    s = await advanceBatch(s, deps(rds, slots));
    s = await advanceBatch(s, deps(rds, slots));
    expect(s.databases.map((d) => d.phase)).toEqual(['copying', 'awaiting-slot']);
    expect(slots.byNumber.get(0)?.holder).toMatch(/\|rdsdr-a-/);
    expect(slots.byNumber.get(1)?.holder).toBe(`${other}|running-copy`);
  });

  it('isolates failures: a deleted database, AccessDenied and a copy refused for good fail only themselves; SnapshotQuotaExceeded on a copy only waits', async () => {
    const rds = new FakeRds(0);
    rds.refuseCreate.set('gone', 'DBInstanceNotFoundFault');
    rds.refuseCreate.set('denied', 'AccessDenied');
    rds.refuseCopy.set('nocopy', 'KMSKeyNotAccessibleFault');
    rds.refuseCopy.set('full', 'SnapshotQuotaExceededFault');
    const slots = new FakeSlots(20);
    let s = startState({ BatchInput: ctx, Items: ['ok', 'gone', 'denied', 'nocopy', 'full'].map((id) => db(id)) }, new Date());
    for (let i = 0; i < 4; i++) s = await advanceBatch(s, deps(rds, slots));
    expect(s.databases.find((d) => d.id === 'full')?.phase).toBe('awaiting-slot');
    expect(slots.byNumber.size).toBe(0);
    rds.refuseCopy.delete('full');
    const end = await runToEnd(s, deps(rds, slots));
    const byDb = Object.fromEntries(end.results!.map((r) => [r.db, r]));
    expect(byDb.ok.status).toBe('SUCCEEDED');
    expect(byDb.full.status).toBe('SUCCEEDED');
    expect(byDb.gone).toMatchObject({ status: 'FAILED', error: 'DBInstanceNotFoundFault' });
    expect(byDb.gone.cause).toMatch(/no longer exists/);
    expect(byDb.denied).toMatchObject({ status: 'FAILED', error: 'AccessDenied' });
    expect(byDb.nocopy).toMatchObject({ status: 'FAILED', error: 'KMSKeyNotAccessibleFault' });
  });

  it('a busy database (backing-up) is tried again on later turns, and fails only past the snapshot time budget', async () => {
    const rds = new FakeRds(0);
    rds.refuseCreate.set('busy', 'InvalidDBInstanceStateFault');
    const slots = new FakeSlots(20);
    let s = startState({ BatchInput: { ...ctx, snapshotTimeoutSeconds: 600 }, Items: [db('busy')] }, new Date());
    s = await advanceBatch(s, deps(rds, slots));
    expect(s.databases[0].phase).toBe('new');
    rds.refuseCreate.delete('busy');
    expect((await runToEnd(s, deps(rds, slots))).results?.[0].status).toBe('SUCCEEDED');
    rds.refuseCreate.set('stuck', 'InvalidDBInstanceStateFault');
    const end = await runToEnd(startState({ BatchInput: { ...ctx, snapshotTimeoutSeconds: 600 }, Items: [db('stuck')] }, new Date()), deps(rds, slots));
    expect(end.results?.[0]).toMatchObject({ status: 'FAILED', error: 'rds-dr.SnapshotTimeout' });
    expect(end.turn).toBeGreaterThan(5);
  });

  it('skips a database another run is still working on (an overlapping slot), and reports it as an overlap', async () => {
    const claims = new FakeClaims();
    claims.held.set('a', 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:earlier');
    const end = await runToEnd(startState({ BatchInput: ctx, Items: [db('a'), db('b')] }, new Date()), deps(new FakeRds(0), new FakeSlots(20), claims));
    expect(end.results?.find((r) => r.db === 'a')).toMatchObject({ status: 'SKIPPED', error: 'rds-dr.RunOverlap' });
    expect(end.results?.find((r) => r.db === 'a')?.cause).toMatch(/execution:rds-dr-backup:earlier/);
    expect(end.results?.find((r) => r.db === 'b')?.status).toBe('SUCCEEDED');
    // The earlier run's claim is untouched; this run's claims are gone.
    expect([...claims.held.entries()]).toEqual([['a', 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:earlier']]);
  });

  it('abandoning a batch gives back its slots and claims and fails only its unfinished databases', async () => {
    const rds = new FakeRds(5);
    const slots = new FakeSlots(20);
    const claims = new FakeClaims();
    let s = startState({ BatchInput: ctx, Items: [db('a'), db('b')] }, new Date());
    for (let i = 0; i < 8; i++) s = await advanceBatch(s, deps(rds, slots, claims));
    expect(slots.byNumber.size).toBeGreaterThan(0);
    const results = await abandonBatch(s, deps(rds, slots, claims), { Error: 'Lambda.Unknown', Cause: 'out of memory' });
    expect(slots.byNumber.size).toBe(0);
    expect(claims.held.size).toBe(0);
    expect(results.map((r) => r.status)).toEqual(['FAILED', 'FAILED']);
    expect(results[0].cause).toMatch(/out of memory/);
  });
});
