/**
 * The notify-slack bundle run as the runner runs it, posting with the real @slack/webhook client over HTTP.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction, startAction, type ActionRun } from '@ecs-ship/testing';
import type { WebhookState } from '@ecs-ship/sandbox';
import { startSlackEndpoint, WEBHOOK_TOKEN, type SlackEndpoint } from './slack-endpoint.js';

let slack: SlackEndpoint;
const runs: ActionRun[] = [];

beforeAll(async () => {
  slack = await startSlackEndpoint();
});
afterAll(() => slack.stop());
beforeEach(() => slack.reset());

async function notify(inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction('notify-slack', { inputs: { 'webhook-url': slack.url, ...inputs } });
  runs.push(run);
  return run;
}

const arn = (family: string, revision: number) =>
  `arn:aws:ecs:eu-west-1:123456789012:task-definition/${family}:${revision}`;

const DEPLOY_ROLLED_BACK = {
  result: 'rolled-back',
  'failure-reason': 'ECS deployment circuit breaker: tasks failed to start.',
  'task-definition-arns': JSON.stringify({ api: arn('shop-api', 13) }),
  'previous-task-definition-arns': JSON.stringify({ api: arn('shop-api', 12) }),
  'deployment-ids': JSON.stringify({ api: 'ecs-svc/1234567890123456789' }),
  changed: 'true',
};

test('a success with the steps outputs: delivered, with header, context and the sections of what changed and was checked', async () => {
  const run = await notify({
    status: 'success',
    environment: 'production',
    service: 'api',
    'started-at': String(Math.floor(Date.now() / 1000) - 125),
    details: JSON.stringify({
      deploy: {
        result: 'succeeded',
        'task-definition-arns': JSON.stringify({ api: arn('shop-api', 13) }),
        'previous-task-definition-arns': JSON.stringify({ api: arn('shop-api', 12) }),
      },
      smoke: {
        result: 'passed',
        report: JSON.stringify({ checks: [{ name: 'health', passed: true, attempts: 1, statusCodes: [200] }] }),
      },
    }),
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toEqual({ delivered: 'true', 'status-code': '200' });
  expect(slack.messages()).toHaveLength(1);
  const [message] = slack.messages();
  expect(message.blocks[0]).toEqual({
    type: 'header',
    text: { type: 'plain_text', text: ':white_check_mark: Deployment succeeded · production · api', emoji: true },
  });
  const contextTexts = message.blocks[1].elements.map((e: { text: string }) => e.text);
  expect(contextTexts).toEqual([
    '<https://github.com/acme/shop|acme/shop>',
    ':twisted_rightwards_arrows: `main`',
    ':label: <https://github.com/acme/shop/commit/4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21|4f6a0e1>',
    ':bust_in_silhouette: octocat',
    ':gear: <https://github.com/acme/shop/actions/runs/7001234567|Deploy #7001234567>',
    expect.stringMatching(/^:stopwatch: 2 min 0\d s$/),
  ]);
  const sections = message.blocks.filter((b: { type: string }) => b.type === 'section').map((b: any) => b.text.text);
  expect(sections).toEqual([
    // Each revision links to its page in the ECS console.
    '*What changed* — succeeded\n• *api*: <https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/shop-api/13/containers?region=eu-west-1|shop-api:13> (was <https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/shop-api/12/containers?region=eu-west-1|shop-api:12>)',
    '*What was checked* — passed\n:white_check_mark: `health` — HTTP 200 · 1 attempt',
  ]);
  expect(message.text).toBe(':white_check_mark: Deployment succeeded · production · api (acme/shop 4f6a0e1)');
  expect(run.summary).toContain('### Slack notified');
  expect(run.summary).toContain('| succeeded | yes | 200 | 1 | 5 blocks |');
  expect(slack.sandbox.recorder.calls().map((c) => [c.service, c.operation, c.status, c.mutating])).toEqual([
    ['slack', 'post', 200, true],
  ]);
});

describe('each status, as the bundle sends it', () => {
  test.each([
    ['started', ':rocket: Deployment started · staging', false],
    ['succeeded', ':white_check_mark: Deployment succeeded · staging', false],
    ['success', ':white_check_mark: Deployment succeeded · staging', false],
    ['failed', ':x: Deployment failed · staging', true],
    ['failure', ':x: Deployment failed · staging', true],
    ['cancelled', ':no_entry_sign: Deployment cancelled · staging', false],
    ['rolled-back', ':rewind: Deployment rolled back · staging', true],
  ])('%s', async (status, headline, mentioned) => {
    const run = await notify({
      status,
      environment: 'staging',
      'mention-on-failure': 'U012AB3CD',
      text: 'Release *v1.4.0*',
    });
    expect(run.exitCode).toBe(0);
    const [post] = slack.posts();
    expect(post?.status).toBe(200);
    const blocks = post!.payload.blocks;
    expect(blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'context', 'section']);
    expect(blocks[0].text).toEqual({ type: 'plain_text', text: headline, emoji: true });
    expect(blocks[2].text.text).toBe(mentioned ? '<@U012AB3CD>\nRelease *v1.4.0*' : 'Release *v1.4.0*');
    expect(post!.payload.text).toBe(
      `${headline} (acme/shop 4f6a0e1) — Release *v1.4.0*${mentioned ? ' — <@U012AB3CD>' : ''}`,
    );
  });
});

test('a rollback calls the people on call and says why', async () => {
  const run = await notify({
    status: 'rolled-back',
    environment: 'production',
    'mention-on-failure': 'S0614TZR7, U012AB3CD',
    details: JSON.stringify(DEPLOY_ROLLED_BACK),
  });
  expect(run.exitCode).toBe(0);
  const [message] = slack.messages();
  expect(message.blocks[0].text.text).toBe(':rewind: Deployment rolled back · production');
  const sections = message.blocks.filter((b: { type: string }) => b.type === 'section').map((b: any) => b.text.text);
  expect(sections[0]).toBe('<!subteam^S0614TZR7> <@U012AB3CD>');
  expect(sections[1]).toBe('*Why it failed*\n```ECS deployment circuit breaker: tasks failed to start.```');
  expect(message.text).toContain('<!subteam^S0614TZR7> <@U012AB3CD>');
});

test('oversized inputs are cut to Block Kit limits, visibly, and the sandbox accepts the message', async () => {
  const huge = (n: number, c = 'x') => c.repeat(n);
  const services = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`service-${i}`, arn(`service-${i}`, 1)]));
  const run = await notify({
    status: 'failed',
    environment: huge(120, 'e'),
    service: huge(120, 's'),
    text: huge(6000, 't'),
    // A few fields over 2000 characters, and enough fields for more than 50 blocks (each input stays under the
    // 128 KiB a single environment variable may hold).
    fields: Array.from({ length: 600 }, (_, i) => `Field ${i}=${i < 3 ? huge(2500, 'f') : 'v'}`).join('\n'),
    details: JSON.stringify({
      deploy: { result: 'failed', 'failure-reason': huge(5000, 'r'), 'task-definition-arns': JSON.stringify(services) },
    }),
    'mention-on-failure': 'here',
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toEqual({ delivered: 'true', 'status-code': '200' });
  const [post] = slack.posts();
  expect(post).toMatchObject({ status: 200, answer: 'ok' });
  const message = post!.payload;
  expect(message.blocks).toHaveLength(50);
  expect(message.blocks[0].text.text).toHaveLength(150);
  expect(message.blocks[0].text.text.endsWith('… (truncated)')).toBe(true);
  const sectionTexts: string[] = message.blocks
    .filter((b: any) => b.type === 'section' && b.text)
    .map((b: any) => b.text.text);
  expect(sectionTexts.find((t) => t.startsWith('<!here>'))).toHaveLength(3000);
  expect(sectionTexts.find((t) => t.startsWith('*Why it failed*'))).toMatch(/\n```… \(truncated\)$/);
  const field = message.blocks.find((b: any) => b.fields).fields[0].text;
  expect(field).toHaveLength(2000);
  expect(field.endsWith('… (truncated)')).toBe(true);
  expect(message.blocks[49]).toEqual({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: expect.stringMatching(/^_\(truncated\): \d+ more blocks not shown_$/) }],
  });
  expect(message.text.length).toBeLessThanOrEqual(3000);
});

test('a rolled-back deploy with many services keeps whole lines and counts the rest; the sandbox accepts it', async () => {
  const services = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`service-${i}`, arn(`service-${i}`, 2)]));
  const run = await notify({
    status: 'rolled-back',
    details: JSON.stringify({ ...DEPLOY_ROLLED_BACK, 'task-definition-arns': JSON.stringify(services) }),
  });
  expect(run.exitCode).toBe(0);
  const [post] = slack.posts();
  expect(post?.status).toBe(200);
  const changed: string = post!.payload.blocks.find((b: any) => b.text?.text.startsWith('*What changed*')).text.text;
  expect(changed.length).toBeLessThanOrEqual(3000);
  expect(changed).toMatch(
    /\n• \*service-\d+\*: <https:[^|>]+\|service-\d+:2>\n_\(truncated\): \d+ more lines not shown_$/,
  );
});

test('429 with Retry-After, then 200: delivered on the second attempt', async () => {
  slack.rateLimitNext(1, 1);
  const run = await notify({ status: 'started' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toEqual({ delivered: 'true', 'status-code': '200' });
  expect(slack.messages()).toHaveLength(2);
  expect(run.lines).toContain(
    'Slack is rate limiting this webhook (HTTP 429) (rate_limited); retrying in 1 s (attempt 2 of 4).',
  );
  expect(run.warnings).toEqual([]);
});

test("two notifications at once under Slack's pace limit: both delivered, the second after a 429", async () => {
  // Wide enough that the two runs, started together, always post within it.
  slack.minInterval(3);
  const [first, second] = await Promise.all([
    notify({ status: 'started', environment: 'staging' }),
    notify({ status: 'started', environment: 'production' }),
  ]);
  for (const run of [first!, second!]) {
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ delivered: 'true', 'status-code': '200' });
  }
  expect(slack.posts().map((p) => p.status)).toEqual([200, 429, 200]);
  const environments = slack
    .posts()
    .filter((p) => p.status === 200)
    .map((p) => p.payload.blocks[0].text.text);
  expect(environments.sort()).toEqual([
    ':rocket: Deployment started · production',
    ':rocket: Deployment started · staging',
  ]);
});

test('a Retry-After longer than retry-max-wait-seconds ends the delivery with a warning that says which inputs give more patience', async () => {
  slack.rateLimitNext(1, 60);
  const run = await notify({ status: 'started', 'retry-max-wait-seconds': '5' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toEqual({ delivered: 'false', 'status-code': '429' });
  expect(run.warnings).toEqual([
    'The Slack notification was not delivered. Slack is rate limiting this webhook (HTTP 429) (rate_limited): Slack asked to wait 60 s, longer than the longest wait allowed (5 s). Raise retries or retry-max-wait-seconds to keep trying longer. The step still succeeds because fail-on-error is false.',
  ]);
  expect(slack.posts()).toHaveLength(1);
});

test('a 5xx may or may not have been posted: a warning, delivered=unknown, never sent twice', async () => {
  slack.serverErrorNext(1, 503);
  const run = await notify({ status: 'succeeded' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toEqual({ delivered: 'unknown', 'status-code': '503' });
  expect(slack.messages()).toHaveLength(1);
  expect(run.errors).toEqual([]);
  expect(run.warnings).toEqual([
    expect.stringMatching(
      /^The Slack notification may or may not have been delivered: Slack had a server error \(HTTP 503\) \(service_unavailable\): it may or may not have been posted/,
    ),
  ]);
  expect(run.summary).toContain('Slack notification may or may not have been delivered');
});

test('with fail-on-error, an unknown outcome fails the step after its warning', async () => {
  slack.serverErrorNext(1, 503);
  const run = await notify({ status: 'succeeded', 'fail-on-error': 'true' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.delivered).toBe('unknown');
  expect(run.warnings).toHaveLength(1);
  expect(run.lines).toContain('The step fails because fail-on-error is true and Slack did not confirm the message.');
  expect(slack.messages()).toHaveLength(1);
});

describe.each([
  [404, 'channel_not_found', "Slack cannot find the webhook's channel (channel_not_found)"],
  [404, 'no_service', 'Slack does not know this webhook (no_service)'],
  [410, 'channel_is_archived', "The webhook's channel is archived (channel_is_archived)"],
  [
    403,
    'action_prohibited',
    "Slack refused the message (action_prohibited): the workspace's admins restricted this webhook",
  ],
] as [number, WebhookState, string][])('%i %s', (status, code, explanation) => {
  test('is a warning by default: the step succeeds, delivered=false', async () => {
    slack.refuseWith(code);
    const run = await notify({ status: 'succeeded' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ delivered: 'false', 'status-code': String(status) });
    expect(run.errors).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain(explanation);
    expect(run.warnings[0]).toContain('The step still succeeds because fail-on-error is false.');
    expect(slack.messages()).toHaveLength(1);
    expect(run.summary).toContain('### Slack notification not delivered');
    expect(run.summary).toContain(`| succeeded | no | ${status} | 1 | 2 blocks |`);
    expect(run.summary).toContain(`> ${explanation}`);
  });
  test('fails the step with fail-on-error', async () => {
    slack.refuseWith(code);
    const run = await notify({ status: 'succeeded', 'fail-on-error': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ delivered: 'false', 'status-code': String(status) });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]!.startsWith(`The Slack notification was not delivered. ${explanation}`)).toBe(true);
    expect(run.annotations.find((a) => a.level === 'error')?.properties.title).toBe('Slack notification');
    expect(slack.messages()).toHaveLength(1);
  });
});

test('an unreachable Slack is a warning with no status code', async () => {
  const port = await closedPort();
  const run = await runAction('notify-slack', {
    inputs: {
      'webhook-url': `http://127.0.0.1:${port}/services/T0ACME/B0OPS/${WEBHOOK_TOKEN}`,
      retries: '1',
      'retry-max-wait-seconds': '1',
    },
  });
  runs.push(run);
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toEqual({ delivered: 'false', 'status-code': '' });
  expect(run.warnings[0]).toMatch(
    /^The Slack notification was not delivered\. Could not reach Slack: the connection to 127\.0\.0\.1:\d+ was refused \(the message was not sent\) \(gave up after 2 attempts\)/,
  );
});

test('cancelling the job while it waits for Retry-After stops at once', async () => {
  slack.rateLimitNext(1, 25);
  const handle = startAction('notify-slack', {
    inputs: { 'webhook-url': slack.url, status: 'started' },
    timeoutMs: 20_000,
  });
  await handle.waitForLine(/retrying in 25 s/);
  handle.kill('SIGINT');
  const run = await handle.result;
  runs.push(run);
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual(['The job was cancelled (SIGINT).']);
  expect(slack.messages()).toHaveLength(1);
});

test('a custom payload is sent as given', async () => {
  const payload = { text: 'Custom', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*custom*' } }] };
  const run = await notify({ payload: JSON.stringify(payload) });
  expect(run.exitCode).toBe(0);
  expect(slack.messages()).toEqual([payload]);
  expect(run.summary).toContain('custom payload');
});

test('an invalid custom payload is refused before anything is sent', async () => {
  const payload = { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] };
  const run = await notify({ payload: JSON.stringify(payload) });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([
    'Input "payload": Slack would refuse this payload: blocks[0].text.text has 151 characters; Slack allows 150. Fix the Block Kit payload (Block Kit Builder shows the errors), or leave "payload" empty to send the generated message.',
  ]);
  expect(run.outputs).toEqual({});
  expect(slack.messages()).toEqual([]);
});

// Runs last in this file: every run above had the webhook URL as an input; none may show it, nor its secret path.
test('no run showed the webhook URL in its log, outputs or summary', () => {
  expect(runs.length).toBeGreaterThan(10);
  for (const run of runs) {
    expect(run.visibleText).not.toContain(WEBHOOK_TOKEN);
    expect(run.visibleText).not.toContain('/services/T0ACME');
    expect(run.masks.some((mask) => mask.endsWith(WEBHOOK_TOKEN))).toBe(true);
  }
});

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
