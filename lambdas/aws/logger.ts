import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per function; handlers add execution/db/snapshot ids per invocation. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rds-dr' });

/** Replaces the per-invocation keys so one invocation's ids never leak into the next one's lines. */
export function withLogKeys(keys: Record<string, string | undefined>): void {
  logger.resetKeys();
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as Record<string, string>;
  logger.appendKeys(defined);
}
