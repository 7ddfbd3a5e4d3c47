/**
 * Slack at most once, never a silent duplicate. Incoming webhooks take no idempotency key, so a message whose answer
 * was lost after Slack accepted it must not be sent again. 100 runs of the notify-slack bundle against the sandbox,
 * each drawn (with a fixed seed) to meet: a connection reset after Slack accepted the message (30 %), a rate limit
 * that refused it (10 %, safe to retry), or nothing. Every run ends with the message in the channel exactly once and
 * `delivered: true`, or with `delivered: unknown` and a warning saying it may or may not have arrived; never two.
 *
 * @runs-long: one hundred runs, one after another.
 */
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction } from '@ecs-ship/testing';

jest.setTimeout(600_000);

const RUNS = 100;
const WORLD = { slack: { webhooks: [{ name: 'deploys', minIntervalSeconds: 0 }] } };

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: WORLD });
});
afterAll(() => sandbox.stop());

test(`${RUNS} runs under resets after acceptance: one message, or delivered=unknown with a warning; never two`, async () => {
  const random = seeded(19);
  const tally = { 'reset after acceptance': 0, 'rate limited': 0, none: 0 };
  for (let i = 0; i < RUNS; i++) {
    sandbox.load(WORLD);
    const draw = random();
    const fault = draw < 0.3 ? 'reset after acceptance' : draw < 0.4 ? 'rate limited' : 'none';
    tally[fault] += 1;
    if (fault === 'reset after acceptance') {
      sandbox.faults.inject({ kind: 'reset', service: 'slack', operation: 'post', after: true, count: 1 });
    } else if (fault === 'rate limited') {
      sandbox.faults.inject({ kind: 'throttle', service: 'slack', operation: 'post', count: 1 });
    }
    const env = sandbox.env();
    const run = await runAction('notify-slack', {
      inputs: { 'webhook-url': env.SLACK_WEBHOOK_URL!, status: 'success', text: `run ${i}` },
      env,
      timeoutMs: 60_000,
    });
    const messages = sandbox.state('slack').delivered('deploys');
    const where = `run ${i} (${fault}): delivered=${run.outputs.delivered}, ${messages.length} message(s)\n${run.stdout}`;
    expect({ where, messages: messages.length }).toEqual({ where, messages: 1 });
    expect({ where, exit: run.exitCode }).toEqual({ where, exit: 0 });
    if (fault === 'reset after acceptance') {
      // Slack has it; the runner cannot know, so it says so instead of sending it again.
      expect({ where, delivered: run.outputs.delivered }).toEqual({ where, delivered: 'unknown' });
      expect(run.warnings).toEqual([
        expect.stringMatching(/^The Slack notification may or may not have been delivered/),
      ]);
    } else {
      expect({ where, delivered: run.outputs.delivered }).toEqual({ where, delivered: 'true' });
      expect(run.warnings).toEqual([]);
    }
    // Never a silent second attempt after the whole message was sent.
    const posts = sandbox.recorder.calls({ service: 'slack' });
    expect({ where, posts: posts.length }).toEqual({ where, posts: fault === 'rate limited' ? 2 : 1 });
  }
  // The draw met every case often enough to mean something.
  expect(tally['reset after acceptance']).toBeGreaterThanOrEqual(20);
  expect(tally['rate limited']).toBeGreaterThanOrEqual(5);
});
