import { abortReason, type Clock, type Logger } from '@ecs-ship/action-kit';
import { httpFailure, type GitHubClient } from './github.js';

export interface RetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  /** Wait before the second try after a server error; doubled for each further one. */
  baseDelayMs: number;
  /** A rate limit that resets later than this is reported instead of waited for. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * How long to wait before trying a failed GitHub call again, or undefined to give up. Server errors and dropped
 * connections (Octokit reports both as 5xx) back off exponentially; a rate limit waits for the time GitHub names
 * (`retry-after`, or `x-ratelimit-reset` when the quota is spent), when that is short enough. Anything else (4xx)
 * is an answer, not an accident, and is not retried.
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, now: number): number | undefined {
  if (attempt >= policy.attempts) return undefined;
  const failure = httpFailure(error);
  if (!failure) return undefined;
  const { status, headers } = failure;
  if (status === 429 || status === 403) {
    const retryAfter = Number(headers['retry-after']);
    let wait: number | undefined;
    if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) wait = retryAfter * 1000;
    else if (headers['x-ratelimit-remaining'] === '0') wait = Number(headers['x-ratelimit-reset']) * 1000 - now;
    else if (status === 429) wait = policy.baseDelayMs * 2 ** (attempt - 1);
    if (wait === undefined || !Number.isFinite(wait)) return undefined;
    return wait <= policy.maxDelayMs ? Math.max(0, wait) : undefined;
  }
  if (status >= 500) return policy.baseDelayMs * 2 ** (attempt - 1);
  return undefined;
}

/**
 * Makes every request of `client` survive transient failures. Retrying is safe for this package's writes: a
 * repeated ref, release or status is detected and read back as "already there" (422), so the release converges.
 */
export function retryTransientFailures(
  client: GitHubClient,
  options: { clock: Clock; logger: Logger; signal?: AbortSignal; policy?: RetryPolicy },
): void {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  client.hook.wrap('request', async (request, requestOptions) => {
    // A cancelled job aborts the request in flight too, instead of waiting for GitHub's answer. The options object
    // is changed in place: the hook chain hands the inner request the object it was registered with.
    if (options.signal) requestOptions.request = { ...requestOptions.request, signal: options.signal };
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (options.signal?.aborted) throw abortReason(options.signal);
        const wait = retryDelay(error, attempt, policy, options.clock.now());
        if (wait === undefined) throw error;
        const status = httpFailure(error)?.status;
        const path = String(requestOptions.url).replace(/^https?:\/\/[^/]+/, '');
        options.logger.info(
          `GitHub answered ${status} to ${requestOptions.method} ${path}; trying again in ${Math.ceil(wait / 1000)} s (attempt ${attempt + 1} of ${policy.attempts}).`,
        );
        await options.clock.sleep(wait, options.signal);
      }
    }
  });
}
