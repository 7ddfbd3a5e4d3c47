/**
 * Delivery through the real @slack/webhook client over real HTTP, against a small local server that answers the
 * way Slack's webhooks do. The clock records the waits instead of sleeping them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledError, MemoryLogger, type Clock } from '@ecs-ship/action-kit';
import { deliver, retryAfter, type DeliveryOptions } from '../src/index.js';

type Answer = { status: number; body: string; headers?: Record<string, string> } | 'reset' | 'hang';

let server: Server;
let base: string;
let answers: Answer[] = [];
let received: { path: string; body: unknown }[] = [];
const hanging: { destroy(): void }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      const answer = answers.shift() ?? { status: 200, body: 'ok' };
      if (answer === 'reset') return void req.socket.destroy();
      // Never answers; the socket is closed when the server stops.
      if (answer === 'hang') return void hanging.push(res);
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const res of hanging) res.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  answers = [];
  received = [];
});

const SECRET_PATH = '/services/T0001/B0002/s3cr3tT0k3n';
const payload = {
  text: 'hello',
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'hi' } }],
};

function options(overrides: Partial<DeliveryOptions> = {}) {
  const waits: number[] = [];
  const clock: Clock = {
    now: () => Date.now(),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      waits.push(ms);
    },
  };
  const logger = new MemoryLogger();
  return { waits, logger, options: { retries: 3, maxWaitMs: 30_000, clock, logger, ...overrides } };
}

function expectNoSecret(...texts: (string | undefined)[]) {
  for (const text of texts) expect(text ?? '').not.toContain('s3cr3tT0k3n');
}

test('200 ok: delivered on the first attempt, the payload as sent', async () => {
  const { options: opts, waits } = options();
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({ delivered: true, statusCode: 200, attempts: 1 });
  expect(received).toEqual([{ path: SECRET_PATH, body: payload }]);
  expect(waits).toEqual([]);
});

test('429 waits for Retry-After, then 200', async () => {
  answers = [{ status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } }];
  const { options: opts, waits, logger } = options();
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({ delivered: true, statusCode: 200, attempts: 2 });
  expect(waits).toEqual([7000]);
  expect(received).toHaveLength(2);
  expect(logger.lines[0]).toBe(
    'Slack is rate limiting this webhook (HTTP 429) (rate_limited); retrying in 7 s (attempt 2 of 4).',
  );
  expectNoSecret(...logger.lines);
});

test('a Retry-After above the allowed wait ends the delivery instead of stalling the job', async () => {
  answers = [{ status: 429, body: 'rate_limited', headers: { 'retry-after': '120' } }];
  const { options: opts, waits } = options({ maxWaitMs: 10_000 });
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toMatchObject({ delivered: false, statusCode: 429, attempts: 1, errorCode: 'rate_limited' });
  expect(result.problem).toContain('Slack asked to wait 120 s, longer than the longest wait allowed (10 s)');
  expect(waits).toEqual([]);
});

test('5xx is retried with doubling backoff, then 200', async () => {
  answers = [
    { status: 500, body: 'internal_error' },
    { status: 503, body: 'service_unavailable' },
  ];
  const { options: opts, waits } = options({ baseDelayMs: 500 });
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({ delivered: true, statusCode: 200, attempts: 3 });
  expect(waits).toEqual([500, 1000]);
});

test('backoff never exceeds the maximum wait, and retries run out', async () => {
  answers = Array.from({ length: 5 }, () => ({ status: 502, body: '<html>bad gateway</html>' }));
  const { options: opts, waits } = options({ retries: 4, baseDelayMs: 1000, maxWaitMs: 3000 });
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({
    delivered: false,
    statusCode: 502,
    attempts: 5,
    errorCode: undefined,
    // An HTML body is not repeated: only Slack's short error codes are.
    problem: 'Slack had a server error (HTTP 502) (gave up after 5 attempts)',
  });
  expect(waits).toEqual([1000, 2000, 3000, 3000]);
});

test.each([
  [404, 'channel_not_found', "Slack cannot find the webhook's channel (channel_not_found)"],
  [404, 'no_service', 'Slack does not know this webhook (no_service)'],
  [410, 'channel_is_archived', "The webhook's channel is archived (channel_is_archived)"],
  [403, 'action_prohibited', "Slack refused the message (action_prohibited): the workspace's admins"],
  [400, 'invalid_blocks', 'Slack refused the blocks (invalid_blocks)'],
  [400, 'invalid_payload', 'Slack could not read the message (invalid_payload)'],
  [
    400,
    'missing_text_or_fallback_or_attachments',
    'Slack refused an empty message (missing_text_or_fallback_or_attachments)',
  ],
])('%i %s is explained and not retried', async (status, body, explanation) => {
  answers = [{ status, body }];
  const { options: opts, waits } = options();
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toMatchObject({ delivered: false, statusCode: status, attempts: 1, errorCode: body });
  expect(result.problem).toContain(explanation);
  expect(result.problem).toContain(`(HTTP ${status})`);
  expect(received).toHaveLength(1);
  expect(waits).toEqual([]);
});

test('a reset connection is retried; the problem names the host, never the path', async () => {
  answers = ['reset'];
  const { options: opts, waits, logger } = options();
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({ delivered: true, statusCode: 200, attempts: 2 });
  expect(waits).toEqual([1000]);
  expect(logger.lines[0]).toMatch(
    /^Could not reach Slack: the connection to 127\.0\.0\.1:\d+ was reset; retrying in 1 s \(attempt 2 of 4\)\.$/,
  );
  expectNoSecret(...logger.lines);
});

test('a refused connection gives up after the retries, in plain words', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const { options: opts, waits } = options({ retries: 2 });
  const result = await deliver(`http://127.0.0.1:${port}${SECRET_PATH}`, payload, opts);
  expect(result).toEqual({
    delivered: false,
    attempts: 3,
    problem: `Could not reach Slack: the connection to 127.0.0.1:${port} was refused (gave up after 3 attempts)`,
  });
  expect(waits).toEqual([1000, 2000]);
});

test('a Slack that does not answer in time is retried, then reported as a timeout', async () => {
  answers = ['hang', 'hang'];
  const { options: opts, waits } = options({ retries: 1, timeoutMs: 300 });
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({
    delivered: false,
    attempts: 2,
    problem: expect.stringMatching(
      /^Could not reach Slack: 127\.0\.0\.1:\d+ did not answer within 300 ms \(gave up after 2 attempts\)$/,
    ),
  });
  expect(waits).toEqual([1000]);
});

test('cancellation stops the waiting', async () => {
  answers = [{ status: 503, body: 'x' }];
  const controller = new AbortController();
  controller.abort(new CancelledError('The job was cancelled (SIGINT).'));
  const { options: opts } = options({ signal: controller.signal });
  await expect(deliver(base + SECRET_PATH, payload, opts)).rejects.toThrow('The job was cancelled (SIGINT).');
});

test('Retry-After in seconds or as an HTTP date', () => {
  const now = Date.parse('2026-05-04T10:00:00Z');
  expect(retryAfter('3', now)).toBe(3000);
  expect(retryAfter('Mon, 04 May 2026 10:00:05 GMT', now)).toBe(5000);
  expect(retryAfter(null, now)).toBeUndefined();
  expect(retryAfter('soon', now)).toBeUndefined();
});
