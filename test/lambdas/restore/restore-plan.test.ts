import { describe, expect, it } from 'vitest';
import { toRuntimeSettings } from '../../../lib/platform/config/runtime-settings.js';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { buildRestorePlan, checkRestoreTime, chooseSnapshot, parseRestoreRequest, replacedIdentifier } from '../../../lambdas/restore/restore-request.js';
import { nextRenameMove, protectionToCopy, type DatabaseSettings } from '../../../lambdas/restore/rename-plan.js';
import { type DescribedSnapshot } from '../../../lambdas/core/snapshots.js';
import { type SourceFacts } from '../../../lambdas/core/restore-plan.js';

const settings = toRuntimeSettings(
  parseConfig({
    primaryRegion: 'us-east-1',
    drRegion: 'us-west-2',
    alerts: { emails: ['oncall@example.com'] },
    policies: { gold: { selection: { instances: ['orders'] } } },
    incident: { databases: { billing: { cutover: 'endpoint', endpoint: { ssmParameter: '/app/billing/writer' } } } },
  }),
  { account: '123456789012', region: 'us-east-1' },
);
const now = new Date('2026-11-23T12:00:00Z');
const window = { earliest: '2026-11-16T12:00:00.000Z', latest: '2026-11-23T11:55:00.000Z' };
const invalid = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect((err as Error).name).toBe('rds-dr.InvalidInput');
    return (err as Error).message;
  }
  throw new Error('expected rds-dr.InvalidInput');
};

describe('the restore window', () => {
  it('accepts both bounds exactly and "latest"', () => {
    expect(checkRestoreTime(window.earliest, window, now)).toEqual({ restoreTime: window.earliest });
    expect(checkRestoreTime(window.latest, window, now)).toEqual({ restoreTime: window.latest });
    expect(checkRestoreTime('latest', window, now)).toEqual({ useLatest: true });
  });

  it('refuses a millisecond outside either bound, naming the window', () => {
    expect(invalid(() => checkRestoreTime('2026-11-16T11:59:59.999Z', window, now))).toBe(`input.restoreTime: 2026-11-16T11:59:59.999Z is outside the restorable window [${window.earliest}, ${window.latest}]`);
    expect(invalid(() => checkRestoreTime('2026-11-23T11:55:00.001Z', window, now))).toMatch(/outside the restorable window/);
  });

  it('says "in the future" before "outside the window" (a clock or time-zone mistake is the likelier cause)', () => {
    expect(invalid(() => checkRestoreTime('2026-11-23T13:00:00+01:00', window, now))).toMatch(/outside/); // 12:00Z = now: not future, but after latest
    expect(invalid(() => checkRestoreTime('2026-11-23T12:00:01Z', window, now))).toMatch(/is in the future \(now 2026-11-23T12:00:00.000Z\)/);
  });

  it('normalises zone offsets to UTC', () => {
    expect(checkRestoreTime('2026-11-20T15:29:00+01:00', window, now)).toEqual({ restoreTime: '2026-11-20T14:29:00.000Z' });
  });

  it('without automated backups there is no window: the message points to snapshot restores', () => {
    expect(invalid(() => checkRestoreTime('latest', undefined, now))).toMatch(/no restorable window .* restore from a snapshot instead/);
  });
});

describe('the restore request', () => {
  const parse = (input: unknown, region = 'us-east-1') => parseRestoreRequest(input, settings, region);

  it('defaults region to where the workflow runs, verify and cutover to false', () => {
    expect(parse({ db: 'orders', restoreTime: 'latest', targetId: 'orders-pitr' })).toEqual({ db: 'orders', source: { type: 'pitr', time: 'latest' }, targetId: 'orders-pitr', region: 'us-east-1', verify: false, cutover: false, reason: undefined });
  });

  it.each([
    [{ db: 'orders', restoreTime: 'latest', targetId: 'orders' }, /input\.targetId: must differ from db "orders"/],
    [{ db: 'orders', restoreTime: 'latest', targetId: 'a'.repeat(62) }, /input\.targetId: must be an RDS identifier: 1-61/],
    [{ db: 'orders', restoreTime: 'latest', targetId: 'orders-' }, /input\.targetId: must be an RDS identifier/],
    [{ db: 'orders', restoreTime: '2026-11-20 14:29', targetId: 'x' }, /input\.restoreTime: "2026-11-20 14:29" is not an ISO-8601 time with a zone/],
    [{ db: 'orders', restoreTime: '2026-11-20T14:29:00', targetId: 'x' }, /not an ISO-8601 time with a zone/],
    [{ db: 'orders', restoreTime: '2026-02-30T14:29:00Z', targetId: 'x' }, /input\.restoreTime: "2026-02-30T14:29:00Z" is not a valid date/],
    [{ db: 'orders', restoreTime: '2026-11-20T24:10:00Z', targetId: 'x' }, /is not a valid date/],
    [{ db: 'orders', targetId: 'x' }, /give exactly one of restoreTime .* and snapshot/],
    [{ db: 'orders', restoreTime: 'latest', targetId: 'x', verify: 'yes' }, /input\.verify: must be true or false/],
    [{ db: 'orders', restoreTime: 'latest', targetId: 'x', verify: true }, /input\.verify: cannot verify: this deployment has no verification network/],
    [{ db: 'orders', restoreTime: 'latest', targetId: 'x', reason: '  ' }, /input\.reason: must not be empty/],
    [null, /input must be a JSON object/],
  ])('%j is refused naming the field', (input, expected) => {
    expect(invalid(() => parse(input))).toMatch(expected);
  });
});

