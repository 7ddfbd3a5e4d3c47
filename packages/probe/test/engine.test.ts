import { gzipSync } from 'node:zlib';
import { CancelledError, MemoryLogger, systemClock } from '@ecs-ship/action-kit';
import { runChecks, validateChecks, type ProbeSettings } from '../src/index.js';
import { delay, freePort, json, makeCertificates, startServer, type TestServer } from '@ecs-ship/testing/servers';

const settings = (over: Partial<ProbeSettings> = {}): ProbeSettings => ({
  waitForHealthyMs: 0,
  consecutiveSuccesses: 1,
  samples: 1,
  concurrency: 10,
  requestTimeoutMs: 2000,
  maxRedirects: 5,
  maxErrorRate: 0,
  versionSource: { kind: 'body' },
  initialBackoffMs: 10,
  maxBackoffMs: 40,
  streakIntervalMs: 1,
  ...over,
});

function checksFor(specs: Record<string, unknown>[], env: Record<string, string> = {}) {
  const { checks, problems } = validateChecks(specs, { env });
  expect(problems).toEqual([]);
  return checks;
}

async function probe(
  specs: Record<string, unknown>[],
  over: Partial<ProbeSettings> = {},
  env: Record<string, string> = {},
) {
  const logger = new MemoryLogger();
  const report = await runChecks(checksFor(specs, env), settings(over), { logger, clock: systemClock });
  return { report, logger, check: report.checks[0]! };
}

