import { RequestError } from '@octokit/request-error';
import { CancelledError, MemoryLogger, type Clock } from '@ecs-ship/action-kit';
import { DEFAULT_RETRY_POLICY, retryDelay, retryTransientFailures } from '../src/retry.js';
import { getOctokit } from '@actions/github';
import { on, scriptedClient } from './fake-github.js';

const NOW = 1_800_000_000_000;

function failure(status: number, headers: Record<string, string> = {}) {
  return new RequestError('failed', status, {
    request: { method: 'GET', url: 'https://api.github.com/repos/acme/shop/tags', headers: {} },
    response: { status, url: '', headers, data: { message: 'failed' } },
  });
}

describe('retryDelay', () => {
  const policy = DEFAULT_RETRY_POLICY;
  it.each([
    ['503 on the first try', failure(503), 1, 1000],
    ['502 on the third try', failure(502), 3, 4000],
    ['500 on the last try', failure(500), 4, undefined],
    ['429 with retry-after', failure(429, { 'retry-after': '7' }), 1, 7000],
    ['429 without retry-after', failure(429), 2, 2000],
    ['403 secondary limit with retry-after', failure(403, { 'retry-after': '3' }), 1, 3000],
    [
      '403 quota spent, resets in 20 s',
      failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 20) }),
      1,
      20_000,
    ],
    [
      '403 quota spent, resets in an hour',
      failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) }),
      1,
      undefined,
    ],
    ['429 retry-after beyond the limit', failure(429, { 'retry-after': '600' }), 1, undefined],
    ['403 missing permission', failure(403), 1, undefined],
    ['404', failure(404), 1, undefined],
    ['422', failure(422), 1, undefined],
    ['not an HTTP failure', new TypeError('bug'), 1, undefined],
  ])('%s', (_, error, attempt, expected) => {
    expect(retryDelay(error, attempt, policy, NOW)).toBe(expected);
  });
});

describe('retryTransientFailures', () => {
  function fakeClock() {
    const slept: number[] = [];
    const clock: Clock = { now: () => NOW, sleep: async (ms) => void slept.push(ms) };
    return { clock, slept };
  }

  it('tries a request again after server errors and returns the answer that came through', async () => {
    let calls = 0;
    const { client } = scriptedClient([
      on('GET', '/repos/acme/shop/tags', () =>
        ++calls < 3 ? { status: 502, body: { message: 'Bad Gateway' } } : { status: 200, body: [{ name: 'v1.0.0' }] },
      ),
    ]);
    const { clock, slept } = fakeClock();
    const logger = new MemoryLogger();
    retryTransientFailures(client, { clock, logger });
    const { data } = await client.rest.repos.listTags({ owner: 'acme', repo: 'shop' });
    expect(data).toEqual([{ name: 'v1.0.0' }]);
    expect(slept).toEqual([1000, 2000]);
    expect(logger.lines).toEqual([
      'GitHub answered 502 to GET /repos/{owner}/{repo}/tags; trying again in 1 s (attempt 2 of 4).',
      'GitHub answered 502 to GET /repos/{owner}/{repo}/tags; trying again in 2 s (attempt 3 of 4).',
    ]);
  });

  it('gives up after the last attempt with the last failure, and never retries a 4xx', async () => {
    const { client, calls } = scriptedClient([
      on('GET', '/repos/acme/shop/tags', { status: 503, body: { message: 'Unavailable' } }),
      on('POST', '/repos/acme/shop/git/refs', { status: 422, body: { message: 'Reference already exists' } }),
    ]);
    const { clock, slept } = fakeClock();
    retryTransientFailures(client, { clock, logger: new MemoryLogger() });
    await expect(client.rest.repos.listTags({ owner: 'acme', repo: 'shop' })).rejects.toMatchObject({ status: 503 });
    expect(calls.filter((c) => c === 'GET /repos/acme/shop/tags')).toHaveLength(4);
    expect(slept).toEqual([1000, 2000, 4000]);
    await expect(
      client.rest.git.createRef({ owner: 'acme', repo: 'shop', ref: 'refs/tags/x', sha: 'a' }),
    ).rejects.toMatchObject({ status: 422 });
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(1);
  });
});

describe('retryTransientFailures and cancellation', () => {
  it('aborts the request in flight and does not retry once the job is cancelled', async () => {
    const controller = new AbortController();
    let fetches = 0;
    // A request that only ends when its signal aborts, like a slow answer at the moment the job is cancelled.
    const slow = getOctokit('ghs_test', {
      request: {
        fetch: (_url: string, init: RequestInit) =>
          new Promise<Response>((_, reject) => {
            fetches++;
            if (!init.signal) return reject(new Error('the request carries no abort signal'));
            init.signal.addEventListener('abort', () => reject(init.signal!.reason));
          }),
      },
    });
    const clock: Clock = { now: () => NOW, sleep: async () => undefined };
    retryTransientFailures(slow, { clock, logger: new MemoryLogger(), signal: controller.signal });

    const pending = slow.rest.repos.listTags({ owner: 'acme', repo: 'shop' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new CancelledError('The job was cancelled (SIGINT).'));
    await expect(pending).rejects.toThrow('The job was cancelled (SIGINT).');
    expect(fetches).toBe(1);
  });
});
