/**
 * How the suite's AWS clients retry. A deployment that meets a throttling storm should keep going for as long as
 * its own deadline allows, not give up after the SDK's few attempts, and should not crawl once the storm is over:
 *
 * - Throttling (ThrottlingException, Throttling, TooManyRequestsException, RequestLimitExceeded, HTTP 429 and the
 *   SDK's other throttling codes) is retried until the step's deadline, after a capped exponential backoff with
 *   full jitter: a random wait between 0 and min(MAX_DELAY_MS, BASE_DELAY_MS × 2^retry). The jitter spreads the
 *   retries of calls made together, so that no call is always the one that meets the throttle; the low cap keeps the
 *   calls of a deployment (a dozen at a time at most) resuming within a couple of seconds of the storm's end. No
 *   client-side rate limiter slows later calls down (the SDK's adaptive mode kept sending about one call every
 *   1.4 s long after a storm ended). Once the deadline has passed, a throttled call fails at once: a wait that must
 *   call after its deadline (stopping a timed-out task, putting a revision back) moves the deadline first.
 * - Every other error keeps the SDK's standard strategy: its retryable errors, attempts and retry quota.
 *
 * When a call gives up, the error says how long it was throttled (`$throttledForMs`, read by `awsErrorContext`).
 */
import { StandardRetryStrategy, isThrottlingError } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import type { RetryDeadline } from './deadline.js';

/** Between waits (no deadline), how long one call keeps retrying throttling. */
export const DEFAULT_THROTTLING_BUDGET_MS = 120_000;
export const BASE_DELAY_MS = 200;
export const MAX_DELAY_MS = 2000;

/** Throttling as AWS services and the SDK name it, by code or by HTTP status. */
export function isThrottling(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    isThrottlingError(e as never) ||
    e.$metadata?.httpStatusCode === 429 ||
    /Throttl|TooManyRequests|RequestLimitExceeded/i.test(`${e.name ?? ''} ${e.code ?? ''}`)
  );
}

class Token implements StandardRetryToken {
  constructor(
    /** The SDK's standard token, renewed only for errors other than throttling. */
    readonly standard: StandardRetryToken,
    readonly firstAttemptAt: number,
    private readonly count: number,
    private readonly delay: number,
    /** When throttling began for this call, while it lasts. */
    readonly throttledSince?: number,
  ) {}

  getRetryCount(): number {
    return this.count;
  }

  getRetryDelay(): number {
    return this.delay;
  }

  getRetryCost(): number | undefined {
    return this.standard.getRetryCost();
  }
}

export class DeadlineRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private readonly standard = new StandardRetryStrategy({ maxAttempts: 3 });

  constructor(
    private readonly deadline?: RetryDeadline,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  async acquireInitialRetryToken(scope: string): Promise<Token> {
    const standard = (await this.standard.acquireInitialRetryToken(scope)) as StandardRetryToken;
    return new Token(standard, this.now(), 0, 0);
  }

  async refreshRetryTokenForRetry(token: Token, errorInfo: RetryErrorInfo): Promise<Token> {
    const now = this.now();
    if (isThrottling(errorInfo.error)) {
      const until = this.deadline?.at ?? token.firstAttemptAt + DEFAULT_THROTTLING_BUDGET_MS;
      const since = token.throttledSince ?? now;
      if (now >= until) {
        // The call ends with this error: say how long it was throttled.
        Object.assign(errorInfo.error!, { $throttledForMs: now - since });
        throw new Error('throttled until the deadline');
      }
      const delay = Math.min(this.backoff(token.getRetryCount()), until - now);
      return new Token(token.standard, token.firstAttemptAt, token.getRetryCount() + 1, delay, since);
    }
    const standard = (await this.standard.refreshRetryTokenForRetry(token.standard, errorInfo)) as StandardRetryToken;
    return new Token(standard, token.firstAttemptAt, token.getRetryCount() + 1, standard.getRetryDelay());
  }

  recordSuccess(token: Token): void {
    this.standard.recordSuccess(token.standard);
  }

  /** Full jitter over a capped exponential: uniform in [0, min(cap, base × 2^retry)]. */
  private backoff(retry: number): number {
    return Math.round(this.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(retry, 20)));
  }
}
