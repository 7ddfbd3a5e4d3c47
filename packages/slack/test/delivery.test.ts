/**
 * Delivery over real HTTP (the suite's HTTP module), against a small local server that answers the way Slack's
 * webhooks do. The clock records the waits instead of sleeping them. The rule under test: a message is sent again
 * only when the failure proves it was not processed.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
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
  expect(result).toEqual({ outcome: 'delivered', statusCode: 200, attempts: 1 });
  expect(received).toEqual([{ path: SECRET_PATH, body: payload }]);
  expect(waits).toEqual([]);
});

test('429 (rate limited, not posted) waits for Retry-After, then 200', async () => {
  answers = [{ status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } }];
  const { options: opts, waits, logger } = options();
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({ outcome: 'delivered', statusCode: 200, attempts: 2 });
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
  expect(result).toMatchObject({ outcome: 'not-delivered', statusCode: 429, attempts: 1, errorCode: 'rate_limited' });
  expect(result.problem).toContain('Slack asked to wait 120 s, longer than the longest wait allowed (10 s)');
  expect(waits).toEqual([]);
});

test('429 answers until the retries run out: not delivered, each wait as asked', async () => {
  answers = Array.from({ length: 3 }, () => ({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } }));
  const { options: opts, waits } = options({ retries: 2 });
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toMatchObject({ outcome: 'not-delivered', statusCode: 429, attempts: 3 });
  expect(result.problem).toMatch(/\(gave up after 3 attempts\)$/);
  expect(waits).toEqual([2000, 2000]);
});

test.each([500, 502, 503])('%i: the outcome is unknown and the message is not sent again', async (status) => {
  answers = [{ status, body: 'service_unavailable' }];
  const { options: opts, waits } = options();
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toMatchObject({ outcome: 'unknown', statusCode: status, attempts: 1 });
  expect(result.problem).toContain(`Slack had a server error (HTTP ${status})`);
  expect(result.problem).toContain('may or may not have been posted');
  expect(received).toHaveLength(1);
  expect(waits).toEqual([]);
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
  expect(result).toMatchObject({ outcome: 'not-delivered', statusCode: status, attempts: 1, errorCode: body });
  expect(result.problem).toContain(explanation);
  expect(result.problem).toContain(`(HTTP ${status})`);
  expect(received).toHaveLength(1);
  expect(waits).toEqual([]);
});

test('a connection reset after the whole message was sent: unknown, not sent again; the host named, never the path', async () => {
  answers = ['reset'];
  const { options: opts, waits, logger } = options();
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({
    outcome: 'unknown',
    attempts: 1,
    problem: expect.stringMatching(
      /^the whole message was sent but no answer came \(the connection to 127\.0\.0\.1:\d+ was reset\): it may or may not have been posted/,
    ),
  });
  expect(received).toHaveLength(1);
  expect(waits).toEqual([]);
  expectNoSecret(result.problem, ...logger.lines);
});

test('a Slack that does not answer in time: unknown, not sent again', async () => {
  answers = ['hang'];
  const { options: opts, waits } = options({ timeoutMs: 300 });
  const result = await deliver(base + SECRET_PATH, payload, opts);
  expect(result).toEqual({
    outcome: 'unknown',
    attempts: 1,
    problem: expect.stringMatching(/no answer came \(127\.0\.0\.1:\d+ did not answer within 300 ms\)/),
  });
  expect(received).toHaveLength(1);
  expect(waits).toEqual([]);
});

test('a refused connection (nothing sent) is retried, then not delivered, in plain words', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const { options: opts, waits } = options({ retries: 2 });
  const result = await deliver(`http://127.0.0.1:${port}${SECRET_PATH}`, payload, opts);
  expect(result).toEqual({
    outcome: 'not-delivered',
    attempts: 3,
    problem: `Could not reach Slack: the connection to 127.0.0.1:${port} was refused (the message was not sent) (gave up after 3 attempts)`,
  });
  expect(waits).toEqual([1000, 2000]);
});

test('a connection dropped before the message left (during the TLS handshake) is retried: it was not sent', async () => {
  // Accepts each connection and drops it at once: the TLS handshake fails before a byte of the request is written.
  let connections = 0;
  const dropper = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
  const port = (dropper.address() as AddressInfo).port;
  try {
    const { options: opts, waits } = options({ retries: 2 });
    const result = await deliver(`https://127.0.0.1:${port}${SECRET_PATH}`, payload, opts);
    expect(result).toMatchObject({ outcome: 'not-delivered', attempts: 3 });
    expect(result.problem).toContain('(the message was not sent)');
    expect(waits).toEqual([1000, 2000]);
    expect(connections).toBe(3);
  } finally {
    await new Promise<void>((resolve) => dropper.close(() => resolve()));
  }
});

test('cancellation stops the delivery', async () => {
  const controller = new AbortController();
  controller.abort(new CancelledError('The job was cancelled (SIGINT).'));
  const { options: opts } = options({ signal: controller.signal });
  await expect(deliver(base + SECRET_PATH, payload, opts)).rejects.toThrow('The job was cancelled (SIGINT).');
  expect(received).toEqual([]);
});

test('Retry-After in seconds or as an HTTP date', () => {
  const now = Date.parse('2026-05-04T10:00:00Z');
  expect(retryAfter('3', now)).toBe(3000);
  expect(retryAfter('Mon, 04 May 2026 10:00:05 GMT', now)).toBe(5000);
  expect(retryAfter(null, now)).toBeUndefined();
  expect(retryAfter('soon', now)).toBeUndefined();
});
