// The PITR readiness check's input: the run's plan in the work bucket (what the Distributed Map reads),
// or, from callers that still pass it inline, the databases array itself.
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { formatInputIssues } from '../core/input-issues.js';
import type { RunDataStore } from '../core/run-data.js';
import type { PitrCheckRequest } from './check-pitr.js';

/** A planned database: only what the check reads; extra fields (engine, snapshotId, tags, …) are dropped. */
const plannedDatabase = z.object({ id: z.string().min(1), arn: z.string().startsWith('arn:'), kind: z.enum(['instance', 'cluster']) });

const eventSchema = z
  .object({
    policy: z.string().min(1),
    executionArn: z.string().optional(),
    /** s3://bucket/planKey holds the run's databases; the report goes under prefix. */
    runData: z.object({ bucket: z.string().min(1), planKey: z.string().min(1), prefix: z.string() }).optional(),
    /** Inline databases (the payload grows with the fleet: for small runs and older callers). */
    databases: z.array(plannedDatabase).optional(),
  })
  .refine((e) => (e.runData === undefined) !== (e.databases === undefined), { message: 'give exactly one of runData or databases' });

export type PitrCheckEvent = z.input<typeof eventSchema>;

/** The request the check runs on; the plan is read from S3 when the event points at it. */
export async function readPitrRequest(event: unknown, store: Pick<RunDataStore, 'getJson'>): Promise<PitrCheckRequest> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new InvalidInputError(formatInputIssues(parsed.error, 'policy, executionArn, runData, databases'));
  const { policy, runData, databases } = parsed.data;
  if (!runData) return { policy, databases: databases! };
  const plan = z.array(plannedDatabase).safeParse(await store.getJson(runData.bucket, runData.planKey));
  if (!plan.success) throw new InvalidInputError(`s3://${runData.bucket}/${runData.planKey}: ${formatInputIssues(plan.error, 'id, arn, kind')}`);
  return { policy, databases: plan.data, runData: { bucket: runData.bucket, prefix: runData.prefix } };
}
