// The check's output and warning stay the same size whatever the fleet; the full list is the report's.
import { describe, expect, it } from 'vitest';
import { SNS_MAX_MESSAGE_BYTES, SNS_MAX_SUBJECT } from '../../../lambdas/core/alert.js';
import type { Shortfall } from '../../../lambdas/core/pitr-readiness.js';
import { formatPitrWarning, MAX_OUTPUT_SHORTFALLS, pitrCheckOutput, pitrReportKey, type PitrReport } from '../../../lambdas/core/pitr-report.js';

const ctx = { appName: 'rds-dr', policy: 'gold', primaryRegion: 'us-east-1', drRegion: 'us-west-2' };
const short = (db: string): Shortfall => ({ db, kind: 'retention-short', detail: 'automated backup retention is 1 day(s), required >= 7 days' });
const report = (shortfalls: Shortfall[], over: Partial<PitrReport> = {}): PitrReport => ({ policy: 'gold', checked: 1000, shortfalls, started: [], startsDeferred: [], ...over });

/** 5,000 databases with 63-character names, each with two shortfalls, one quoting a long RDS error. */
function hugeFleet(): Shortfall[] {
  return Array.from({ length: 5000 }, (_, i) => {
    const db = `db-${String(i).padStart(5, '0')}-${'x'.repeat(54)}`;
    return [
      { db, kind: 'unreadable' as const, detail: `could not tell whether its automated backups are replicated: Throttling: ${'Rate exceeded. '.repeat(200)}` },
      { ...short(db), remedied: 'not started in this run' },
    ];
  }).flat();
}

describe('pitrCheckOutput', () => {
  it('carries counts, the first 50 shortfalls (each line cut) and the report key, whatever the fleet', () => {
    const all = hugeFleet();
    const out = pitrCheckOutput(report(all, { checked: 5000, started: ['a'], startsDeferred: ['b', 'c'] }), 'runs/backup/2026-11-22/x/pitr.json');
    expect(out).toMatchObject({ checked: 5000, shortfallCount: 10_000, started: ['a'], startsDeferred: 2, reportKey: 'runs/backup/2026-11-22/x/pitr.json' });
    expect(out.shortfalls).toHaveLength(MAX_OUTPUT_SHORTFALLS);
    expect(out.shortfalls[0].db).toBe(all[0].db);
    expect(out.shortfalls[0].detail.length).toBeLessThanOrEqual(400);
    // Far below Step Functions' 256 KiB payload limit.
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(40_000);
  });

  it('has no report key when none was written', () => {
    expect(pitrCheckOutput(report([]))).not.toHaveProperty('reportKey');
    expect(pitrReportKey('runs/backup/2026-11-22/exec/')).toBe('runs/backup/2026-11-22/exec/pitr.json');
  });
});

describe('formatPitrWarning', () => {
  it('one short database: its detail, console link and the runbook', () => {
    const alert = formatPitrWarning(report([short('orders')], { checked: 2 }), ctx);
    expect(alert.subject).toBe('[rds-dr] PITR readiness: 1 database(s) short (orders)');
    expect(alert.severity).toBe('warning');
    expect(alert.message).toContain('1 of 2 database(s) fall short');
    expect(alert.message).toContain('  1 retention below the minimum (retention-short)');
    expect(alert.message).toContain('orders:\n  - automated backup retention is 1 day(s), required >= 7 days\n  Console: https://us-east-1.console.aws.amazon.com/rds/');
    expect(alert.message).toContain('docs/ALARMS.md#pitr-readiness');
    expect(alert.message).not.toContain('more database(s)');
  });

  it('a huge fleet: counts by kind, at most ~50 lines, the full list\'s S3 address, within SNS limits', () => {
    const all = hugeFleet();
    const uri = 's3://rds-dr-work-us-east-1-5e1f0c2a/runs/backup/2026-11-22/exec/pitr.json';
    const alert = formatPitrWarning(report(all, { checked: 6000, started: Array.from({ length: 50 }, (_, i) => `s${i}`), startsDeferred: ['late'] }), { ...ctx, reportUri: uri });
    const lines = alert.message.split('\n');
    expect(lines.length).toBeLessThanOrEqual(55);
    expect(Buffer.byteLength(alert.message)).toBeLessThan(SNS_MAX_MESSAGE_BYTES / 4);
    expect(alert.subject.length).toBeLessThan(SNS_MAX_SUBJECT);
    expect(alert.message).toContain('5000 of 6000 database(s) fall short');
    expect(alert.message).toContain('  5000 could not be read (unreadable)');
    expect(alert.message).toContain('  5000 retention below the minimum (retention-short)');
    expect(alert.message).toContain('Replication started for 50 database(s) (pitr.enforce).');
    expect(alert.message).toContain('Replication left for the next run (this run reached its limit of starts): 1 database(s).');
    expect(alert.message).toContain(`Full list: ${uri}`);
    expect(alert.message).toMatch(/… and 49\d\d more database\(s\), in the full list\./);
    expect(lines.every((l) => l.length <= 400)).toBe(true);
  });

  it('says when the full list could not be written', () => {
    const alert = formatPitrWarning(report([short('orders')]), { ...ctx, reportProblem: 'AccessDenied: no' });
    expect(alert.message).toContain('Full list: not written (AccessDenied: no)');
  });
});
