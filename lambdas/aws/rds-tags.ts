// RDS tag lists as the logic reads them, and the tags of one resource.
import { AddTagsToResourceCommand, ListTagsForResourceCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { TagReader } from '../core/protection.js';
import type { Tag } from '../core/snapshots.js';

type SdkTags = { Key?: string; Value?: string }[] | undefined;

export const tagsOf = (list: SdkTags): Tag[] => (list ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));

/** An RDS TagList as a plain object. */
export const tagMap = (list: SdkTags): Record<string, string> => Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

export class RdsTagReader implements TagReader {
  constructor(private readonly rds: RDSClient) {}

  async tagsOf(arn: string): Promise<Tag[] | undefined> {
    try {
      const out = await this.rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
      return tagsOf(out.TagList);
    } catch {
      // A deleted or unreadable resource: treat as unknown; the caller decides (it alerts only on known protection).
      return undefined;
    }
  }
}

export class RdsTagWriter {
  constructor(private readonly rds: RDSClient) {}

  /** AddTagsToResource: sets these tags (overwriting their values), leaves the others. Idempotent. */
  async addTags(arn: string, tags: Tag[]): Promise<void> {
    await this.rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: tags }));
  }
}
