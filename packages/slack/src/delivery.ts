import { abortReason, type Clock, type Logger } from '@ecs-ship/action-kit';
import type { SlackPayload } from './blocks.js';
import { errorCode, explainHttpError, explainRequestError } from './explain.js';

export interface DeliveryOptions {
  /** Further attempts after a 429 or a failure that proves the message was not sent. */
  retries: number;
  /** The longest single wait: a Retry-After above it ends the delivery instead of stalling the job. */
  maxWaitMs: number;
  /** The first backoff after a message that was not sent; it doubles with each attempt, up to maxWaitMs. */
  baseDelayMs?: number;
  /** How long one request may take. */
  timeoutMs?: number;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * `delivered`: Slack accepted the message. `not-delivered`: Slack refused it, or it never left this runner.
 * `unknown`: the whole message was sent and no answer said what became of it; it may or may not be in the channel.
 */
export type DeliveryOutcome = 'delivered' | 'not-delivered' | 'unknown';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** The HTTP status of the last answer; undefined when Slack never answered. */
  statusCode?: number;
  attempts: number;
  /** Slack's error code (`channel_not_found`, ...) of the last answer, when it gave one. */
  errorCode?: string;
  /** Why the message was not delivered or may not have been, in plain words (never holding the webhook URL). */
  problem?: string;
}

/**
 * Posts a payload to an incoming webhook at most once. Incoming webhooks take no idempotency key, so a message is
 * sent again only when the failure proves Slack did not process it: the request never left this runner whole
 * (connection refused, DNS, the proxy's tunnel, a reset before the last byte was sent), or Slack answered 429 (rate
 * limited: not posted) with a Retry-After within maxWaitMs. Any failure after the whole message was sent (a reset, a
 * timeout, a 5xx, which Slack does not document as "not posted") ends the delivery as `unknown`, since a retry
 * could post it twice. Other 4xx answers end it at once, explained. Never throws for a failed delivery (the caller
 * decides whether that fails the step); throws the cancellation when the signal aborts.
 */
export async function deliver(url: string, payload: SlackPayload, options: DeliveryOptions): Promise<DeliveryResult> {
  const { clock, logger, signal } = options;
  const host = safeHost(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { sendOnce } = await import('@ecs-ship/action-kit/http');
  const maxAttempts = options.retries + 1;
  const body = JSON.stringify(payload);
  let last: DeliveryResult = { outcome: 'not-delivered', attempts: 0 };

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    const sent = await sendOnce(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (sent.kind === 'unknown') {
      const why = explainRequestError(sent.error, host, timeoutMs);
      return {
        outcome: 'unknown',
        attempts: attempt,
        problem: `the whole message was sent but no answer came (${why}): it may or may not have been posted (not sent again, since Slack's webhooks cannot recognise a repeated message)`,
      };
    }
    if (sent.kind === 'answered' && sent.status >= 200 && sent.status < 300) {
      if (attempt > 1) logger.info(`Slack accepted the message on attempt ${attempt}.`);
      return { outcome: 'delivered', statusCode: sent.status, attempts: attempt };
    }

    let waitMs: number;
    if (sent.kind === 'answered') {
      const problem = explainHttpError(sent.status, sent.body);
      last = {
        outcome: 'not-delivered',
        statusCode: sent.status,
        attempts: attempt,
        errorCode: errorCode(sent.body),
        problem,
      };
      if (sent.status >= 500) {
        return {
          ...last,
          outcome: 'unknown',
          problem: `${problem}: it may or may not have been posted (not sent again, since Slack does not say that a server error means the message was dropped)`,
        };
      }
      if (sent.status !== 429) return last;
      waitMs = retryAfter(sent.headers['retry-after'] ?? null) ?? 1000;
      if (waitMs > options.maxWaitMs) {
        return {
          ...last,
          problem: `${problem}: Slack asked to wait ${Math.ceil(waitMs / 1000)} s, longer than the longest wait allowed (${Math.round(options.maxWaitMs / 1000)} s)`,
        };
      }
    } else {
      const problem = `Could not reach Slack: ${explainRequestError(sent.error, host, timeoutMs)} (the message was not sent)`;
      last = { outcome: 'not-delivered', attempts: attempt, problem };
      waitMs = backoff(attempt, options);
    }
    if (attempt === maxAttempts) break;
    logger.info(`${last.problem}; retrying in ${formatSeconds(waitMs)} (attempt ${attempt + 1} of ${maxAttempts}).`);
    await clock.sleep(waitMs, signal);
  }
  const tries = `${last.attempts} attempt${last.attempts === 1 ? '' : 's'}`;
  return { ...last, problem: `${last.problem} (gave up after ${tries})` };
}

function backoff(attempt: number, options: DeliveryOptions): number {
  return Math.min(options.maxWaitMs, (options.baseDelayMs ?? 1000) * 2 ** (attempt - 1));
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/** The host alone: the path of a webhook URL is its secret. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'Slack';
  }
}

/** Retry-After in seconds, or an HTTP date. */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
