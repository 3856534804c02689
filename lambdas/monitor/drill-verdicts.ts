// The last drill's verdict of every drilled database, from the drill reports in the reports bucket:
// one paged listing of reports/verification/ and one read per database whose newest report is new
// since the last run (a warm monitor keeps the reports it has read, by key and ETag), a few at a time.
import type { S3Reports } from '../aws/reports.js';
import { mapWithConcurrency } from '../core/concurrency.js';

export const VERIFICATION_PREFIX = 'reports/verification/';
/** Reads in flight at once: S3 takes far more, this keeps a cold run of 1,000 reads to seconds. */
const READ_CONCURRENCY = 16;

/** What the monitor needs of a drill report (lambdas/drill/drill-report.ts writes it). */
export interface DrillVerdict {
  reportedAt: string;
  passed: boolean;
  restoreSeconds?: number;
}

export class DrillVerdicts {
  /** Reports read in earlier runs, by key; kept only while they are some database's newest. */
  private readonly known = new Map<string, { etag?: string; verdict: DrillVerdict }>();

  constructor(private readonly reports: S3Reports) {}

  /** The newest drill report's verdict per database of `databases` that has one. */
  async newest(databases: ReadonlySet<string>): Promise<Map<string, DrillVerdict>> {
    const newest = [...(await this.reports.newestPerGroup(VERIFICATION_PREFIX))].filter(([db]) => databases.has(db));
    const read = await mapWithConcurrency(newest, READ_CONCURRENCY, async ([db, object]) => {
      const cached = this.known.get(object.key);
      // A report written again under the same key (a re-run drill) has a new ETag.
      if (cached && cached.etag !== undefined && cached.etag === object.etag) return [db, object, cached.verdict] as const;
      const { reportedAt, passed, restoreSeconds } = await this.reports.readJson<DrillVerdict>(object.key);
      return [db, object, { reportedAt, passed, restoreSeconds }] as const;
    });
    this.known.clear();
    for (const [, object, verdict] of read) this.known.set(object.key, { etag: object.etag, verdict });
    return new Map(read.map(([db, , verdict]) => [db, verdict]));
  }
}
