import { logger, withLogKeys } from '../aws/logger.js';
import { readSecretJson } from '../aws/secrets.js';
import { readSettings, type DatabaseChecksSettings } from '../core/settings.js';
import { runChecks, type CheckResult, type Verdict } from './sql-checks.js';
import { openPgSession } from './pg-session.js';
import { collectFingerprint } from './fingerprint.js';
import type { Fingerprint } from '../core/fingerprint.js';

const settings = readSettings();

export interface VerifyEvent {
  db: string;
  restoreId: string;
  snapshotId: string;
  snapshotTime: string;
  host: string;
  port: number;
  secretArn: string;
  checks: DatabaseChecksSettings;
  executionArn?: string;
}

const notRun = (checks: DatabaseChecksSettings, why: string): CheckResult[] => [
  ...checks.tables.map((t) => ({ name: `table ${t.name} exists`, passed: false, error: `could not run: ${why}` })),
  ...checks.assertions.map((a) => ({ name: a.name, passed: false, error: `could not run: ${why}` })),
];

/** Connects to the throwaway instance with its managed master secret and runs the configured checks. */
export async function handler(event: VerifyEvent): Promise<Verdict> {
  withLogKeys({ executionArn: event.executionArn, db: event.db, snapshotId: event.snapshotId, restoreId: event.restoreId });
  const startedAt = new Date().toISOString();
  const results: CheckResult[] = [];
  let session: Awaited<ReturnType<typeof openPgSession>> | undefined;
  let fingerprint: Fingerprint | undefined;
  try {
    const { username, password } = await readSecretJson<{ username: string; password: string }>(event.secretArn);
    session = await openPgSession(
      { host: event.host, port: event.port, database: event.checks.database ?? 'postgres', user: username ?? '', password: password ?? '' },
      settings.verifierSslMode,
    );
    results.push({ name: 'connect', passed: true, observed: `${event.host}:${event.port}/${event.checks.database}` });
    results.push(...(await runChecks(session, event.checks, new Date(event.snapshotTime))));
    if (event.checks.drift?.enabled) {
      // The drill report compares it with the last good drill's (lambdas/drill/drill-drift.ts); one that cannot be taken is a failure.
      const open = session;
      fingerprint = await collectFingerprint({ dialect: 'postgresql', query: (sql, params) => open.query(sql, params) }, event.checks.database, {
        timeoutSeconds: event.checks.statementTimeoutSeconds,
      }).catch((err: Error) => {
        results.push({ name: 'drift fingerprint', passed: false, error: `could not run: ${err.message}` });
        return undefined;
      });
    }
  } catch (err) {
    const why = (err as Error).message;
    results.push({ name: 'connect', passed: false, error: why }, ...notRun(event.checks, 'no connection'));
  } finally {
    await session?.close().catch(() => undefined);
  }
  const verdict: Verdict = { passed: results.every((r) => r.passed), checks: results, startedAt, finishedAt: new Date().toISOString(), ...(fingerprint && { fingerprint }) };
  for (const r of results) logger[r.passed ? 'info' : 'error']('check', { check: r.name, passed: r.passed, observed: r.observed, expected: r.expected, error: r.error });
  logger.info('verification finished', {
    passed: verdict.passed,
    failed: results.filter((r) => !r.passed).map((r) => r.name),
    ...(fingerprint && { fingerprint: { tables: Object.keys(fingerprint.rows).length, sizeBytes: fingerprint.sizeBytes, omittedTables: fingerprint.omittedTables } }),
  });
  return verdict;
}
