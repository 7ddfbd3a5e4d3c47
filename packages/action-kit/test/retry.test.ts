// The retry strategy every AWS client of the suite gets: throttling retried against the deadline, with capped and
// jittered backoff; everything else as the SDK's standard strategy. Driven directly, with a clock that moves only when
// told, and through a real ECS client against a local server that throttles.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { Deadline, awsErrorContext, describeAwsFailure, systemClock } from '@ecs-ship/action-kit';
import { awsClientConfig, isThrottling } from '@ecs-ship/action-kit/aws';
import { BASE_DELAY_MS, DeadlineRetryStrategy, MAX_DELAY_MS } from '../src/retry.js';

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const serverError = () =>
  Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });

test.each([
  ['ThrottlingException', 400, true],
  ['Throttling', 400, true],
  ['TooManyRequestsException', 400, true],
  ['RequestLimitExceeded', 400, true],
  ['SomethingElse', 429, true],
  ['ServiceUnavailable', 503, false],
  ['AccessDeniedException', 400, false],
])('isThrottling(%s, HTTP %i) is %s', (name, status, expected) => {
  expect(isThrottling({ name, $metadata: { httpStatusCode: status } })).toBe(expected);
});

describe('throttling is retried until the deadline', () => {
  test('with capped, jittered backoff, and the last wait ending at the deadline', async () => {
    let now = 0;
    const strategy = new DeadlineRetryStrategy(
      { at: 60_000 },
      () => 1,
      () => now,
    );
    let token = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];
    for (;;) {
      const error = throttled();
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { error, errorType: 'THROTTLING' });
      } catch {
        // At the deadline the call ends with its own error, saying how long it was throttled.
        expect((error as { $throttledForMs?: number }).$throttledForMs).toBe(60_000);
        break;
      }
      delays.push(token.getRetryDelay());
      now += token.getRetryDelay();
    }
    expect(delays.slice(0, 5)).toEqual([BASE_DELAY_MS, 2 * BASE_DELAY_MS, 4 * BASE_DELAY_MS, 8 * BASE_DELAY_MS, 2000]);
    expect(Math.max(...delays)).toBe(MAX_DELAY_MS);
    expect(now).toBe(60_000);
    // Far more than the SDK's few attempts: the deadline decides.
    expect(delays.length).toBeGreaterThan(25);
  });

  test('the jitter spreads the waits between none and the cap', async () => {
    const draws = [0, 0.5, 0.75];
    const strategy = new DeadlineRetryStrategy(
      { at: 60_000 },
      () => draws.shift()!,
      () => 0,
    );
    let token = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, { error: throttled(), errorType: 'THROTTLING' });
      delays.push(token.getRetryDelay());
    }
    expect(delays).toEqual([0, 200, 600]);
  });

  test('a deadline moved later gives later retries more time', async () => {
    let now = 0;
    const deadline = { at: 1000 };
    const strategy = new DeadlineRetryStrategy(
      deadline,
      () => 1,
      () => now,
    );
    const token = await strategy.acquireInitialRetryToken('');
    now = 1000;
    await expect(
      strategy.refreshRetryTokenForRetry(token, { error: throttled(), errorType: 'THROTTLING' }),
    ).rejects.toThrow();
    deadline.at = 5000;
    await expect(
      strategy.refreshRetryTokenForRetry(token, { error: throttled(), errorType: 'THROTTLING' }),
    ).resolves.toBeDefined();
  });

  test('other errors keep the SDK standard strategy: three attempts in all', async () => {
    const strategy = new DeadlineRetryStrategy({ at: 600_000 });
    let token = await strategy.acquireInitialRetryToken('');
    let retries = 0;
    for (;;) {
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { error: serverError(), errorType: 'TRANSIENT' });
        retries += 1;
      } catch {
        break;
      }
    }
    expect(retries).toBe(2);
  });
});

describe('through a real ECS client', () => {
  let server: Server;
  let answers: ('throttle' | 'ok')[] = [];
  let calls = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls += 1;
        const answer = answers.shift() ?? 'throttle';
        if (answer === 'ok') {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ clusters: [], failures: [] }));
        } else {
          res.writeHead(400, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-errortype': 'ThrottlingException',
          });
          res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    calls = 0;
  });

  function client(deadline: Deadline): ECSClient {
    const { port } = server.address() as AddressInfo;
    return new ECSClient(
      awsClientConfig({
        region: 'eu-west-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        deadline,
      }),
    );
  }

  test('a call throttled six times in a row still succeeds within the deadline', async () => {
    answers = [...Array<'throttle'>(6).fill('throttle'), 'ok'];
    const ecs = client(new Deadline(systemClock, 30_000));
    await expect(ecs.send(new DescribeClustersCommand({ clusters: ['shop'] }))).resolves.toBeDefined();
    expect(calls).toBe(7);
    ecs.destroy();
  });

  test('a call throttled until the deadline fails within a second of it, naming the operation', async () => {
    answers = [];
    const deadline = new Deadline(systemClock, 1500);
    const ecs = client(deadline);
    const error = await ecs.send(new DescribeClustersCommand({ clusters: ['shop'] })).catch((e: unknown) => e);
    expect(deadline.elapsed()).toBeLessThan(1500 + 1000);
    expect(deadline.elapsed()).toBeGreaterThanOrEqual(1500);
    expect(calls).toBeGreaterThan(3);
    expect(awsErrorContext(error)).toMatch(
      /^ECS DescribeClusters \(throttled for 1\.\d s, until the step's deadline\)$/,
    );
    expect(describeAwsFailure(error)).toMatch(/^ECS DescribeClusters .* failed: ThrottlingException: Rate exceeded$/);
    ecs.destroy();
  });
});
