import type { FetchFunction, IncomingWebhookSendArguments } from '@slack/webhook';
import { CancelledError, abortReason, type Clock, type Logger } from '@ecs-ship/action-kit';
import { httpFetch, type HttpFetchInit, type HttpFetchResponse } from '@ecs-ship/action-kit/http-fetch';
import type { SlackPayload } from './blocks.js';
import { errorCode, explainHttpError, explainRequestError } from './explain.js';

type FetchResponse = HttpFetchResponse;

export interface DeliveryOptions {
  /** Further attempts after the first, for 429, 5xx and connection failures. */
  retries: number;
  /** The longest single wait: a Retry-After above it ends the delivery instead of stalling the job. */
  maxWaitMs: number;
  /** The first backoff after a 5xx or a connection failure; it doubles with each attempt, up to maxWaitMs. */
  baseDelayMs?: number;
  /** How long one request may take. */
  timeoutMs?: number;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
}

export interface DeliveryResult {
  delivered: boolean;
  /** The HTTP status of the last answer; undefined when Slack never answered. */
  statusCode?: number;
  attempts: number;
  /** Slack's error code (`channel_not_found`, ...) of the last answer, when it gave one. */
  errorCode?: string;
  /** Why the message was not delivered, in plain words (never holding the webhook URL). */
  problem?: string;
}

type Attempt =
  | { kind: 'ok'; status: number }
  | { kind: 'http'; status: number; body: string; retryAfterMs?: number }
  | { kind: 'network'; error: unknown };

/**
 * Posts a payload to an incoming webhook with `@slack/webhook`. 429 waits for Retry-After (when it is within
 * maxWaitMs), 5xx and connection failures are retried with exponential backoff, other 4xx end at once with an
 * explanation. Never throws for a failed delivery (the caller decides whether that fails the step); throws
 * CancelledError when the signal aborts.
 */
export async function deliver(url: string, payload: SlackPayload, options: DeliveryOptions): Promise<DeliveryResult> {
  const { clock, logger, signal } = options;
  const host = safeHost(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const post = await webhookPoster(url, timeoutMs, signal);
  const maxAttempts = options.retries + 1;
  let last: DeliveryResult = { delivered: false, attempts: 0 };

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    const outcome = await post(payload);
    if (signal?.aborted) throw abortReason(signal);
    if (outcome.kind === 'ok') {
      if (attempt > 1) logger.info(`Slack accepted the message on attempt ${attempt}.`);
      return { delivered: true, statusCode: outcome.status, attempts: attempt };
    }

    let waitMs: number;
    if (outcome.kind === 'http') {
      const problem = explainHttpError(outcome.status, outcome.body);
      last = {
        delivered: false,
        statusCode: outcome.status,
        attempts: attempt,
        errorCode: errorCode(outcome.body),
        problem,
      };
      const retryable = outcome.status === 429 || outcome.status >= 500;
      if (!retryable) return last;
      if (outcome.status === 429) {
        waitMs = outcome.retryAfterMs ?? 1000;
        if (waitMs > options.maxWaitMs) {
          return {
            ...last,
            problem: `${problem}: Slack asked to wait ${Math.ceil(waitMs / 1000)} s, longer than the longest wait allowed (${Math.round(options.maxWaitMs / 1000)} s)`,
          };
        }
      } else {
        waitMs = backoff(attempt, options);
      }
    } else {
      const problem = `Could not reach Slack: ${explainRequestError(outcome.error, host, timeoutMs)}`;
      last = { delivered: false, attempts: attempt, problem };
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

/**
 * One IncomingWebhook for the whole delivery, with the library's own retry off (it retries neither 429 nor with
 * bounded waits) and a fetch that keeps the last response's Retry-After, which the library's error drops.
 */
async function webhookPoster(
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<(payload: SlackPayload) => Promise<Attempt>> {
  const { IncomingWebhook, IncomingWebhookHTTPError } = await import('@slack/webhook');
  const seen: { response?: FetchResponse; error?: unknown } = {};
  // Read through a function: the fetch callback sets it, which the compiler's narrowing cannot see.
  const lastSeen = (): FetchResponse | undefined => seen.response;
  const lastError = (): unknown => seen.error;
  const fetchWithSignal: FetchFunction = async (target, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    try {
      // node:http rather than the built-in fetch, for memory (see http-fetch.ts); the client reads only what it offers.
      const response = await httpFetch(String(target), {
        ...(init as HttpFetchInit),
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
      seen.response = response;
      return response as unknown as Response;
    } catch (error) {
      // Kept as thrown: the library may rewrap it and lose the socket's error code on the way.
      seen.error = error;
      throw error;
    }
  };
  const webhook = new IncomingWebhook(url, { fetch: fetchWithSignal, timeout: timeoutMs, retryConfig: { retries: 0 } });

  return async (payload) => {
    seen.response = undefined;
    seen.error = undefined;
    try {
      await webhook.send(payload as IncomingWebhookSendArguments);
      return { kind: 'ok', status: lastSeen()?.status ?? 200 };
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const http = unwrap(error, IncomingWebhookHTTPError);
      if (http) {
        return {
          kind: 'http',
          status: http.statusCode,
          body: http.body,
          retryAfterMs: retryAfter(lastSeen()?.headers.get('retry-after') ?? null),
        };
      }
      if (error instanceof CancelledError) throw error;
      return { kind: 'network', error: lastError() ?? error };
    }
  };
}

/** p-retry wraps client errors in an AbortError whose `originalError` is the library's error. */
function unwrap<T extends Error>(error: unknown, type: new (...args: any[]) => T): T | undefined {
  if (error instanceof type) return error;
  const inner = (error as { originalError?: unknown } | undefined)?.originalError;
  return inner instanceof type ? inner : undefined;
}

/** Retry-After in seconds, or an HTTP date. */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
