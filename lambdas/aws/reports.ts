// JSON reports in the reports bucket (S3, DR region): plans, audits, drill reports, incident timelines.
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand } from '@aws-sdk/client-s3';
import { awsClients } from './clients.js';

export class S3Reports {
  constructor(
    private readonly region: string,
    private readonly bucket: string,
  ) {}

  /** Writes `body` (JSON text) under `key`; returns its location, s3://bucket/key. */
  async put(key: string, body: string): Promise<string> {
    await awsClients.s3(this.region).send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    return `s3://${this.bucket}/${key}`;
  }

  /** The parsed JSON of the greatest key under `prefix` (keys that sort by date: the newest), or undefined. */
  async newest<T>(prefix: string): Promise<T | undefined> {
    let lastKey: string | undefined;
    for await (const page of paginateListObjectsV2({ client: awsClients.s3(this.region) }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const o of page.Contents ?? []) if (!lastKey || (o.Key ?? '') > lastKey) lastKey = o.Key;
    }
    if (!lastKey) return undefined;
    const body = await (await awsClients.s3(this.region).send(new GetObjectCommand({ Bucket: this.bucket, Key: lastKey }))).Body!.transformToString();
    return JSON.parse(body) as T;
  }
}
