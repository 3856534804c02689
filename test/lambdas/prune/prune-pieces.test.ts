import { describe, expect, it } from 'vitest';
import { refusalReason } from '../../../lambdas/prune/delete-recheck.js';
import { parsePruneRequest } from '../../../lambdas/prune/prune-request.js';
import { planInventory, toRetentionSnapshot } from '../../../lambdas/prune/retention-inventory.js';
import { LISTED_OUTCOMES, MAX_MESSAGE_BYTES, summarizePrune, type DeletionOutcome, type PruneFacts } from '../../../lambdas/prune/prune-summary.js';
import { DEFAULT_RETENTION } from '../settings-fixtures.js';
import { type DescribedSnapshot, captureTime } from '../../../lambdas/core/snapshots.js';

const described = (id: string, tags: Record<string, string>, over: Partial<DescribedSnapshot> = {}): DescribedSnapshot & { region: string } => ({
  id, arn: `arn:aws:rds:us-west-2:1:snapshot:${id}`, kind: 'instance', status: 'available', sourceDbId: 'orders', encrypted: true, engine: 'postgres',
  createdAt: '2026-11-22T05:00:00.000Z', tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })), region: 'us-west-2', ...over,
});

describe('parsePruneRequest', () => {
  it('defaults to a real run and accepts a dry run', () => {
    expect(parsePruneRequest({})).toEqual({ dryRun: false });
    expect(parsePruneRequest({ dryRun: true, scheduledTime: '2026-11-22T05:00:00Z' })).toEqual({ dryRun: true });
  });
  it.each([
    [[], /input must be a JSON object/],
    [{ dryRun: 'yes' }, /input\.dryRun: /],
    [{ dry: true }, /unknown field\(s\) dry; allowed: dryRun, scheduledTime/],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => parsePruneRequest(input)).toThrow(message);
  });
});

describe('refusalReason (the last check before a delete)', () => {
  const ok = described('rdsdr-orders-1', { 'rds-dr:managed': 'true' });
  it('allows a managed, available rdsdr- snapshot', () => expect(refusalReason(ok)).toBeUndefined());
  it.each([
    [described('manual-1', { 'rds-dr:managed': 'true' }), /does not start with rdsdr-/],
    [described('rdsdr-orders-1', {}), /not tagged rds-dr:managed=true/],
    [described('rdsdr-orders-1', { 'rds-dr:managed': 'true', 'rds-dr:legal-hold': '' }), /legal hold/],
    [described('rdsdr-orders-1', { 'rds-dr:managed': 'true' }, { status: 'copying' }), /"copying", not available/],
  ])('refuses %#', (snapshot, why) => expect(refusalReason(snapshot)).toMatch(why));
});