const snap = (id: string, sourceDbId: string, createdAt: string, status = 'available'): DescribedSnapshot => ({
  id, arn: `arn:aws:rds:us-east-1:123456789012:snapshot:${id}`, kind: 'instance', status, sourceDbId, createdAt, encrypted: true, tags: [], engine: 'postgres',
});

describe('choosing the snapshot', () => {
  const snapshots = [
    snap('rdsdr-orders-202611210200', 'orders', '2026-11-21T02:00:00Z'),
    snap('rdsdr-orders-202611220200', 'orders', '2026-11-22T02:00:00Z'),
    snap('rdsdr-orders-202611230200', 'orders', '2026-11-23T02:00:00Z', 'creating'),
    snap('rdsdr-verify-orders-202611230300', 'orders', '2026-11-23T03:00:00Z'),
    snap('pre-migration-42', 'orders', '2026-11-23T04:00:00Z'),
    snap('rdsdr-billing-202611220200', 'billing', '2026-11-22T02:00:00Z'),
  ];
  it('"latest" is the newest available rds-dr snapshot of the database (not a creating one, a drill\'s or a hand-made one)', () => {
    expect(chooseSnapshot('latest', 'orders', snapshots).id).toBe('rdsdr-orders-202611220200');
  });
  it('a named snapshot may be hand-made, by id or ARN, but must be of this database and available', () => {
    expect(chooseSnapshot('pre-migration-42', 'orders', snapshots).id).toBe('pre-migration-42');
    expect(chooseSnapshot(snapshots[0].arn, 'orders', snapshots).id).toBe('rdsdr-orders-202611210200');
    expect(invalid(() => chooseSnapshot('rdsdr-orders-202611230200', 'orders', snapshots))).toMatch(/is "creating", not available/);
    expect(invalid(() => chooseSnapshot('nope', 'orders', snapshots))).toMatch(/"nope" not found/);
    expect(invalid(() => chooseSnapshot('latest', 'ledger', snapshots))).toMatch(/no available rds-dr snapshot of "ledger"/);
  });
});

