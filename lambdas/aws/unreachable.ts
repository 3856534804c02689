// Whether an SDK call failed because its region could not be reached at all (as opposed to an answer
// from the service): network errors and the timeouts of the fast-failing clients (clients.ts).
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

export function isUnreachable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown } | undefined;
  if (!e) return false;
  // An HTTP answer means the region answered.
  if (e.$metadata?.httpStatusCode) return false;
  if (TIMEOUT_NAMES.has(e.name ?? '') || NETWORK_ERROR_CODES.has(e.code ?? '') || NETWORK_ERROR_CODES.has(e.name ?? '')) return true;
  return e.cause !== undefined && e.cause !== err && isUnreachable(e.cause);
}
