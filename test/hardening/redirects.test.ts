/**
 * The GitHub token never follows a redirect to another origin (FACTS: "HTTP clients, proxies and redirects"), tried as
 * a user would: the tag-release bundle is pointed at a GitHub API that redirects every call, with two local servers.
 * A redirect to another origin reaches the second server without the token; one within the origin keeps it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction } from '@ecs-ship/testing';

const TOKEN = 'ghs_redirectedToken0000000000000000000000';
const SHA = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

async function listen(answer: (req: Seen) => { status: number; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const entry = { path: req.url ?? '', headers: req.headers };
    // The harness asks a loopback API for a sandbox's secrets after each run; that is not the action's request.
    if (!entry.path.startsWith('/_sandbox/')) seen.push(entry);
    req.resume();
    const { status, headers } = answer(entry);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function tagRelease(apiUrl: string) {
  return runAction('tag-release', {
    inputs: { sha: SHA, tag: 'v1.0.0', token: TOKEN },
    env: { GITHUB_API_URL: apiUrl },
    timeoutMs: 60_000,
  });
}

test('a redirect to another origin: the second server never receives the token', async () => {
  const other = await listen(() => ({ status: 404 }));
  const api = await listen((req) => ({ status: 307, headers: { location: `${other.url}${req.path}` } }));
  try {
    const run = await tagRelease(api.url);
    expect(run.exitCode).toBe(1);
    expect(api.seen.length).toBeGreaterThan(0);
    expect(api.seen.every((req) => req.headers.authorization === `token ${TOKEN}`)).toBe(true);
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.map((req) => req.headers.authorization)).toEqual(other.seen.map(() => undefined));
  } finally {
    await Promise.all([api.close(), other.close()]);
  }
});

test('a redirect within the origin keeps the token', async () => {
  const api = await listen((req) =>
    req.path.startsWith('/moved/') ? { status: 404 } : { status: 301, headers: { location: `/moved${req.path}` } },
  );
  try {
    const run = await tagRelease(api.url);
    expect(run.exitCode).toBe(1);
    const moved = api.seen.filter((req) => req.path.startsWith('/moved/'));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((req) => req.headers.authorization === `token ${TOKEN}`)).toBe(true);
  } finally {
    await api.close();
  }
});