describe('retention inventory', () => {
  it('dates a snapshot by its slot tag (a DR copy is created hours after its data)', () => {
    expect(captureTime(described('a', { 'rds-dr:slot': '2026-11-22T02:00:00.000Z' }))).toBe('2026-11-22T02:00:00.000Z');
    expect(captureTime(described('a', {}, { originalCreatedAt: '2026-11-22T02:01:00.000Z' }))).toBe('2026-11-22T02:01:00.000Z');
    expect(captureTime(described('a', {}))).toBe('2026-11-22T05:00:00.000Z');
  });
  it('maps tags to the planner flags', () => {
    const s = described('rdsdr-orders-1', { 'rds-dr:managed': 'true', 'rds-dr:legal-hold': 'INC-1', 'rds-dr:source-arn': 'arn:aws:rds:us-east-1:1:db:orders-db' });
    expect(toRetentionSnapshot(s, new Set([s.arn]))).toMatchObject({ dbId: 'orders-db', managed: true, legalHold: true, inUseByVerification: true, region: 'us-west-2' });
  });
  it('plans a snapshot tagged rds-dr:managed=true by hand, but not named rdsdr-*, as not rds-dr\'s: kept, saying why (the last check would refuse it on every run)', () => {
    const old = (id: string) => described(id, { 'rds-dr:managed': 'true', 'rds-dr:policy': 'gold', 'rds-dr:slot': '2025-01-01T02:00:00.000Z' }, { createdAt: '2025-01-01T02:00:00.000Z' });
    const [handTagged, ours] = [old('manual-before-upgrade'), old('rdsdr-orders-202501010200')];
    expect(toRetentionSnapshot(handTagged, new Set()).managed).toBe(false);
    const newer = described('rdsdr-orders-202611210200', { 'rds-dr:managed': 'true', 'rds-dr:policy': 'gold', 'rds-dr:slot': '2026-11-21T02:00:00.000Z' });
    const tight = { ...DEFAULT_RETENTION, dr: { daily: 1, weekly: 0, monthly: 0, yearly: 0, minimum: 1 } };
    const decisions = planInventory({ snapshots: [handTagged, ours, newer], existingDatabases: new Set(['orders']), inUseByVerification: new Set() }, { gold: tight }, { primary: 'us-east-1', dr: 'us-west-2' }, new Date('2026-11-22T12:00:00Z'));
    const of = (id: string) => decisions.find((d) => d.snapshot.id === id)!;
    expect(of('manual-before-upgrade')).toMatchObject({ action: 'keep', reasons: [expect.stringMatching(/not named rdsdr-\*/)] });
    expect(of('rdsdr-orders-202501010200').action).toBe('delete');
    expect(refusalReason(handTagged)).toMatch(/does not start with rdsdr-/);
  });

  it('plans each policy with its own retention and keeps snapshots of unknown policies', () => {
    const mk = (i: number, policy: string) => described(`rdsdr-orders-${policy}-${i}`, { 'rds-dr:managed': 'true', 'rds-dr:policy': policy, 'rds-dr:slot': new Date(Date.parse('2026-11-21T02:00:00Z') - i * 86_400_000).toISOString() });
    const snapshots = [...Array.from({ length: 10 }, (_, i) => mk(i, 'gold')), ...Array.from({ length: 10 }, (_, i) => mk(i, 'retired'))];
    const tight = { ...DEFAULT_RETENTION, dr: { daily: 2, weekly: 0, monthly: 0, yearly: 0, minimum: 1 } };
    const decisions = planInventory({ snapshots, existingDatabases: new Set(['orders']), inUseByVerification: new Set() }, { gold: tight }, { primary: 'us-east-1', dr: 'us-west-2' }, new Date('2026-11-22T12:00:00Z'));
    expect(decisions.filter((d) => d.snapshot.id.includes('gold') && d.action === 'keep')).toHaveLength(2);
    expect(decisions.filter((d) => d.snapshot.id.includes('retired')).every((d) => d.action === 'keep')).toBe(true);
  });
});

