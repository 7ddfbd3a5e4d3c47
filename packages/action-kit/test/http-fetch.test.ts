// The node:http fetch the GitHub and Slack clients use: what they read of a response, and fetch's error shapes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch } from '@ecs-ship/action-kit/http-fetch';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let base: string;
let handler: Handler;
const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => (seen.length = 0));

test('sends the method, headers and body, and reads status, headers and JSON', async () => {
  handler = (_req, body, res) => {
    res.writeHead(201, 'Created', { 'content-type': 'application/json', 'X-RateLimit-Remaining': '4999' });
    res.end(JSON.stringify({ echoed: JSON.parse(body) }));
  };
  const response = await httpFetch(`${base}/repos/acme/shop/git/refs`, {
    method: 'POST',
    headers: { authorization: 'token ghs_x', 'content-type': 'application/json' },
    body: JSON.stringify({ ref: 'refs/tags/v1' }),
  });
  expect(seen[0]).toMatchObject({
    method: 'POST',
    url: '/repos/acme/shop/git/refs',
    headers: { authorization: 'token ghs_x', 'content-length': '22' },
  });
  expect(seen[0]!.headers['transfer-encoding']).toBeUndefined();
  expect([response.status, response.statusText, response.ok, response.url]).toEqual([
    201,
    'Created',
    true,
    `${base}/repos/acme/shop/git/refs`,
  ]);
  expect(response.headers.get('X-RATELIMIT-REMAINING')).toBe('4999');
  expect([...response.headers].map(([name]) => name)).toEqual(
    expect.arrayContaining(['content-type', 'x-ratelimit-remaining']),
  );
  expect(await response.json()).toEqual({ echoed: { ref: 'refs/tags/v1' } });
  await expect(response.text()).rejects.toThrow(/already been read/);
});

test('an error status is an answer, not a failure, and the body can be read as bytes', async () => {
  handler = (_req, _body, res) => {
    res.writeHead(429, { 'retry-after': '7' });
    res.end('rate_limited');
  };
  const response = await httpFetch(`${base}/services/T1/B1/secret`, { method: 'POST', body: '{}' });
  expect([response.status, response.ok, response.headers.get('retry-after')]).toEqual([429, false, '7']);
  expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('rate_limited');
});

describe('redirects', () => {
  beforeEach(() => {
    handler = (req, _body, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/new' });
        res.end();
      } else if (req.url === '/see-other') {
        res.writeHead(303, { location: '/new' });
        res.end();
      } else if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' });
        res.end();
      } else {
        res.end(`${req.method} ${req.url}`);
      }
    };
  });

  test('are followed by default, a 303 continuing as a GET without the body', async () => {
    const followed = await httpFetch(`${base}/old`);
    expect([await followed.text(), followed.redirected, followed.url]).toEqual(['GET /new', true, `${base}/new`]);
    const posted = await httpFetch(`${base}/see-other`, {
      method: 'POST',
      body: 'payload',
      headers: { 'content-type': 'text/plain' },
    });
    expect(await posted.text()).toBe('GET /new');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', body: '' });
  });

  test('are handed back with "manual", refused with "error", and a loop ends', async () => {
    const manual = await httpFetch(`${base}/old`, { redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).toEqual([301, '/new']);
    await expect(httpFetch(`${base}/old`, { redirect: 'error' })).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: expect.objectContaining({ message: 'unexpected redirect to /new' }),
    });
    await expect(httpFetch(`${base}/loop`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: 'redirect count exceeded' }),
    });
  });
});

test('a refused connection is a TypeError "fetch failed" whose cause carries the socket code', async () => {
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((done) => closed.close(() => done()));
  await expect(httpFetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({
    name: 'TypeError',
    message: 'fetch failed',
    cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
  });
});

test('an abort ends the request with the signal reason, or an AbortError', async () => {
  handler = () => undefined; // never answers
  const reason = new Error('step cancelled');
  const withReason = new AbortController();
  const pending = httpFetch(`${base}/slow`, { signal: withReason.signal });
  setTimeout(() => withReason.abort(reason), 20);
  await expect(pending).rejects.toBe(reason);

  const before = new AbortController();
  before.abort();
  // AbortController.abort() without a reason gives the signal an AbortError DOMException as its reason.
  await expect(httpFetch(`${base}/slow`, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
});

test('only http and https are spoken', async () => {
  await expect(httpFetch('file:///etc/passwd')).rejects.toMatchObject({
    message: 'fetch failed',
    cause: expect.objectContaining({ message: 'unsupported protocol file:' }),
  });
});