describe('the restore plan', () => {
  const source: SourceFacts = { kind: 'instance', arn: 'arn:aws:rds:us-east-1:123456789012:db:billing', engine: 'postgres', securityGroupIds: ['sg-1'], subnetGroup: 'app', window };
  it('a cutover uses the database\'s configured mode; rename gets <db>-replaced-<execution start>', () => {
    const base = { source, settings, executionArn: 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-restore:x', executionStartTime: '2026-11-23T11:58:30Z', now, snapshots: [] };
    const endpoint = buildRestorePlan({ ...base, request: { db: 'billing', source: { type: 'pitr', time: 'latest' }, targetId: 'billing-2', region: 'us-east-1', verify: false, cutover: true, reason: 'INC-1' } });
    expect(endpoint).toMatchObject({ cutover: 'endpoint', useLatest: true, dataAsOf: window.latest, reason: 'INC-1' });
    const rename = buildRestorePlan({ ...base, request: { db: 'orders', source: { type: 'pitr', time: '2026-11-20T14:29:00Z' }, targetId: 'orders-2', region: 'us-east-1', verify: false, cutover: true, reason: 'INC-2' } });
    expect(rename).toMatchObject({ cutover: 'rename', replacedId: 'orders-replaced-202611231158', restoreTime: '2026-11-20T14:29:00.000Z' });
  });
  it('refuses verify with cutover when the source\'s master password is not RDS-managed: verifying would replace the password the applications use', () => {
    const base = { source: { ...source, managesMasterPassword: false }, settings, executionArn: 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-restore:x', executionStartTime: '2026-11-23T11:58:30Z', now, snapshots: [] };
    const request = { db: 'orders', source: { type: 'pitr' as const, time: 'latest' }, targetId: 'orders-2', region: 'us-east-1', verify: true, cutover: true, reason: 'INC-2' };
    expect(() => buildRestorePlan({ ...base, request })).toThrow(/input\.verify: .* applications' password would no longer work/);
    expect(buildRestorePlan({ ...base, source: { ...source, managesMasterPassword: true }, request })).toMatchObject({ cutover: 'rename', verify: true });
    expect(buildRestorePlan({ ...base, request: { ...request, cutover: false } })).toMatchObject({ verify: true });
  });
  it('replaced identifiers stay within 63 characters and never end in a hyphen', () => {
    const id = replacedIdentifier(`a${'-b'.repeat(40)}`, now);
    expect(id.length).toBeLessThanOrEqual(63);
    expect(id).toMatch(/^a[a-z0-9-]*[^-]-replaced-202611231200$/);
  });
});

describe('the rename swap, one move at a time', () => {
  const plan = { db: 'orders', targetId: 'orders-fixed', replacedId: 'orders-replaced-202611231200', executionArn: 'arn:exec' };
  const ours = { 'rds-dr:execution': 'arn:exec' };
  it('renames the original away, then the target in, then is done', () => {
    expect(nextRenameMove(plan, { current: { status: 'available', tags: {} }, target: { status: 'available', tags: ours } })).toMatchObject({ move: 'rename', from: 'orders', to: 'orders-replaced-202611231200' });
    expect(nextRenameMove(plan, { replaced: { status: 'renaming', tags: {} }, target: { status: 'available', tags: ours } })).toMatchObject({ move: 'rename', from: 'orders-fixed', to: 'orders' });
    expect(nextRenameMove(plan, { current: { status: 'renaming', tags: ours }, replaced: { status: 'available', tags: {} } })).toMatchObject({ move: 'wait' });
    expect(nextRenameMove(plan, { current: { status: 'available', tags: ours }, replaced: { status: 'available', tags: {} } })).toMatchObject({ move: 'done' });
  });
  it('a deleted original: the target simply takes the name', () => {
    expect(nextRenameMove(plan, { target: { status: 'available', tags: ours } })).toMatchObject({ move: 'rename', from: 'orders-fixed', to: 'orders' });
  });
  it('waits for a busy original; refuses a target it did not create, or a name clash with an earlier replaced copy', () => {
    expect(nextRenameMove(plan, { current: { status: 'backing-up', tags: {} }, target: { status: 'available', tags: ours } })).toMatchObject({ move: 'wait' });
    expect(() => nextRenameMove(plan, { current: { status: 'available', tags: {} }, target: { status: 'available', tags: {} } })).toThrow(/was not created by this execution/);
    expect(() => nextRenameMove(plan, { current: { status: 'available', tags: {} }, replaced: { status: 'available', tags: {} }, target: { status: 'available', tags: ours } })).toThrow(/both orders and orders-replaced-202611231200 exist/);
    expect(() => nextRenameMove(plan, { current: { status: 'available', tags: {} } })).toThrow(/no longer exists/);
  });
  const settings = (extra: Partial<DatabaseSettings> = {}): DatabaseSettings => ({ managesMasterPassword: false, deletionProtection: false, multiAz: false, backupRetentionPeriod: 1, parameterGroup: 'default.postgres16', ...extra });
  const original = { status: 'available', arn: 'arn:db:orders-replaced', tags: { 'rds-dr:policy': 'gold', team: 'payments', 'rds-dr:execution': 'old', 'aws:cloudformation:stack-name': 's' }, settings: settings({ deletionProtection: true, multiAz: true, backupRetentionPeriod: 14, parameterGroup: 'orders-params' }) };
  it('once renamed: tags the original rds-dr:replaced-by, then gives the restored one its protection, then is done', () => {
    const restored = { status: 'available', arn: 'arn:db:orders', tags: ours, settings: settings() };
    expect(nextRenameMove(plan, { current: restored, replaced: original })).toMatchObject({ move: 'retire', id: 'orders-replaced-202611231200', arn: 'arn:db:orders-replaced', tags: { 'rds-dr:replaced-by': plan.executionArn } });
    const retired = { ...original, tags: { ...original.tags, 'rds-dr:replaced-by': plan.executionArn } };
    const protect = nextRenameMove(plan, { current: restored, replaced: retired });
    expect(protect).toMatchObject({ move: 'protect', id: 'orders', changes: { settings: { deletionProtection: true, multiAz: true, backupRetentionPeriod: 14, parameterGroup: 'orders-params' }, tags: { 'rds-dr:policy': 'gold', team: 'payments' } } });
    // Its own history (execution), AWS's tags and the replaced-by mark are not copied.
    expect(Object.keys((protect as { changes: { tags: object } }).changes.tags).sort()).toEqual(['rds-dr:policy', 'team']);
    const protectedNow = { ...restored, tags: { ...ours, 'rds-dr:policy': 'gold', team: 'payments' }, settings: original.settings };
    expect(nextRenameMove(plan, { current: protectedNow, replaced: retired })).toMatchObject({ move: 'done' });
  });
  it('gives the restored database its own managed secret when the original had one; refuses to cut over one whose password verification replaced', () => {
    const managed = { ...original, tags: { ...original.tags, 'rds-dr:replaced-by': 'x' }, settings: settings({ managesMasterPassword: true, masterSecretKmsKeyId: 'key-1' }) };
    expect(protectionToCopy(managed, { status: 'available', tags: {}, settings: settings() }).settings).toEqual({ managesMasterPassword: true, masterSecretKmsKeyId: 'key-1' });
    const verified = { status: 'available', tags: ours, settings: settings({ managesMasterPassword: true }) };
    expect(() => nextRenameMove(plan, { current: original, target: verified })).toThrow(/RDS-managed master password .* Nothing was renamed/);
    expect(() => nextRenameMove(plan, { replaced: original, target: verified })).toThrow(/Nothing was renamed/);
  });
});