describe('summarizePrune', () => {
  const RUN_DATA = { bucket: 'work', prefix: 'runs/prune/2026-11-22/x/', planKey: 'runs/prune/2026-11-22/x/plan.json', resultsPrefix: 'runs/prune/2026-11-22/x/results' };
  const facts = (over: Partial<PruneFacts>): PruneFacts => ({
    planReportKey: 'reports/prune/x-plan.json', dryRun: false, guardTripped: false, guardProblems: [], guardProblemCount: 0, executionArn: 'arn:e',
    quota: { 'us-east-1': { manual: 95, managed: 90, plannedDeletions: 2, quota: 100, daysUntilFull: 4 } },
    plannedDeletions: 2, runData: RUN_DATA, deletionRun: { manifestKey: 'm' }, outcomes: [], auditKey: 'reports/prune/x-audit.json', ...over,
  });
  const outcome = (snapshotId: string, o: DeletionOutcome['outcome'], detail = ''): DeletionOutcome => ({ region: 'us-east-1', snapshotId, outcome: o, detail });

  it('counts what was removed and warns on the quota with a forecast', () => {
    const v = summarizePrune(facts({ outcomes: [outcome('a', 'deleted'), outcome('b', 'already gone', 'not found')] }), 90);
    expect(v.failed).toBe(false);
    expect(v.counts).toEqual({ planned: 2, deleted: 1, alreadyGone: 1, refused: 0, failed: 0, withoutOutcome: 0 });
    expect(v.usage[0]).toMatchObject({ managedAfter: 88, manualAfter: 93, usedPercent: 93 });
    expect(v.quotaWarnings).toEqual(['us-east-1: 93 manual snapshots = 93% of the quota; full in about 4 day(s) at the current rate']);
    expect(v.message).toMatch(/^Prune deleted 2 of 2 planned snapshot\(s\) \(1 of them already gone\); 0 refused at the last check, 0 failed\./);
    expect(v.message).toContain('Audit: reports/prune/x-audit.json');
  });

  it('fails on a tripped guard, a failed deletion, a failed Map or deletions without an outcome; not on a refusal', () => {
    expect(summarizePrune(facts({ guardTripped: true, guardProblems: ['p'], guardProblemCount: 1, deletionRun: null }), 90).message).toMatch(/^Prune STOPPED without deleting anything/);
    expect(summarizePrune(facts({ outcomes: [outcome('a', 'failed', 'x'), outcome('b', 'deleted')] }), 90).failed).toBe(true);
    expect(summarizePrune(facts({ outcomes: [outcome('a', 'refused', 'legal hold'), outcome('b', 'deleted')] }), 90).failed).toBe(false);
    const mapFailed = summarizePrune(facts({ deletionRun: { Error: 'States.ItemReaderFailed', Cause: 'AccessDenied' } }), 90);
    expect(mapFailed).toMatchObject({ failed: true, counts: { withoutOutcome: 2 } });
    expect(mapFailed.message).toContain("The deletions' Map failed with States.ItemReaderFailed: AccessDenied");
    const lost = summarizePrune(facts({ outcomes: [outcome('a', 'deleted')] }), 90);
    expect(lost).toMatchObject({ failed: true, counts: { withoutOutcome: 1 } });
    expect(lost.message).toContain('1 planned deletion(s) have no outcome: check them by hand (results under s3://work/runs/prune/2026-11-22/x/results)');
    expect(summarizePrune(facts({ dryRun: true, deletionRun: null }), 99)).toMatchObject({ failed: false, counts: { withoutOutcome: 0 } });
    expect(summarizePrune(facts({ dryRun: true, deletionRun: null }), 99).message).toMatch(/^Prune dry run: would delete 2 snapshot\(s\); nothing was deleted\./);
  });

  it('stays small whatever the count: counts of all, the first 20 failures by name, a message under 8 KB', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => outcome(`rdsdr-orders-${String(i).padStart(12, '0')}`, i % 2 ? 'failed' : 'refused', `ThrottlingException: Rate exceeded ${'x'.repeat(400)}`));
    const v = summarizePrune(facts({ plannedDeletions: 5_000, outcomes: many }), 90);
    expect(v.counts).toMatchObject({ planned: 5_000, failed: 2_500, refused: 2_500, withoutOutcome: 0 });
    expect(v.failures).toHaveLength(LISTED_OUTCOMES);
    expect(v.failures[0].snapshotId).toBe('rdsdr-orders-000000000001');
    expect(v.message).toContain('- … and 2480 more failed (see the audit)');
    expect(v.message).toContain('- … and 2490 more refused (see the audit)');
    expect(Buffer.byteLength(v.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(JSON.stringify(v))).toBeLessThan(16_000);
  });

  it('cuts a message that would still be too long at a line, saying so', () => {
    const problems = Array.from({ length: 20 }, (_, i) => `problem ${i}: ${'é'.repeat(400)}`);
    const v = summarizePrune(facts({ guardTripped: true, guardProblems: problems, guardProblemCount: 900, deletionRun: null }), 90);
    expect(Buffer.byteLength(v.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(v.message).toMatch(/\n… \(cut short; the audit has everything\)$/);
    expect(v.message).not.toContain('\uFFFD');
  });
});
