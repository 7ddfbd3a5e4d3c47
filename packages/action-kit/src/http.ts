/**
 * The suite's one HTTP policy. Every outbound request of every action goes through a dispatcher made here: the AWS
 * SDK clients (./aws.ts), Octokit, Slack, the OCI registry and the smoke probe.
 *
 * - Proxies: undici's EnvHttpProxyAgent reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY (the lower-case forms first, as
 *   the runner sets them) and decides per request which origin goes through the proxy. https:// goes through a
 *   CONNECT tunnel; http:// is sent to the proxy in forward form, which proxies allow more often than CONNECT to
 *   port 80. Credentials in the proxy URL become Proxy-Authorization.
 * - Redirects: `httpFetch` is the Fetch standard as undici implements it, which drops Authorization, Cookie and
 *   Proxy-Authorization when a redirect leads to another origin. Clients that follow redirects themselves (the
 *   smoke probe) take the same rule from `redirectStep`.
 * - Timeouts: connecting (TCP, TLS or the proxy's tunnel), waiting for an answer, and silence while a body arrives.
 */
import { Readable } from 'node:stream';
import { EnvHttpProxyAgent, fetch, request, type Dispatcher } from 'undici';

export const HTTP_TIMEOUTS = {
  /** Establishing a connection: TCP, TLS, or the proxy's tunnel. */
  connectMs: 10_000,
  /** Waiting for an answer's headers once the request is sent. */
  headersMs: 120_000,
  /** The longest silence while an answer's body arrives. */
  bodyIdleMs: 60_000,
  /** A kept-alive connection idle for longer is closed. */
  keepAliveMs: 4_000,
};

/** A dispatcher with the suite's policy; `connections` caps the connections per origin (unlimited by default). */
export function createHttpDispatcher(options: { connections?: number } = {}): Dispatcher {
  return new EnvHttpProxyAgent({
    connect: { timeout: HTTP_TIMEOUTS.connectMs },
    headersTimeout: HTTP_TIMEOUTS.headersMs,
    bodyTimeout: HTTP_TIMEOUTS.bodyIdleMs,
    keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs,
    proxyTunnel: false,
    ...(options.connections ? { connections: options.connections } : {}),
  });
}

let shared: Dispatcher | undefined;

/** The process's dispatcher, made on first use (the proxy variables are read then). */
export function httpDispatcher(): Dispatcher {
  return (shared ??= createHttpDispatcher());
}

/** fetch over the suite's dispatcher: the client of Octokit and the OCI registry. */
export function httpFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  return fetch(input, { ...(init as object), dispatcher: httpDispatcher() }) as unknown as Promise<Response>;
}

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect leads and how to go on, by the Fetch standard's rules: 303 (and 301/302 after a POST) continue as a
 * GET without the body; `crossOrigin` tells the caller to drop credentials (Authorization, Cookie and
 * Proxy-Authorization at least).
 * Undefined when the answer is not a redirect; throws for a location that is not an http(s) URL.
 */
export function redirectStep(
  from: URL,
  method: string,
  status: number,
  location: string | undefined,
): { url: URL; method: string; keepBody: boolean; crossOrigin: boolean } | undefined {
  if (!REDIRECT_STATUSES.has(status) || !location) return undefined;
  const url = new URL(location, from);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${from.href} redirected to a ${url.protocol} URL, which cannot be followed`);
  }
  const toGet = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  return { url, method: toGet ? 'GET' : method, keepBody: !toGet, crossOrigin: url.origin !== from.origin };
}

/** What came of a request that must not be repeated blindly (see `sendOnce`). */
export type OnceOutcome =
  | { kind: 'answered'; status: number; headers: Record<string, string>; body: string }
  /** The request never left this process whole (refused, DNS, the tunnel, a reset before the last byte): not processed. */
  | { kind: 'not-sent'; error: unknown }
  /** The whole request was sent and no answer came: it may or may not have been processed. */
  | { kind: 'unknown'; error: unknown };

/**
 * Sends a request that has no idempotency key (a Slack webhook POST) and tells apart what the caller may retry: a
 * request whose body never left this process whole cannot have been processed, one that was sent in full may have
 * been. The body is handed over as a stream so that its end marks the moment the last byte went to the socket.
 * Throws the signal's reason when `signal` aborts.
 */
export async function sendOnce(
  url: string,
  options: { method: string; headers: Record<string, string>; body: string; timeoutMs: number; signal?: AbortSignal },
): Promise<OnceOutcome> {
  const bytes = Buffer.from(options.body);
  let handedOver = false;
  const body = Readable.from([bytes], { objectMode: false });
  body.once('end', () => (handedOver = true));
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const answer = await request(url, {
      method: options.method as Dispatcher.HttpMethod,
      headers: { ...options.headers, 'content-length': String(bytes.length) },
      body,
      signal,
      dispatcher: httpDispatcher(),
    });
    const text = await answer.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { kind: 'answered', status: answer.statusCode, headers, body: text };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const reported = timeout.aborted ? Object.assign(new Error('timed out'), { name: 'TimeoutError' }) : error;
    return handedOver ? { kind: 'unknown', error: reported } : { kind: 'not-sent', error: reported };
  }
}
