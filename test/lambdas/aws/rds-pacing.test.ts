// Every request a paced listing sends waits for the pacer first: each page, and each retry of one.
import { RDSClient } from '@aws-sdk/client-rds';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RdsSnapshotCatalog } from '../../../lambdas/aws/rds-snapshots.js';
import { RequestPacer } from '../../../lambdas/core/request-pacer.js';

const page = (action: string, item: string, ids: string[], marker?: string) =>
  `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result><${item}s>` +
  ids.map((id) => `<${item}><${item}Identifier>${id}</${item}Identifier><Status>available</Status></${item}>`).join('') +
  `</${item}s>${marker ? `<Marker>${marker}</Marker>` : ''}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`;
const THROTTLED = '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>';

/** Answers as RDS would: DB snapshots in two pages (the second after one throttle), cluster snapshots in one. Logs each request. */
function fakeRds(log: string[]) {
  let throttled = false;
  return {
    handle: async (request: { body?: unknown }) => {
      const body = String(request.body ?? '');
      const action = /Action=(\w+)/.exec(body)?.[1] ?? '?';
      const second = body.includes('Marker=next');
      log.push(`send ${action}${second ? ' (page 2)' : ''}`);
      let statusCode = 200;
      let xml: string;
      if (action === 'DescribeDBSnapshots' && second && !throttled) {
        throttled = true;
        statusCode = 400;
        xml = THROTTLED;
      } else if (action === 'DescribeDBSnapshots') {
        xml = second ? page(action, 'DBSnapshot', ['rdsdr-b-202611220200']) : page(action, 'DBSnapshot', ['rdsdr-a-202611220200'], 'next');
      } else {
        xml = page(action, 'DBClusterSnapshot', ['rdsdr-c-202611220200']);
      }
      return { response: { statusCode, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) } };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
}

const client = (log: string[]) =>
  new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler: fakeRds(log) as never, maxAttempts: 3 });

class RecordingPacer extends RequestPacer {
  constructor(private readonly log: string[]) {
    super(1000);
  }
  override async take(): Promise<void> {
    this.log.push('take');
    return super.take();
  }
}

describe('paced RDS listings', () => {
  it('take a token before every request they send, retries included', async () => {
    const log: string[] = [];
    const snapshots = await new RdsSnapshotCatalog(client(log), new RecordingPacer(log)).list();
    expect(snapshots.map((s) => s.id).sort()).toEqual(['rdsdr-a-202611220200', 'rdsdr-b-202611220200', 'rdsdr-c-202611220200']);
    // The two listings run at once and share the pacer: the count and "take before send" are fixed, not their interleaving.
    const sends = log.filter((l) => l.startsWith('send'));
    expect([...sends].sort()).toEqual(['send DescribeDBClusterSnapshots', 'send DescribeDBSnapshots', 'send DescribeDBSnapshots (page 2)', 'send DescribeDBSnapshots (page 2)']);
    expect(log.filter((l) => l === 'take')).toHaveLength(sends.length);
    let tokens = 0;
    for (const l of log) expect((tokens += l === 'take' ? 1 : -1)).toBeGreaterThanOrEqual(0);
  });

  it('send unpaced without a pacer', async () => {
    const log: string[] = [];
    await new RdsSnapshotCatalog(client(log)).list();
    expect(log.filter((l) => l === 'take')).toEqual([]);
    expect(log.filter((l) => l.startsWith('send'))).toHaveLength(4);
  });
});
