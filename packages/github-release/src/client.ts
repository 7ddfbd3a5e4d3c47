/**
 * The Octokit every GitHub call of the suite goes through: `@actions/github`'s getOctokit (REST methods, pagination,
 * the API base from GITHUB_API_URL, token authentication, the runner's user agent), sending through the suite's HTTP
 * policy (proxy variables, credentials dropped on a redirect to another origin, timeouts), with
 * `@octokit/plugin-retry` (5xx answers and dropped connections) and `@octokit/plugin-throttling` (Retry-After,
 * secondary rate limits, and the one-second spacing of writes that GitHub asks integrations to keep).
 *
 * Retrying a write is safe where GitHub refuses a repeat (a ref or a release that exists answers 422, and the callers
 * read back what is there). The writes that GitHub would happily repeat (a deployment, a deployment status) turn the
 * plugin's retry off and look for their own first attempt before sending again (./write-once.ts).
 */
import { abortReason, type Logger } from '@ecs-ship/action-kit';
import { statusOf, type GitHubClient } from './github.js';

/** A rate limit that resets later than this is reported (with the time to run the job again) instead of waited for. */
export const MAX_RATE_LIMIT_WAIT_S = 60;

export async function createGitHubClient(
  token: string,
  options: { logger?: Logger; signal?: AbortSignal } = {},
): Promise<GitHubClient> {
  const [{ getOctokit }, { retry }, { throttling }, { httpFetch }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
    import('@ecs-ship/action-kit/http'),
  ]);
  const { logger, signal } = options;
  const waitOrGiveUp =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      if (retryCount > 0 || retryAfter > MAX_RATE_LIMIT_WAIT_S) return false;
      logger?.info(
        `GitHub's ${kind} was reached at ${request.method} ${request.url}; trying again in ${retryAfter} s.`,
      );
      return true;
    };
  return getOctokit(
    token,
    {
      request: { fetch: httpFetch, ...(signal ? { signal } : {}) },
      throttle: { onRateLimit: waitOrGiveUp('rate limit'), onSecondaryRateLimit: waitOrGiveUp('secondary rate limit') },
    },
    eachAttempt(logger, signal),
    retry,
    throttling,
  );
}

/** The plugin-retry default: tries after the first. */
const RETRIES = 3;

/**
 * Sits inside the retry plugin, so it sees every attempt: it says in the log when a call is sent again and why, and
 * once the job is cancelled it stops every call with the cancellation (which the retry plugin does not retry).
 */
function eachAttempt(logger: Logger | undefined, signal: AbortSignal | undefined) {
  const failures = new WeakMap<object, number | undefined>();
  return (octokit: { hook: { wrap: GitHubClient['hook']['wrap'] } }) => {
    octokit.hook.wrap('request', async (request, options) => {
      if (signal?.aborted) throw abortReason(signal);
      const retryCount = Number((options.request as { retryCount?: number }).retryCount ?? 0);
      if (retryCount > 0 && failures.has(options)) {
        const retries = Number((options.request as { retries?: number }).retries ?? RETRIES);
        logger?.info(
          `GitHub answered ${failures.get(options) ?? 'nothing'} to ${options.method} ${options.url}; sending it again (attempt ${retryCount + 1} of ${retries + 1}).`,
        );
      }
      try {
        return await request(options);
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        failures.set(options, statusOf(error));
        throw error;
      }
    });
  };
}
