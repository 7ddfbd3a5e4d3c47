import zlib from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createHttpDispatcher, redirectStep } from '@ecs-ship/action-kit/http';
import { request, type Dispatcher } from 'undici';
import { describeNetworkError } from './network-errors.js';
import type { RequestHeader } from './types.js';

/**
 * One HTTP exchange through the suite's HTTP policy (action-kit's http.ts: proxy variables, connect timeout, TLS
 * verified against Node's trust store with NODE_EXTRA_CA_CERTS): redirects followed up to a limit (with loop
 * detection) by the policy's redirect rule, one deadline for the whole exchange, and network errors turned into
 * plain words. The probe follows redirects itself so that it can report the chain and time the whole exchange.
 */

/** Bodies are kept up to this size for the checks; the rest is read and dropped so the connection can be reused. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The URL that gave the final answer. */
  url: URL;
  /** Every URL requested, the first included. */
  chain: URL[];
}

export interface SendOptions {
  method: string;
  headers: RequestHeader[];
  body?: string;
  timeoutMs: number;
  maxRedirects: number;
  agents: Agents;
  signal?: AbortSignal;
  userAgent?: string;
}

/** A request that got no usable answer; the message is plain words (connection refused, DNS, TLS, timeout, loop). */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** The connections of one run: the suite's HTTP policy, with a pool sized to the run's concurrency. */
export interface Agents {
  dispatcher: Dispatcher;
  destroy(): void;
}

export function createAgents(maxSockets: number): Agents {
  const dispatcher = createHttpDispatcher({ connections: maxSockets });
  return { dispatcher, destroy: () => void dispatcher.destroy().catch(() => undefined) };
}

export async function send(url: URL, options: SendOptions): Promise<HttpResponse> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new TimeoutAbort()), options.timeoutMs);
  try {
    return await follow(url, options, controller.signal);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (controller.signal.reason instanceof TimeoutAbort) {
      throw new NetworkError(
        `no complete response from ${hostPort(url)} within ${formatSeconds(options.timeoutMs)} (request-timeout-seconds)`,
      );
    }
    if (error instanceof NetworkError) throw error;
    throw new NetworkError(describeNetworkError(error, url));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

class TimeoutAbort extends Error {}

async function follow(start: URL, options: SendOptions, signal: AbortSignal): Promise<HttpResponse> {
  const chain: URL[] = [start];
  let url = start;
  let method = options.method;
  let body = options.body;
  let headers = options.headers;
  for (;;) {
    const response = await exchange(url, method, headers, body, options, signal);
    const location = response.headers.location;
    let step: ReturnType<typeof redirectStep>;
    try {
      step = redirectStep(url, method, response.status, Array.isArray(location) ? location[0] : location);
    } catch (error) {
      const message = (error as Error).message;
      throw new NetworkError(
        /redirected to/.test(message)
          ? message
          : `${url} redirected to an invalid location ${JSON.stringify(location)}`,
      );
    }
    if (!step) return { ...response, url, chain };
    const next = step.url;
    if (chain.some((seen) => seen.href === next.href)) {
      throw new NetworkError(`redirect loop: ${[...chain, next].map((u) => u.href).join(' → ')}`);
    }
    if (chain.length > options.maxRedirects) {
      throw new NetworkError(
        `more than ${options.maxRedirects} redirects (max-redirects): ${[...chain, next].map((u) => u.href).join(' → ')}`,
      );
    }
    method = step.method;
    if (!step.keepBody) body = undefined;
    // Beyond the policy's rule (credentials never travel to another origin), every header the check set stays
    // with the origin it was written for: a custom header can carry a credential too.
    if (step.crossOrigin) headers = [];
    chain.push(next);
    url = next;
  }
}

async function exchange(
  url: URL,
  method: string,
  headers: RequestHeader[],
  body: string | undefined,
  options: SendOptions,
  signal: AbortSignal,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const outgoing: Record<string, string> = {
    'user-agent': options.userAgent ?? 'ecs-ship-smoke-test',
    accept: '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  for (const header of headers) outgoing[header.name.toLowerCase()] = header.value;
  if (body !== undefined) outgoing['content-length'] = String(Buffer.byteLength(body));
  const response = await request(url, {
    method: method as Dispatcher.HttpMethod,
    headers: outgoing,
    ...(body !== undefined ? { body } : {}),
    signal,
    dispatcher: options.agents.dispatcher,
  });
  const responseHeaders = response.headers as IncomingHttpHeaders;
  const encoding = responseHeaders['content-encoding'];
  const chunks: Buffer[] = [];
  let kept = 0;
  // The whole body is read (the part past the limit dropped), so that the connection can be reused.
  for await (const chunk of decoder(typeof encoding === 'string' ? encoding : undefined, response.body)) {
    if (kept >= MAX_BODY_BYTES) continue;
    chunks.push(chunk as Buffer);
    kept += (chunk as Buffer).length;
  }
  return {
    status: response.statusCode,
    headers: responseHeaders,
    body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
  };
}

function decoder(encoding: string | undefined, body: Readable): AsyncIterable<unknown> {
  const inflate = {
    gzip: zlib.createGunzip,
    'x-gzip': zlib.createGunzip,
    deflate: zlib.createInflate,
    br: zlib.createBrotliDecompress,
  }[encoding?.trim().toLowerCase() ?? ''];
  if (!inflate) return body;
  const decoded = inflate();
  // A connection that breaks mid-body fails the decoded stream too, rather than leaving it waiting.
  body.on('error', (error) => decoded.destroy(error));
  return body.pipe(decoded);
}

export function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