const servers: TestServer[] = [];
async function server(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const started = await startServer(...args);
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('runChecks', () => {
  it('retries a flapping check within the warm-up until it is healthy', async () => {
    const s = await server((_, res, i) =>
      i < 3 ? json(res, 503, { status: 'starting' }) : json(res, 200, { status: 'ok' }),
    );
    const { report, check, logger } = await probe([{ name: 'api', url: `${s.url}/health` }], {
      waitForHealthyMs: 5000,
    });
    expect(report.result).toBe('passed');
    expect(check.attempts).toBe(4);
    expect(check.statusCodes).toEqual({ '503': 3, '200': 1 });
    // A repeated failure is logged once, not on every retry.
    expect(logger.lines.filter((l) => l.includes('status 503'))).toHaveLength(1);
  });

  it('fails with the last failure once the warm-up is over', async () => {
    const s = await server((_, res) => json(res, 503, { status: 'down' }));
    // A window of a second, not less: on a machine busy with the whole suite, a worker can wait a few hundred
    // milliseconds for the CPU, and the window must still hold a retry.
    const { report, check } = await probe([{ name: 'api', url: s.url }], { waitForHealthyMs: 1000 });
    expect(report.result).toBe('failed');
    expect(check.attempts).toBeGreaterThan(1);
    expect(check.failure).toMatch(
      /^not healthy within wait-for-healthy-seconds \(1 s; gave up after [12](\.\d)? s and \d+ attempts\); last failure: status 503, expected 2xx \(body: \{"status":"down"\}\)$/,
    );
  });

  it('ends the warm-up within a second of its window even when the endpoint stops answering', async () => {
    // First a quick 503, then requests that hang far longer than the window.
    const s = await server(async (_, res, i) => {
      if (i === 0) return json(res, 503, { status: 'starting' });
      await delay(3000);
      json(res, 200, {});
    });
    const started = Date.now();
    const { report, check } = await probe([{ name: 'api', url: s.url }], {
      waitForHealthyMs: 1000,
      requestTimeoutMs: 10_000,
    });
    expect(report.result).toBe('failed');
    expect(Date.now() - started).toBeLessThan(1000 + 1000 + 500);
    expect(check.failure).toMatch(/^not healthy within wait-for-healthy-seconds \(1 s; gave up after [12](\.\d)? s/);
  });

  it('waits as long as Retry-After asks, within the warm-up window', async () => {
    const s = await server((_, res, i) =>
      i === 0
        ? json(res, 503, {}, { 'Retry-After': '3' })
        : i === 1
          ? json(res, 429, {}, { 'Retry-After': new Date(Date.now() + 600_000).toUTCString() })
          : json(res, 200, {}),
    );
    // A clock that records the waits asked for and returns at once.
    const sleeps: number[] = [];
    const clock = { now: () => Date.now(), sleep: async (ms: number) => void sleeps.push(ms) };
    const report = await runChecks(checksFor([{ url: s.url }]), settings({ waitForHealthyMs: 20_000 }), {
      logger: new MemoryLogger(),
      clock,
    });
    expect(report.result).toBe('passed');
    expect(sleeps[0]).toBe(3000);
    // The second asks for ten minutes: the wait is cut to what is left of the window.
    expect(sleeps[1]).toBeGreaterThan(15_000);
    expect(sleeps[1]).toBeLessThanOrEqual(20_000);
  });

  it('needs consecutive successes: a success followed by a failure starts over', async () => {
    const pattern = [200, 503, 200, 503, 200, 200, 200];
    const s = await server((_, res, i) => json(res, pattern[i] ?? 200, {}));
    const { check } = await probe([{ url: s.url }], { waitForHealthyMs: 5000, consecutiveSuccesses: 3 });
    expect(check.result).toBe('passed');
    expect(check.attempts).toBe(7);
  });

  it('samples latency and fails when the error rate is over the limit', async () => {
    const handler = (_: unknown, res: Parameters<typeof json>[0], i: number) =>
      json(res, i > 0 && i % 4 === 0 ? 500 : 200, {});
    const s = await server(handler);
    const failed = await probe([{ name: 'api', url: s.url }], { samples: 8, maxErrorRate: 0.1 });
    expect(failed.check.samples).toMatchObject({ count: 8, failed: 2, errorRate: 0.25 });
    expect(failed.check.failure).toBe(
      '2 of 8 sampled requests failed (25%, max-error-rate 10%); most common: status 500, expected 2xx (body: {}) (2 times)',
    );
    expect(failed.check.latencyMs!.count).toBe(8);
    expect(failed.check.latencyMs!.p50).toBeLessThanOrEqual(failed.check.latencyMs!.p95);

    const s2 = await server(handler);
    const passed = await probe([{ url: s2.url }], { samples: 8, maxErrorRate: 0.3 });
    expect(passed.check.result).toBe('passed');
  });

  it('counts a slow response as a failure against max-latency-ms', async () => {
    const s = await server(async (_, res) => {
      await delay(120);
      json(res, 200, {});
    });
    const { check } = await probe([{ url: s.url, expect: { 'max-latency-ms': 50 } }]);
    expect(check.failure).toMatch(/^took \d+ ms, over max-latency-ms 50$/);
  });

  it('fails a check whose p95 over its samples is over max-p95-latency-ms, while each answer alone passes', async () => {
    // One answer in ten is slow: p95 of twenty samples is a slow one; p50 is not.
    const s = await server(async (_, res, i) => {
      if (i % 10 === 9) await delay(150);
      json(res, 200, {});
    });
    const slow = await probe([{ name: 'api', url: s.url, expect: { 'max-p95-latency-ms': 100 } }], { samples: 20 });
    expect(slow.check.result).toBe('failed');
    expect(slow.check.failure).toMatch(/^p95 latency 1\d\d ms over 20 answer\(s\), over max-p95-latency-ms 100$/);
    expect(slow.check.latencyMs!.p50).toBeLessThan(100);
    const within = await probe([{ name: 'api', url: s.url, expect: { 'max-p95-latency-ms': 1000 } }], { samples: 20 });
    expect(within.check.result).toBe('passed');
  });

  it('keeps at most `concurrency` requests in flight over all checks', async () => {
    const s = await server(async (_, res) => {
      await delay(30);
      json(res, 200, {});
    });
    const specs = Array.from({ length: 40 }, (_, i) => ({ name: `c${i}`, url: `${s.url}/${i}` }));
    const { report } = await probe(specs, { concurrency: 5 });
    expect(report.result).toBe('passed');
    expect(s.requests).toHaveLength(40);
    expect(s.maxInFlight).toBe(5);
  });

  it('follows redirects, and names a redirect loop', async () => {
    const s = await server((req, res) => {
      const next = { '/a': '/b', '/b': '/ok', '/loop1': '/loop2', '/loop2': '/loop1' }[req.url ?? ''];
      if (next) {
        res.writeHead(302, { location: next });
        return void res.end();
      }
      json(res, 200, { at: req.url });
    });
    const { report } = await probe([
      { name: 'moved', url: `${s.url}/a`, expect: { json: { at: '/ok' } } },
      { name: 'loop', url: `${s.url}/loop1` },
    ]);
    expect(report.checks[0]!.result).toBe('passed');
    expect(report.checks[1]!.failure).toBe(`redirect loop: ${s.url}/loop1 → ${s.url}/loop2 → ${s.url}/loop1`);
  });

  it('stops after max-redirects and drops credentials on a redirect to another origin', async () => {
    const other = await server((_, res) => json(res, 200, {}));
    const s = await server((req, res) => {
      const step = Number(req.url!.slice(1));
      res.writeHead(302, { location: step >= 3 ? `${other.url}/final` : `/${step + 1}` });
      res.end();
    });
    const tooMany = await probe([{ url: `${s.url}/0` }], { maxRedirects: 2 });
    expect(tooMany.check.failure).toMatch(/^more than 2 redirects \(max-redirects\): .*\/0 → .*\/1 → .*\/2 → .*\/3$/);

    const followed = await probe(
      [{ url: `${s.url}/0`, headers: { Authorization: { env: 'TOKEN' } } }],
      {},
      { TOKEN: 'Bearer sekrit-1' },
    );
    expect(followed.check.result).toBe('passed');
    expect(s.requests.at(-1)!.headers.authorization).toBe('Bearer sekrit-1');
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('reports connection refused and timeouts in plain words', async () => {
    const port = await freePort();
    const slow = await server(async (_, res) => {
      await delay(1000);
      json(res, 200, {});
    });
    const { report } = await probe(
      [
        { name: 'refused', url: `http://127.0.0.1:${port}/` },
        { name: 'slow', url: slow.url },
        { name: 'dns', url: 'http://no-such-host.invalid/' },
      ],
      { requestTimeoutMs: 150 },
    );
    expect(report.checks.map((c) => c.failure)).toEqual([
      `connection refused by 127.0.0.1:${port} (nothing is listening there)`,
      `no complete response from 127.0.0.1:${slow.port} within 0.15 s (request-timeout-seconds)`,
      expect.stringMatching(
        /^DNS lookup (failed: host no-such-host.invalid not found|of no-such-host.invalid failed temporarily)/,
      ),
    ]);
    expect(report.checks[0]!.statusCodes).toEqual({ error: 1 });
  });

  it('refuses a certificate from an unknown CA and says how to trust it', async () => {
    const certs = makeCertificates();
    const s = await server((_, res) => json(res, 200, {}), { key: certs.key, cert: certs.cert });
    const { check } = await probe([{ url: s.url }]);
    expect(check.failure).toMatch(/^TLS certificate of 127.0.0.1 is not trusted \(\w+\): .*NODE_EXTRA_CA_CERTS$/);
  });

  it('keeps a credential echoed by the service out of failure messages', async () => {
    const s = await server((req, res) => {
      res.writeHead(200);
      res.end(String(req.headers['x-api-key']));
    });
    const { check } = await probe(
      [{ url: s.url, headers: { 'X-Api-Key': { env: 'KEY' } }, expect: { json: { ok: true } } }],
      {},
      { KEY: 'key-abcdef' },
    );
    expect(check.failure).toContain('it starts with "***"');
    expect(JSON.stringify(check)).not.toContain('key-abcdef');
  });

  it('reads compressed bodies, sends the request body and its headers', async () => {
    const s = await server((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(
        gzipSync(JSON.stringify({ echoed: JSON.parse(s.requests.at(-1)!.body), type: req.headers['content-type'] })),
      );
    });
    const { check } = await probe([
      {
        url: s.url,
        method: 'POST',
        body: { ping: 1 },
        expect: { status: 201, json: { 'echoed.ping': 1, type: 'application/json' } },
      },
    ]);
    expect(check.failure).toBeUndefined();
    expect(s.requests[0]!.method).toBe('POST');
  });

  it('stops waiting when cancelled', async () => {
    const s = await server((_, res) => json(res, 503, {}));
    const controller = new AbortController();
    const running = runChecks(
      checksFor([{ url: s.url }]),
      settings({ waitForHealthyMs: 60_000, initialBackoffMs: 5000 }),
      {
        logger: new MemoryLogger(),
        clock: systemClock,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(new CancelledError('The job was cancelled (SIGINT).')), 100);
    await expect(running).rejects.toThrow('The job was cancelled (SIGINT).');
  });
});
