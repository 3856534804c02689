// One wording for a rejected console input, whichever workflow's first state rejects it.
import type { z } from 'zod';

/** Each zod issue as `input.<field>: <rule>`; unknown fields list what is allowed. */
export function formatInputIssues(error: z.ZodError, allowed: string): string {
  return error.issues
    .map((i) => (i.code === 'unrecognized_keys' ? `input: unknown field(s) ${i.keys.join(', ')}; allowed: ${allowed}` : `input.${i.path.join('.') || '(root)'}: ${i.message}`))
    .join('; ');
}

/** What every workflow's first state gets: the console or schedule input, unparsed, and the execution. */
export interface WorkflowStartEvent {
  input: unknown;
  executionArn: string;
  executionStartTime: string;
}
