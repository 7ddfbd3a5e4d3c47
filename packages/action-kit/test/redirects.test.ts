/**
 * The HTTP policy's redirect rule, against two real local servers (two origins): a redirect to another origin never
 * carries Authorization, Cookie or Proxy-Authorization; a redirect within the origin keeps them. The Fetch standard
 * (undici) applies it for httpFetch; `redirectStep` gives clients that follow redirects themselves the same rule.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch, redirectStep } from '@ecs-ship/action-kit/http';

interface Seen {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
}

async function listen(handler: (seen: Seen, res: import('node:http').ServerResponse) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const entry = { path: req.url ?? '', method: req.method ?? '', headers: req.headers };
    seen.push(entry);
    req.resume();
    req.on('end', () => handler(entry, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const CREDENTIALS = {
  authorization: 'token ghs_redirectSecret000000000000000000000',
  cookie: 'session=s3cr3t-cookie',
  'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
};

let other: Awaited<ReturnType<typeof listen>>;
let first: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  other = await listen((_seen, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('other origin'));
  first = await listen((seen, res) => {
    const status = Number(/^\/(\d{3})/.exec(seen.path)?.[1] ?? 200);
    if (seen.path.endsWith('/away')) return void res.writeHead(status, { location: `${other.url}/landed` }).end();
    if (seen.path.endsWith('/here')) return void res.writeHead(status, { location: '/landed-here' }).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('same origin');
  });
});
afterAll(() => Promise.all([first.close(), other.close()]));
beforeEach(() => {
  first.seen.length = 0;
  other.seen.length = 0;
});

describe.each([301, 302, 303, 307, 308])('a %i redirect', (status) => {
  test('to another origin carries no credentials there', async () => {
    const response = await httpFetch(`${first.url}/${status}/away`, { headers: CREDENTIALS });
    expect(await response.text()).toBe('other origin');
    expect(other.seen).toHaveLength(1);
    const headers = other.seen[0]!.headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    // The first origin did get them: the rule is about where the request goes next.
    expect(first.seen[0]!.headers.authorization).toBe(CREDENTIALS.authorization);
  });

  test('within the origin keeps them', async () => {
    const response = await httpFetch(`${first.url}/${status}/here`, { headers: CREDENTIALS });
    expect(await response.text()).toBe('same origin');
    expect(first.seen.map((s) => s.path)).toEqual([`/${status}/here`, '/landed-here']);
    expect(first.seen[1]!.headers.authorization).toBe(CREDENTIALS.authorization);
    expect(first.seen[1]!.headers.cookie).toBe(CREDENTIALS.cookie);
    expect(other.seen).toEqual([]);
  });
});

test('a POST redirected by 303 (or 301/302) goes on as a GET without its body; 307/308 keep both', async () => {
  const init = { method: 'POST', headers: { ...CREDENTIALS, 'content-type': 'application/json' }, body: '{"a":1}' };
  await httpFetch(`${first.url}/303/here`, init);
  await httpFetch(`${first.url}/307/here`, init);
  expect(first.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
    'POST /303/here',
    'GET /landed-here',
    'POST /307/here',
    'POST /landed-here',
  ]);
});

describe('redirectStep (for clients that follow redirects themselves)', () => {
  const from = new URL('https://api.example.com/v1/things');

  test('names a move to another origin: scheme, host or port', () => {
    expect(redirectStep(from, 'GET', 302, '/v2/things')).toMatchObject({ crossOrigin: false, method: 'GET' });
    for (const location of [
      'http://api.example.com/v1/things',
      'https://cdn.example.com/x',
      'https://api.example.com:8443/x',
    ]) {
      expect(redirectStep(from, 'GET', 302, location)?.crossOrigin).toBe(true);
    }
  });

  test('changes the method the way fetch does', () => {
    expect(redirectStep(from, 'POST', 302, '/x')).toMatchObject({ method: 'GET', keepBody: false });
    expect(redirectStep(from, 'POST', 307, '/x')).toMatchObject({ method: 'POST', keepBody: true });
    expect(redirectStep(from, 'HEAD', 303, '/x')).toMatchObject({ method: 'HEAD', keepBody: true });
    expect(redirectStep(from, 'PUT', 303, '/x')).toMatchObject({ method: 'GET', keepBody: false });
  });

  test('is not a redirect without a 3xx status and a location, and refuses other schemes', () => {
    expect(redirectStep(from, 'GET', 200, '/x')).toBeUndefined();
    expect(redirectStep(from, 'GET', 302, undefined)).toBeUndefined();
    expect(() => redirectStep(from, 'GET', 302, 'ftp://files.example.com/x')).toThrow(/cannot be followed/);
  });
});
