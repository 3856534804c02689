import { describe, expect, it } from 'vitest';
import { CHECK_DEFAULTS } from './check-defaults.js';
import { evaluateRestorePoll } from '../../../lambdas/core/restore-poll.js';
import { planSweep, type DrillResource } from '../../../lambdas/drill/plan-sweep.js';
import { buildReport, failureLines, reportKey, type DrillBranch } from '../../../lambdas/drill/drill-report.js';
import { quoteIdentifier } from '../../../lambdas/core/sql-dialect.js';
import { matchesExpectation, runChecks } from '../../../lambdas/drill/sql-checks.js';
import { ScriptedSession } from './scripted-session.js';

describe('evaluateRestorePoll', () => {
  const now = new Date('2026-11-22T03:10:00Z');
  const req = { phase: 'restore' as const, db: 'orders', restoreId: 'rdsdr-verify-orders-1', timeoutSeconds: 3600, poll: {} };
  it('waits through transient statuses and fails on terminal ones', () => {
    expect(evaluateRestorePoll({ status: 'creating' }, req, now)).toMatchObject({ available: false, waitSeconds: 30 });
    expect(() => evaluateRestorePoll({ status: 'incompatible-network' }, req, now)).toThrow(/"incompatible-network": the restore failed/);
    expect(() => evaluateRestorePoll(undefined, req, now)).toThrow(expect.objectContaining({ name: 'rds-dr.RestoreNotFound' }));
  });
  it('needs an active managed secret before the credentials phase is done', () => {
    const available = { status: 'available', endpoint: { host: 'h', port: 5432 }, secretArn: 'arn:s', secretStatus: 'creating' };
    expect(evaluateRestorePoll(available, req, now).available).toBe(true);
    expect(evaluateRestorePoll(available, { ...req, phase: 'credentials' }, now).available).toBe(false);
    expect(evaluateRestorePoll({ ...available, secretStatus: 'active' }, { ...req, phase: 'credentials' }, now)).toMatchObject({ available: true, secretArn: 'arn:s' });
  });
});

