import { describe, expect, it } from 'vitest';
import { refusalReason } from '../../../lambdas/prune/delete-recheck.js';
import { parsePruneRequest } from '../../../lambdas/prune/prune-request.js';
import { planInventory, toRetentionSnapshot } from '../../../lambdas/prune/retention-inventory.js';
import { summarizePrune, type PruneReportInput } from '../../../lambdas/prune/prune-summary.js';
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
  const input = (over: Partial<PruneReportInput>): PruneReportInput => ({
    planKey: 'reports/prune/x-plan.json', dryRun: false, guardTripped: false, guardProblems: [], executionArn: 'arn:e',
    quota: { 'us-east-1': { manual: 95, managed: 90, plannedDeletions: 2, quota: 100, daysUntilFull: 4 } },
    deletions: [{ region: 'us-east-1', snapshotId: 'a' }, { region: 'us-east-1', snapshotId: 'b' }],
    plannedDeletions: 2, outcomes: [], ...over,
  });
  it('counts what was removed and warns on the quota with a forecast', () => {
    const v = summarizePrune(input({ outcomes: [{ region: 'us-east-1', snapshotId: 'a', outcome: 'deleted', detail: '' }, { region: 'us-east-1', snapshotId: 'b', outcome: 'already gone', detail: '' }] }), 90);
    expect(v.failed).toBe(false);
    expect(v.usage[0]).toMatchObject({ managedAfter: 88, manualAfter: 93, usedPercent: 93 });
    expect(v.quotaWarnings).toEqual(['us-east-1: 93 manual snapshots = 93% of the quota; full in about 4 day(s) at the current rate']);
  });
  it('fails on a tripped guard or a failed deletion, not on a refusal', () => {
    expect(summarizePrune(input({ guardTripped: true, guardProblems: ['p'] }), 90).message).toMatch(/^Prune STOPPED without deleting anything/);
    expect(summarizePrune(input({ outcomes: [{ region: 'us-east-1', snapshotId: 'a', outcome: 'failed', detail: 'x' }] }), 90).failed).toBe(true);
    expect(summarizePrune(input({ outcomes: [{ region: 'us-east-1', snapshotId: 'a', outcome: 'refused', detail: 'legal hold' }] }), 90).failed).toBe(false);
    expect(summarizePrune(input({ dryRun: true }), 99).message).toMatch(/^Prune dry run: would delete 2 snapshot\(s\); nothing was deleted\./);
  });
});
