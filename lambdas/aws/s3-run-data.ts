// Run data (plans, Map results, reports) as JSON objects in the work bucket.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RunDataStore } from '../core/run-data.js';

export class S3RunDataStore implements RunDataStore {
  constructor(private readonly s3: S3Client) {}

  async putJson(bucket: string, key: string, value: unknown): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
  }

  async getJson(bucket: string, key: string): Promise<unknown> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await out.Body!.transformToString()) as unknown;
  }
}
