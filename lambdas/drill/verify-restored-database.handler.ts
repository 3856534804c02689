import { logger, withLogKeys } from '../aws/logger.js';
import { readSecretJson } from '../aws/secrets.js';
import { readSettings, type DatabaseChecksSettings } from '../core/settings.js';
import { dialectOfEngine, isMysqlFamily } from '../core/sql-dialect.js';
import { restoreOnlyNotice } from './drill-plan.js';
import { runIntegrityChecks } from './integrity-checks.js';
import { openMysqlSession } from './mysql-session.js';
import { openPgSession, type OpenSession } from './pg-session.js';
import { runChecks, type CheckResult, type Verdict } from './sql-checks.js';
import { collectFingerprint } from './fingerprint.js';
import type { Fingerprint } from '../core/fingerprint.js';

const settings = readSettings();

export interface VerifyEvent {
  db: string;
  /** The restored snapshot's engine (DescribeDBSnapshots' Engine): it picks the dialect. */
  engine: string;
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

/** Connects to the throwaway with its managed master secret, in the engine's dialect, and runs the configured and built-in checks. */
export async function handler(event: VerifyEvent): Promise<Verdict> {
  withLogKeys({ executionArn: event.executionArn, db: event.db, snapshotId: event.snapshotId, restoreId: event.restoreId });
  // A workflow that forgets the engine must not be read as "an engine without SQL checks": that would pass unchecked.
  if (typeof event.engine !== 'string' || event.engine === '') {
    throw new Error(`verifier input: engine must be the restored snapshot's engine (e.g. "postgres", "mariadb"), got ${JSON.stringify(event.engine)}`);
  }
  const startedAt = new Date().toISOString();
  const results: CheckResult[] = [];
  let fingerprint: Fingerprint | undefined;
  const dialect = dialectOfEngine(event.engine);
  if (!dialect) {
    // Planned as restore-only: the restore was timed; there is nothing the verifier can say in SQL.
    results.push({ name: 'restore-only', passed: true, warning: restoreOnlyNotice(event.engine) });
  } else {
    let session: OpenSession | undefined;
    try {
      const { username, password } = await readSecretJson<{ username: string; password: string }>(event.secretArn);
      const target = { host: event.host, port: event.port, database: event.checks.database, user: username ?? '', password: password ?? '' };
      session = isMysqlFamily(dialect) ? await openMysqlSession(target, settings.verifierSslMode) : await openPgSession(target, settings.verifierSslMode);
      results.push({ name: 'connect', passed: true, observed: `${event.engine} (${session.dialect}) ${event.host}:${event.port}/${event.checks.database ?? ''}` });
      results.push(...(await runChecks(session, event.checks, new Date(event.snapshotTime))));
      results.push(...(await runIntegrityChecks(session, event.checks)));
      if (event.checks.drift?.enabled) {
        // The drill report compares it with the last good drill's (lambdas/drill/drill-drift.ts); one that cannot be taken is a failure.
        fingerprint = await collectFingerprint(session, event.checks.database, { timeoutSeconds: event.checks.statementTimeoutSeconds }).catch((err: Error) => {
          results.push({ name: 'drift fingerprint', passed: false, error: `could not run: ${err.message}` });
          return undefined;
        });
      }
    } catch (err) {
      const why = (err as Error).message;
      if (!results.some((r) => r.name === 'connect')) results.push({ name: 'connect', passed: false, error: why }, ...notRun(event.checks, 'no connection'));
      else results.push({ name: 'checks', passed: false, error: `could not run: ${why}` });
    } finally {
      await session?.close().catch(() => undefined);
    }
  }
  const verdict: Verdict = { passed: results.every((r) => r.passed), checks: results, startedAt, finishedAt: new Date().toISOString(), ...(fingerprint && { fingerprint }) };
  for (const r of results) logger[r.passed ? 'info' : 'error']('check', { check: r.name, passed: r.passed, observed: r.observed, expected: r.expected, error: r.error, warning: r.warning });
  logger.info('verification finished', {
    engine: event.engine,
    passed: verdict.passed,
    failed: results.filter((r) => !r.passed).map((r) => r.name),
    ...(fingerprint && { fingerprint: { tables: Object.keys(fingerprint.rows).length, sizeBytes: fingerprint.sizeBytes, omittedTables: fingerprint.omittedTables } }),
  });
  return verdict;
}
