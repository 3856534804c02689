// The prune workflow's input: the schedule sends {"scheduledTime": ...}; a person may send
// {"dryRun": true} to see the plan without deleting anything.
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { formatInputIssues } from '../core/input-issues.js';

const schema = z.strictObject({
  dryRun: z.boolean().default(false),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

export interface PruneRequest {
  dryRun: boolean;
}

export function parsePruneRequest(input: unknown): PruneRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError(`input must be a JSON object like {"dryRun": true}, got ${JSON.stringify(input)}`);
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(formatInputIssues(parsed.error, 'dryRun, scheduledTime'));
  }
  return { dryRun: parsed.data.dryRun };
}
