// RDS's page protocol on top of moto, and a meter of the calls SDK clients make.
//
// moto 5.2.1 pages DescribeDBInstances as RDS does, but answers the other list Describes with all
// records in one response and ignores MaxRecords and Marker. RDS returns at most MaxRecords records (default 100, the maximum) and a Marker for the
// rest ("MaxRecords: Default: 100. Constraints: Minimum 20, maximum 100", RDS API Reference), so a
// reader that works with moto in one call makes ceil(n / 100) calls against RDS. Counting calls
// against moto is only meaningful with the pages RDS would return: `pageLikeRds` cuts moto's
// answer into them.
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';

/** The list each Describe moto does not page returns (moto pages DescribeDBInstances itself). */
const PAGED_LISTS: Record<string, string> = {
  DescribeDBClustersCommand: 'DBClusters',
  DescribeDBSnapshotsCommand: 'DBSnapshots',
  DescribeDBClusterSnapshotsCommand: 'DBClusterSnapshots',
  DescribeDBInstanceAutomatedBackupsCommand: 'DBInstanceAutomatedBackups',
  DescribeDBClusterAutomatedBackupsCommand: 'DBClusterAutomatedBackups',
};
const DEFAULT_MAX_RECORDS = 100;

type PageInput = { MaxRecords?: number; Marker?: string };

/**
 * moto's full answer cut to the page RDS would return: MaxRecords records (default 100) from the
 * Marker on, and a Marker when more follow. The Marker is the offset (opaque to callers, as RDS's is).
 */
export function pageLikeRds(clients: RDSClient[]): void {
  for (const client of clients) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const list = PAGED_LISTS[context.commandName ?? ''];
        if (!list) return next(args);
        const { Marker, ...rest } = args.input as PageInput;
        const max = rest.MaxRecords ?? DEFAULT_MAX_RECORDS;
        if (max < 20 || max > 100) throw Object.assign(new Error(`MaxRecords must be 20..100, got ${max}`), { name: 'InvalidParameterValue', $fault: 'client' });
        // moto would filter by the Marker as an identifier; it gets the request without it.
        const result = await next({ ...args, input: rest });
        const output = result.output as unknown as Record<string, unknown>;
        const all = (output[list] as unknown[] | undefined) ?? [];
        const from = Marker ? Number(Marker) : 0;
        output[list] = all.slice(from, from + max);
        output.Marker = from + max < all.length ? String(from + max) : undefined;
        return result;
      },
      // Unique per installation: a test file may install it on the same cached clients more than once.
      { step: 'initialize', name: `rds-pages-${Math.random()}` },
    );
  }
}

/** Calls per label (a region, "s3", "cloudwatch") and operation, counted as each request is sent. */
export class SdkCallMeter {
  private readonly counts = new Map<string, Map<string, number>>();

  /** Counts every request `client` sends from now on under `label`. */
  watch(client: RDSClient | S3Client | CloudWatchClient, label: string): void {
    (client as RDSClient).middlewareStack.add(
      (next, context) => async (args) => {
        const byOperation = this.counts.get(label) ?? new Map<string, number>();
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        byOperation.set(operation, (byOperation.get(operation) ?? 0) + 1);
        this.counts.set(label, byOperation);
        return next(args);
      },
      // After the retry middleware: a retried request is another call against the budget.
      { step: 'finalizeRequest', priority: 'low', name: `sdk-call-meter-${Math.random()}` },
    );
  }

  /** Calls per operation under `label` since the last reset. */
  byOperation(label: string): Record<string, number> {
    return Object.fromEntries([...(this.counts.get(label) ?? new Map<string, number>())].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(label: string): number {
    return Object.values(this.byOperation(label)).reduce((a, b) => a + b, 0);
  }

  reset(): void {
    this.counts.clear();
  }
}
