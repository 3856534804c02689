import { ListTagsForResourceCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { Tag } from '../shared/rds-mapping.js';
import type { TagReader } from './protection.js';

export class RdsTagReader implements TagReader {
  constructor(private readonly rds: RDSClient) {}

  async tagsOf(arn: string): Promise<Tag[] | undefined> {
    try {
      const out = await this.rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
      return (out.TagList ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
    } catch {
      // A deleted or unreadable resource: treat as unknown; the caller decides (it alerts only on known protection).
      return undefined;
    }
  }
}
