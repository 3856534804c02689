import { describe, expect, it } from 'vitest';
import { summarizeBackup } from '../../../lambdas/backup/backup-summary.js';
import { formatFailureAlert, type ExecutionStatusEvent } from '../../../lambdas/alerts/failure-alert.js';
import { fitForSns, SNS_MAX_MESSAGE_BYTES, SNS_MAX_SUBJECT, truncateBytes } from '../../../lambdas/core/alert.js';

const EXEC = 'arn:aws:states:us-east-1:123456789012:execution:rds-dr-backup:run-1';

describe('summarizeBackup', () => {
  it('names every failed database with its error and the readable part of the cause', () => {
    const report = summarizeBackup({
      policy: 'gold', slot: '2026-11-22T02:00:00.000Z', executionArn: EXEC,
      missing: [{ id: 'gone', kind: 'instance', reason: 'configured DB instance not found in the primary region' }],
      results: [
        { db: 'orders', kind: 'instance', status: 'SUCCEEDED', snapshotCreatedAt: '2026-11-22T02:00:05Z', copyAvailableAt: '2026-11-22T02:31:05Z' },
        { db: 'billing', kind: 'instance', status: 'FAILED', error: 'rds-dr.SnapshotTimeout', cause: JSON.stringify({ errorType: 'rds-dr.SnapshotTimeout', errorMessage: 'still creating' }) },
      ],
    });
    expect(report.failedCount).toBe(2);
    expect(report.succeeded[0].seconds).toBe(1860);
    expect(report.message).toBe(
      'Backup policy "gold" slot 2026-11-22T02:00:00.000Z: 2 of 3 database(s) FAILED, 1 succeeded.\n' +
        '- gone (instance): rds-dr.DatabaseNotProtectable: configured DB instance not found in the primary region\n' +
        '- billing (instance): rds-dr.SnapshotTimeout: still creating',
    );
  });

  it('an alert about 300 failed databases is a readable summary: counts, the first 50 names, the rest counted with the full list\'s location', () => {
    const results = Array.from({ length: 300 }, (_, i) => ({ db: `db-${String(i).padStart(3, '0')}`, kind: 'instance', status: 'FAILED' as const, error: 'rds-dr.SnapshotTimeout', cause: 'x'.repeat(400) }));
    const report = summarizeBackup({ policy: 'gold', slot: 's', executionArn: EXEC, missing: [], results, fullReport: 's3://work/runs/backup/report.json' });
    expect(report.failedCount).toBe(300);
    expect(report.failed).toHaveLength(300);
    const lines = report.message.split('\n');
    expect(lines[0]).toBe('Backup policy "gold" slot s: 300 of 300 database(s) FAILED, 0 succeeded.');
    expect(lines.filter((l) => l.startsWith('- db-'))).toHaveLength(50);
    expect(lines).toContain('- … and 250 more failed database(s): full list in s3://work/runs/backup/report.json');
    expect(report.message.length).toBeLessThan(32_768);
    const alert = fitForSns(formatFailureAlert({ region: 'us-east-1', detail: { executionArn: EXEC, stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:rds-dr-backup', status: 'FAILED', error: 'rds-dr.BackupFailed', cause: report.message } }, 'rds-dr'));
    expect(Buffer.byteLength(alert.message)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
    expect(alert.message).toContain('250 more failed database(s)');
  });

  it('reports success when every database made it', () => {
    const report = summarizeBackup({ policy: 'gold', slot: 's', executionArn: EXEC, missing: [], results: [{ db: 'a', kind: 'cluster', status: 'SUCCEEDED' }] });
    expect(report.failedCount).toBe(0);
    expect(report.message).toMatch(/all 1 database\(s\) snapshotted and copied/);
  });
});

describe('formatFailureAlert', () => {
  const event = (detail: Partial<ExecutionStatusEvent['detail']>): ExecutionStatusEvent => ({
    region: 'eu-west-1',
    detail: { executionArn: EXEC, stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:rds-dr-backup', status: 'FAILED', startDate: 0, stopDate: 60_000, input: '{"policy":"gold"}', ...detail },
  });

  it('says which workflow, what failed, the error and where to click', () => {
    const alert = formatFailureAlert(event({ error: 'rds-dr.BackupFailed', cause: '1 of 2 failed\n- orders (instance): Rds.SnapshotQuotaExceededException: too many' }), 'rds-dr');
    expect(alert.subject).toBe('[rds-dr] rds-dr-backup FAILED: rds-dr.BackupFailed');
    expect(alert.message).toContain('- orders (instance): Rds.SnapshotQuotaExceededException: too many');
    expect(alert.message).toContain(`Console:   https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXEC}`);
    expect(alert.message).toContain('Input:     {"policy":"gold"}');
  });

  it('explains timeouts and aborts, which carry no cause', () => {
    expect(formatFailureAlert(event({ status: 'TIMED_OUT' }), 'rds-dr').message).toContain('hit its overall timeout');
    expect(formatFailureAlert(event({ status: 'ABORTED' }), 'rds-dr').message).toContain('stopped by a person');
  });

  it('shows the message of a Lambda error cause, and keeps the subject within SNS limits', () => {
    const alert = formatFailureAlert(event({ error: 'x'.repeat(200), cause: JSON.stringify({ errorType: 'rds-dr.InvalidInput', errorMessage: 'input.policy: unknown policy "p"' }) }), 'rds-dr');
    expect(alert.message).toContain('input.policy: unknown policy "p"');
    expect(alert.subject.length).toBeLessThan(100);
  });
});

describe('alerts always fit SNS', () => {
  it('an alert built from a huge input keeps the essential facts and fits SNS\'s 256 KB message and 100-character subject', () => {
    const huge = 'x'.repeat(100_000);
    const cause = JSON.stringify({ errorType: 'rds-dr.InvalidInput', errorMessage: `input.db: "${huge}" is not protected; input.db: "${huge}" again` });
    const input = JSON.stringify({ db: huge, reason: 'é'.repeat(80_000) });
    const alert = fitForSns(
      formatFailureAlert({ region: 'eu-west-1', detail: { executionArn: EXEC, stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:rds-dr-restore', status: 'FAILED', error: 'rds-dr.InvalidInput', cause, input } }, 'rds-dr'),
    );
    expect(Buffer.byteLength(alert.message, 'utf8')).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(alert.subject.length).toBeLessThan(SNS_MAX_SUBJECT);
    expect(alert.subject).toMatch(/^[\x20-\x7e]+$/);
    for (const fact of ['workflow rds-dr-restore ended FAILED', 'Error:     rds-dr.InvalidInput', `Execution: ${EXEC}`, 'Console:   https://eu-west-1.console.aws.amazon.com/states/', 'docs/ALARMS.md#workflow-failure']) {
      expect(alert.message).toContain(fact);
    }
    expect(alert.message).toMatch(/bytes cut to fit the alert/);
  });

  it('cuts text on a character boundary and leaves small messages alone', () => {
    expect(truncateBytes('short', 100)).toBe('short');
    const cut = truncateBytes('é'.repeat(1000), 500);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(500);
    expect(cut).not.toContain('\uFFFD');
  });
});
