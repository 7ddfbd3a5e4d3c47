/**
 * A `fetch` for API clients (Octokit, the Slack webhook client) over node:http and node:https.
 *
 * Node's built-in fetch is undici: the first call loads its JavaScript and compiles its HTTP parser to
 * WebAssembly, about 16 MB of resident memory in a step that makes a handful of small JSON requests. node:http costs
 * about 2 MB. The clients only need the part of fetch this implements: a method, string or byte bodies, headers, an
 * AbortSignal, the three redirect modes, and a response read whole (status, headers, text/json/arrayBuffer).
 * Errors take fetch's shape (a TypeError "fetch failed" whose `cause` is the socket's error, an AbortError when
 * aborted) because the clients read them that way.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface HttpFetchInit {
  method?: string;
  headers?: Record<string, string> | [string, string][];
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
  redirect?: 'follow' | 'manual' | 'error';
}

/** The read-only part of a fetch `Headers` the clients use. */
export class ResponseHeaders implements Iterable<[string, string]> {
  private readonly values = new Map<string, string>();

  constructor(raw: IncomingHttpHeaders) {
    for (const [name, value] of Object.entries(raw)) {
      if (value === undefined) continue;
      this.values.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.values.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this) callback(value, name);
  }

  entries(): IterableIterator<[string, string]> {
    return this[Symbol.iterator]();
  }

  keys(): IterableIterator<string> {
    return [...this.values.keys()].sort()[Symbol.iterator]();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return [...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[Symbol.iterator]();
  }
}

export class HttpFetchResponse {
  readonly ok: boolean;
  readonly redirected: boolean;
  /** The body is read whole before the response is handed over; there is no stream to offer. */
  readonly body = null;
  private used = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: ResponseHeaders,
    readonly url: string,
    private readonly bytes: Buffer,
    redirected: boolean,
  ) {
    this.ok = status >= 200 && status < 300;
    this.redirected = redirected;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.consume();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private consume(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes;
  }
}

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function httpFetch(input: string | URL, init: HttpFetchInit = {}): Promise<HttpFetchResponse> {
  const signal = init.signal ?? undefined;
  let url = new URL(String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body ?? undefined;
  const headers = Object.fromEntries(
    (Array.isArray(init.headers) ? init.headers : Object.entries(init.headers ?? {})).map(([k, v]) => [k, v]),
  );
  for (let redirects = 0; ; redirects++) {
    const answer = await exchange(url, method, headers, body, signal);
    const location = answer.message.headers.location;
    if (!REDIRECT_STATUSES.has(answer.message.statusCode ?? 0) || !location || init.redirect === 'manual') {
      return respond(answer, url, redirects > 0);
    }
    if (init.redirect === 'error') throw fetchFailed(new Error(`unexpected redirect to ${location}`));
    if (redirects >= MAX_REDIRECTS) throw fetchFailed(new Error('redirect count exceeded'));
    url = new URL(location, url);
    // As fetch does: 303, and 301/302 after a POST, continue as a GET without the body.
    const status = answer.message.statusCode!;
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      for (const name of Object.keys(headers)) {
        if (/^content-(type|length)$/i.test(name)) delete headers[name];
      }
    }
  }
}

interface Exchange {
  message: IncomingMessage;
  bytes: Buffer;
}

async function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  signal: AbortSignal | undefined,
): Promise<Exchange> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fetchFailed(new Error(`unsupported protocol ${url.protocol}`));
  }
  if (signal?.aborted) throw aborted(signal);
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  // As fetch does, a body of known length is sent with Content-Length rather than chunked.
  const sized =
    body === undefined || Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')
      ? headers
      : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise<Exchange>((resolve, reject) => {
    const req = request(url, { method, headers: sized });
    const onAbort = (): void => {
      req.destroy();
      reject(aborted(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    req.on('error', (error) => {
      settle();
      reject(signal?.aborted ? aborted(signal) : fetchFailed(error));
    });
    req.on('response', (message) => {
      const chunks: Buffer[] = [];
      message.on('data', (chunk: Buffer) => chunks.push(chunk));
      message.on('error', (error) => {
        settle();
        reject(signal?.aborted ? aborted(signal) : fetchFailed(error));
      });
      message.on('end', () => {
        settle();
        resolve({ message, bytes: Buffer.concat(chunks) });
      });
    });
    req.end(body);
  });
}

function respond({ message, bytes }: Exchange, url: URL, redirected: boolean): HttpFetchResponse {
  const status = message.statusCode ?? 0;
  return new HttpFetchResponse(
    status,
    message.statusMessage ?? '',
    new ResponseHeaders(message.headers),
    url.href,
    bytes,
    redirected,
  );
}

/** fetch's network error: a TypeError whose cause carries the socket's code (ECONNREFUSED, ECONNRESET, ...). */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** fetch rejects with the signal's reason, or an AbortError when there is none. */
function aborted(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
