// JSON reports in the reports bucket (S3, DR region): plans, audits, drill reports, incident timelines.
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { newestPerGroup, type StoredObject } from '../core/report-keys.js';
import type { RuntimeSettings } from '../core/settings.js';
import { awsClients, type Reach } from './clients.js';

/**
 * The bucket's name, or the SSM String parameter (in the bucket's region) that holds it: the DR stack
 * creates the bucket with a name that changes each time the stack is created, and publishes it there
 * for functions in the primary region, which have no reference to it.
 */
export type ReportsBucketSource = string | { readonly parameter: string };

export class S3Reports {
  /** The name, read once and kept; forgotten after a failed call (the DR stack may have been created anew). */
  private name?: Promise<string>;

  constructor(
    private readonly region: string,
    private readonly source: ReportsBucketSource,
    /** How long a call may wait (the CLI's calls: `interactive`). */
    private readonly reach: Reach = 'healthy',
  ) {}

  private bucket(): Promise<string> {
    const { source } = this;
    if (typeof source === 'string') return Promise.resolve(source);
    this.name ??= awsClients
      .ssm(this.region, this.reach)
      .send(new GetParameterCommand({ Name: source.parameter }))
      .then((out) => {
        const value = out.Parameter?.Value;
        if (!value) throw new Error(`SSM parameter ${source.parameter} (${this.region}) holds no reports bucket name`);
        return value;
      });
    return this.name;
  }

  /**
   * Runs `call` with the bucket's name. When the name came from the parameter and the call fails, the
   * name is read again: if the DR stack has been created anew since (a new bucket; the old one kept,
   * its key without the alias the grants name), the call is retried once on the new bucket.
   */
  private async withBucket<T>(call: (bucket: string) => Promise<T>): Promise<T> {
    const bucket = await this.bucket();
    try {
      return await call(bucket);
    } catch (err) {
      if (typeof this.source === 'string') throw err;
      this.name = undefined;
      const current = await this.bucket().catch(() => bucket);
      if (current === bucket) throw err;
      return call(current);
    }
  }

  /** Writes `body` (JSON text) under `key`; returns its location, s3://bucket/key. */
  put(key: string, body: string): Promise<string> {
    return this.withBucket(async (bucket) => {
      await awsClients.s3(this.region, this.reach).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
      return `s3://${bucket}/${key}`;
    });
  }

  /**
   * Every object under `prefix` (one paged listing, 1,000 keys a page), reduced to the greatest key
   * of each group: see core/report-keys.ts.
   */
  newestPerGroup(prefix: string): Promise<Map<string, StoredObject>> {
    return this.withBucket(async (bucket) => {
      const objects: StoredObject[] = [];
      for await (const page of paginateListObjectsV2({ client: awsClients.s3(this.region, this.reach) }, { Bucket: bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, etag: o.ETag });
      }
      return newestPerGroup(objects, prefix);
    });
  }

  /** The parsed JSON object at `key`. */
  readJson<T>(key: string): Promise<T> {
    return this.withBucket(async (bucket) => {
      const body = await (await awsClients.s3(this.region, this.reach).send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
      return JSON.parse(body) as T;
    });
  }
}

/**
 * The reports bucket as the settings name it (reportsBucket beside it, else reportsBucketParameter),
 * or undefined when the function was given neither. Create it once per cold start: it keeps the name.
 */
export function reportsFromSettings(settings: Pick<RuntimeSettings, 'drRegion' | 'reportsBucket' | 'reportsBucketParameter'>, reach: Reach = 'healthy'): S3Reports | undefined {
  if (settings.reportsBucket) return new S3Reports(settings.drRegion, settings.reportsBucket, reach);
  if (settings.reportsBucketParameter) return new S3Reports(settings.drRegion, { parameter: settings.reportsBucketParameter }, reach);
  return undefined;
}
