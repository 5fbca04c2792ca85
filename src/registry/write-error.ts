/**
 * The error a failed registry write rejects with. The write ran in one transaction, aborted, so
 * nothing of it was kept; the message says so. When the site's storage quota ran out, which the
 * browser reports as a QuotaExceededError on the request or, more often, as the error of the
 * transaction it aborts when committing, the message begins with "storage full" so that the page
 * can tell people to make room rather than show a database error.
 */
import { messageOf } from '../shared/errors';

/** QuotaExceededError everywhere; Firefox has also used its own name for it. */
function isQuotaError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || (name === undefined && code === 22);
}

/**
 * @param what the thing written, in words ("version counter v3")
 * @param error what the write threw or rejected with
 * @param transactionError the aborted transaction's error, which is the real cause when the
 *   requests themselves only failed with AbortError
 */
export function writeError(what: string, error: unknown, transactionError: unknown): Error {
  if (isQuotaError(transactionError) || isQuotaError(error)) {
    return new Error(`storage full: ${what} was not saved, because this site's storage quota is used up (nothing of it was written); remove old versions or site data to make room`, {
      cause: isQuotaError(transactionError) ? transactionError : error,
    });
  }
  const cause = error ?? transactionError;
  return new Error(`${what} was not saved (nothing of it was written): ${messageOf(cause)}`, { cause });
}