describe('planSweep', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const r = (id: string, tags: Record<string, string>, over: Partial<DrillResource> = {}): DrillResource => ({
    kind: 'instance', id, status: 'available', tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })), ...over,
  });
  it('deletes only expired resources with both the prefix and the purpose tag', () => {
    const decisions = planSweep([
      r('rdsdr-verify-a-1', { 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': '2026-11-22T11:00:00Z' }),
      r('rdsdr-verify-b-1', { 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': '2026-11-22T13:00:00Z' }),
      r('rdsdr-verify-c-1', { 'rds-dr:expires-at': '2026-11-22T11:00:00Z' }),
      r('prod-db', { 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': '2026-11-22T11:00:00Z' }),
      r('rdsdr-verify-d-1', { 'rds-dr:purpose': 'verification' }, { createdAt: '2026-11-22T01:00:00Z' }),
      r('rdsdr-verify-e-1', { 'rds-dr:purpose': 'verification', 'rds-dr:expires-at': '2026-11-22T11:00:00Z' }, { status: 'deleting' }),
    ], now, 6);
    expect(decisions.filter((d) => d.action === 'delete').map((d) => d.resource.id)).toEqual(['rdsdr-verify-a-1', 'rdsdr-verify-d-1']);
    expect(decisions.find((d) => d.resource.id === 'prod-db')?.reason).toMatch(/does not start with rdsdr-verify-/);
  });
});

describe('runChecks', () => {
  const checks = {
    database: 'orders', rpoMinutes: 60, statementTimeoutSeconds: 5, ...CHECK_DEFAULTS,
    tables: [{ name: 'public.orders', minRows: 10, freshnessColumn: 'updated_at' }, { name: 'gone', minRows: 1 }],
    assertions: [{ name: 'sum', sql: 'SELECT sum(x) FROM t', expect: 42 }, { name: 'boom', sql: 'SELECT 1/0', expect: 1 }],
  };
  it('runs each check read-only with a timeout, and a check that cannot run fails', async () => {
    const session = new ScriptedSession((sql, params) => {
      if (sql.startsWith('SELECT to_regclass')) return [{ present: params?.[0] === 'public.orders' }];
      if (sql.startsWith('SELECT count(*)')) return [{ n: '12' }];
      if (sql.startsWith('SELECT max(')) return [{ newest: new Date('2026-11-22T01:30:00Z') }];
      if (sql === 'SELECT sum(x) FROM t') return [{ sum: '42' }];
      if (sql === 'SELECT 1/0') return new Error('division by zero');
      return [];
    });
    const results = await runChecks(session, checks, new Date('2026-11-22T02:00:00Z'));
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['table public.orders exists', true],
      ['table public.orders rows >= 10', true],
      ['table public.orders freshness', true],
      ['table gone exists', false],
      ['table gone rows >= 1', false],
      ['sum', true],
      ['boom', false],
    ]);
    expect(results.at(-1)?.error).toBe('could not run: division by zero');
    expect(session.ran).toContain('SELECT count(*) AS n FROM "public"."orders"');
    expect(session.ran.filter((s) => s === 'BEGIN TRANSACTION READ ONLY').length).toBe(session.ran.filter((s) => s === 'ROLLBACK').length);
    expect(session.ran).toContain('SET LOCAL statement_timeout = 5000');
  });
  it('fails freshness when the newest row is older than the snapshot minus the RPO', async () => {
    const session = new ScriptedSession((sql) => (sql.startsWith('SELECT to_regclass') ? [{ present: true }] : sql.startsWith('SELECT count') ? [{ n: 99 }] : [{ newest: '2026-11-22T00:59:59Z' }]));
    const [, , fresh] = await runChecks(session, { ...checks, tables: [checks.tables[0]], assertions: [] }, new Date('2026-11-22T02:00:00Z'));
    expect(fresh).toMatchObject({ passed: false, observed: '2026-11-22T00:59:59.000Z', expected: '>= 2026-11-22T01:00:00.000Z (snapshot time - 60 min)' });
  });
  it('compares expectations by type and quotes identifiers', () => {
    expect(matchesExpectation('250', 250)).toBe(true);
    expect(matchesExpectation(true, true)).toBe(true);
    expect(matchesExpectation(null, null)).toBe(true);
    expect(matchesExpectation(null, 0)).toBe(false);
    expect(matchesExpectation('abc', 'abc')).toBe(true);
    expect(quoteIdentifier('postgresql', 'a"b.c')).toBe('"a""b"."c"');
  });
});

describe('verification report', () => {
  const branch = (over: Partial<DrillBranch>): DrillBranch => ({
    item: { db: 'orders', kind: 'instance', engine: 'postgres', snapshotId: 's', snapshotArn: 'arn:s', snapshotTime: 't', restoreId: 'rdsdr-verify-orders-1', clusterInstanceId: 'x', instanceClass: 'db.t4g.micro', subnetGroupName: 'g', securityGroupIds: [], restoreTimeoutSeconds: 1, tags: [], checks: {} as never },
    executionArn: 'arn:e',
    restorePoll: { available: true, startedAt: '2026-11-22T03:00:00Z', checkedAt: '2026-11-22T03:12:00Z' },
    verdict: { passed: true, checks: [{ name: 'connect', passed: true }], startedAt: '2026-11-22T03:12:30Z', finishedAt: '2026-11-22T03:20:00Z' },
    failure: null,
    cleanup: { status: 'DELETING' },
    ...over,
  });
  it('measures RTO from restore start to verified data', () => {
    const report = buildReport(branch({}), 'us-west-2', '2026-11-22T03:21:00Z');
    expect(report).toMatchObject({ passed: true, restoreSeconds: 1200, availableSeconds: 720, throwaway: { cleanup: 'deleted' } });
    expect(reportKey(report)).toBe('reports/verification/orders/2026/11/22/rdsdr-verify-orders-1.json');
  });
  it('fails on an error before verification and reports a cleanup that did not happen', () => {
    const report = buildReport(branch({ verdict: null, failure: { Error: 'Rds.StorageQuotaExceededException', Cause: 'full' }, cleanup: { Error: 'Rds.InvalidDbInstanceStateException', Cause: 'busy' } }), 'us-west-2', 'now');
    expect(report.passed).toBe(false);
    expect(report.restoreSeconds).toBeUndefined();
    expect(failureLines(report)).toEqual(['Rds.StorageQuotaExceededException: full', 'cleanup FAILED: Rds.InvalidDbInstanceStateException: busy (the hourly sweeper will retry)']);
  });
});
