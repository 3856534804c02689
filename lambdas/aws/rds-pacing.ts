// Pacing for paged RDS reads: the paginators' withCommand hook puts a pacer in front of every
// request a listing sends (retries included), so a listing of any length keeps to its rate.
import type { RDSPaginationConfiguration } from '@aws-sdk/client-rds';
import type { RequestPacer } from '../core/request-pacer.js';

type WithCommand = NonNullable<RDSPaginationConfiguration['withCommand']>;

/** The paginator hook that paces each request by `pacer`; undefined (unpaced) without one. */
export function pacedBy(pacer: RequestPacer | undefined): WithCommand | undefined {
  if (!pacer) return undefined;
  return (command) => {
    command.middlewareStack.add(
      (next) => async (args) => {
        await pacer.take();
        return next(args);
      },
      // After the retry middleware (finalizeRequest, high): each attempt is a request against the budget.
      { step: 'finalizeRequest', priority: 'low', name: 'rdsDrRequestPacer' },
    );
    return command;
  };
}
