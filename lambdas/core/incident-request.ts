// The fields every incident workflow that changes a database takes from its console input (failover,
// failback): which database, why (logged with every change), and whether only to rehearse. One zod
// fragment, so the two workflows cannot drift apart in what they accept or how they say it is wrong.
import { z } from 'zod';
import { InvalidInputError } from './errors.js';
import { formatInputIssues } from './input-issues.js';

/** The parsed fields (`incidentRequestFields`). */
export interface IncidentRequest {
  db: string;
  reason: string;
  dryRun: boolean;
}

export interface IncidentRequestWording {
  /** What `db` names, e.g. 'the database identifier in the primary region, e.g. "orders"'. */
  db: string;
  /** What the operator does, e.g. 'fail over'. */
  action: string;
  /** What a good reason says, e.g. 'what happened, incident ticket'. */
  reasonExamples: string;
  /** Where the reason is logged, e.g. 'with the promotion'. */
  reasonLogged: string;
}

/** db, reason and dryRun, with messages that say what is allowed; spread into a workflow's strictObject. */
export function incidentRequestFields(w: IncidentRequestWording) {
  return {
    db: z.string({ error: `required: ${w.db}` }).min(1, { error: 'must not be empty' }),
    reason: z
      .string({ error: `required: why you ${w.action} (${w.reasonExamples}); it is logged ${w.reasonLogged}` })
      .trim()
      .min(1, { error: `must not be empty: say why (${w.reasonExamples})` }),
    dryRun: z.boolean({ error: 'must be true or false' }).default(false),
  };
}

/** Parses a console input with `schema`; anything else than an object fails first, with an example; the message names the bad field. */
export function parseIncidentRequest<T extends z.ZodType>(schema: T, input: unknown, allowed: string, example: string): z.output<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError(`input must be a JSON object like ${example}, got ${JSON.stringify(input)}`);
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(formatInputIssues(parsed.error, allowed));
  return parsed.data;
}
