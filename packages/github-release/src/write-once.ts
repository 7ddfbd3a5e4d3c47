import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@ecs-ship/action-kit';
import { statusOf } from './github.js';

/** Octokit request options that turn `@octokit/plugin-retry` off for one call. */
export const NO_BLIND_RETRY = { request: { retries: 0 } } as const;

/** Tries in all for a write that is looked up before it is sent again. */
const ATTEMPTS = 3;

/**
 * Sends a GitHub write that takes no idempotency key and whose repeat would show (a second deployment, a second
 * status): `write` must pass NO_BLIND_RETRY. After a failure that may have taken effect (a 5xx, or a dropped
 * connection, which Octokit reports as 500) `find` looks for what the first attempt made; only when it finds nothing
 * is the write sent again. Refusals (4xx) are answers and end it at once; rate limits are waited out by the throttling
 * plugin before any of this sees them.
 */
export async function writeOnce<T>(
  what: string,
  write: () => Promise<T>,
  find: () => Promise<T | undefined>,
  logger?: Logger,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || status < 500 || attempt >= ATTEMPTS) throw error;
      const found = await find();
      if (found !== undefined) {
        logger?.info(`GitHub's answer to "${what}" was lost (${status}), but it took effect: not sending it again.`);
        return found;
      }
      logger?.info(
        `GitHub answered ${status} to "${what}" and nothing was made; trying again (attempt ${attempt + 1}).`,
      );
      await sleep(attempt * attempt * 1000);
    }
  }
}
