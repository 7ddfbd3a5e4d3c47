import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { describeNetworkError } from './network-errors.js';
import type { RequestHeader } from './types.js';

/**
 * One HTTP exchange with node:http(s): redirects followed up to a limit (with loop detection), TLS verified
 * against Node's trust store (which includes NODE_EXTRA_CA_CERTS), one deadline for the whole exchange, and
 * network errors turned into plain words.
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

export interface Agents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/** Keep-alive agents shared by every request of a run, sized to the concurrency. */
export function createAgents(maxSockets: number): Agents {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return { ...agents, destroy: () => (agents.http.destroy(), agents.https.destroy()) };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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
    if (!REDIRECT_STATUSES.has(response.status) || !location) return { ...response, url, chain };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new NetworkError(`${url} redirected to an invalid location ${JSON.stringify(location)}`);
    }
    if (chain.some((seen) => seen.href === next.href)) {
      throw new NetworkError(`redirect loop: ${[...chain, next].map((u) => u.href).join(' → ')}`);
    }
    if (chain.length > options.maxRedirects) {
      throw new NetworkError(
        `more than ${options.maxRedirects} redirects (max-redirects): ${[...chain, next].map((u) => u.href).join(' → ')}`,
      );
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new NetworkError(`${url} redirected to ${next.protocol} URL, which cannot be followed`);
    }
    // Browsers' rules: 303 (and 301/302 after a POST) continue as GET without the body.
    if (
      (response.status === 303 && method !== 'HEAD') ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
    }
    // Headers the user set (credentials among them) never travel to another origin.
    if (next.origin !== url.origin) headers = [];
    chain.push(next);
    url = next;
  }
}

function exchange(
  url: URL,
  method: string,
  headers: RequestHeader[],
  body: string | undefined,
  options: SendOptions,
  signal: AbortSignal,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = {
      'user-agent': options.userAgent ?? 'ecs-ship-smoke-test',
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
    };
    for (const header of headers) outgoing[header.name.toLowerCase()] = header.value;
    if (body !== undefined) outgoing['content-length'] = String(Buffer.byteLength(body));
    const isHttps = url.protocol === 'https:';
    const request = (isHttps ? https : http).request(url, {
      method,
      headers: outgoing,
      agent: isHttps ? options.agents.https : options.agents.http,
      signal,
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const stream = decoder(response.headers['content-encoding'], response);
      stream.on('data', (chunk: Buffer) => {
        if (kept >= MAX_BODY_BYTES) return;
        chunks.push(chunk);
        kept += chunk.length;
      });
      stream.on('error', (error) => reject(error));
      if (stream !== response) response.on('error', reject);
      response.on('aborted', () => reject(new Error('response aborted')));
      stream.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
        }),
      );
    });
    request.end(body);
  });
}

function decoder(encoding: string | undefined, response: http.IncomingMessage): NodeJS.ReadableStream {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(zlib.createGunzip());
    case 'deflate':
      return response.pipe(zlib.createInflate());
    case 'br':
      return response.pipe(zlib.createBrotliDecompress());
    default:
      return response;
  }
}

export function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
