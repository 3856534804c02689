// An in-memory SqlSession (the twin of lambdas/drill/pg-session.ts and mysql-session.ts): answers by the SQL
// it is asked, records what it ran, speaks the dialect it is given.
import type { SqlDialectName, SqlSession } from '../../../lambdas/core/sql-dialect.js';

export type Answer = (sql: string, params?: unknown[]) => Record<string, unknown>[] | Error;

export class ScriptedSession implements SqlSession {
  readonly ran: string[] = [];
  readonly params: unknown[][] = [];
  constructor(
    private readonly answer: Answer,
    readonly dialect: SqlDialectName = 'postgresql',
  ) {}
  async query(sql: string, params?: unknown[]) {
    this.ran.push(sql);
    this.params.push(params ?? []);
    const a = this.answer(sql, params);
    if (a instanceof Error) throw a;
    return { rows: a };
  }
}
