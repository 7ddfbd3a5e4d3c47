/**
 * Bad input is refused by the bundle with one `::error::` line naming the input, and nothing reaches Slack.
 */
import { runAction } from '@ecs-ship/testing';
import { inputErrors } from '@ecs-ship/testing/input-check';
import { startSlackEndpoint, WEBHOOK_TOKEN, type SlackEndpoint } from './slack-endpoint.js';

let slack: SlackEndpoint;
beforeAll(async () => {
  slack = await startSlackEndpoint();
});
afterAll(() => slack.stop());

const tooLong = JSON.stringify({
  text: 'x',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }],
});

/** [inputs over a valid base, the input named, the start of the error after `Input "<name>": `] */
const CASES: [Record<string, string>, string, string][] = [
  [{ 'webhook-url': '' }, 'webhook-url', 'it is required but was not given. Pass the webhook from a secret'],
  [{ 'webhook-url': 'hooks.slack.com/services/T0/B0/abc' }, 'webhook-url', 'it is not a URL.'],
  [
    { 'webhook-url': `http://hooks.slack.com/services/T0/B0/${WEBHOOK_TOKEN}` },
    'webhook-url',
    'it uses http, which would send the message in clear text.',
  ],
  [
    { status: 'done' },
    'status',
    '"done" is not one of started, succeeded, failed, rolling-back, rolled-back, superseded, cancelled, success, failure.',
  ],
  [{ fields: 'Version 1.2' }, 'fields', 'line "Version 1.2" is not key=value.'],
  [{ fields: 'A=1\nA=2' }, 'fields', '"A" is given twice.'],
  [{ details: '{not json' }, 'details', 'it is not valid JSON'],
  [{ details: '[1,2]' }, 'details', 'it is not a JSON object.'],
  [
    { 'mention-on-failure': '@alice' },
    'mention-on-failure',
    '"@alice" is not a Slack member ID, user group ID, here or channel.',
  ],
  [
    { payload: '{"blocks": "nope"}' },
    'payload',
    'Slack would refuse this payload: it has neither "text" nor "blocks"; "blocks" is not an array.',
  ],
  [
    { payload: tooLong },
    'payload',
    'Slack would refuse this payload: blocks[0].text.text has 3001 characters; Slack allows 3000.',
  ],
  [
    { payload: '{"text":"x"}', title: 'T' },
    'payload',
    'it replaces the generated message, so "title" would be ignored.',
  ],
  [{ 'started-at': 'yesterday' }, 'started-at', '"yesterday" is not a time.'],
  [{ 'started-at': String(Math.floor(Date.now() / 1000) + 3600) }, 'started-at', 'is in the future.'],
  [{ 'fail-on-error': 'yes' }, 'fail-on-error', '"yes" is not a boolean.'],
  [{ retries: 'three' }, 'retries', '"three" is not a whole number.'],
  [{ retries: '11' }, 'retries', '11 is above the maximum 10.'],
  [{ 'retry-max-wait-seconds': '0' }, 'retry-max-wait-seconds', '0 is below the minimum 1.'],
];

const cases = CASES.map(([inputs, name, problem]) => ({
  inputs,
  name,
  problem,
  label: JSON.stringify(inputs).slice(0, 70),
}));

// Each row goes through the action's own input check in this process, the check its entry makes first; the first
// row also runs the action as the runner does, to prove that the refusal exits 1, sets nothing and posts nothing.
test.each(cases)('$label is refused, naming "$name" (input check)', ({ inputs, name, problem }) => {
  const errors = inputErrors('notify-slack', { inputs: { 'webhook-url': slack.url, status: 'succeeded', ...inputs } });
  expect(errors).toHaveLength(1);
  expect(errors[0]!.startsWith(`Input "${name}": `)).toBe(true);
  expect(errors[0]).toContain(problem);
  expect(errors[0]).not.toContain(WEBHOOK_TOKEN);
});

test.each(cases.slice(0, 1))('$label is refused, naming "$name"', async ({ inputs, name, problem }) => {
  const run = await runAction('notify-slack', {
    inputs: { 'webhook-url': slack.url, status: 'succeeded', ...inputs },
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]!.startsWith(`Input "${name}": `)).toBe(true);
  expect(run.errors[0]).toContain(problem);
  expect(run.outputs).toEqual({});
  expect(run.visibleText).not.toContain(WEBHOOK_TOKEN);
  expect(slack.messages()).toEqual([]);
  expect(slack.sandbox.recorder.calls()).toEqual([]);
});

test('every problem is reported at once, one line each', async () => {
  const run = await runAction('notify-slack', {
    inputs: { 'webhook-url': '', status: 'done', retries: '-1', details: 'nope', 'mention-on-failure': 'bob' },
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors.map((e) => /^Input "([^"]+)"/.exec(e)?.[1])).toEqual([
    'webhook-url',
    'status',
    'details',
    'mention-on-failure',
    'retries',
  ]);
  expect(slack.messages()).toEqual([]);
});

test('a malformed webhook URL is never repeated in the error', async () => {
  const secretish = `ftp://hooks.slack.com/services/T0/B0/${WEBHOOK_TOKEN}`;
  const run = await runAction('notify-slack', { inputs: { 'webhook-url': secretish } });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([
    'Input "webhook-url": it uses ftp, which would send the message in clear text. Use the https:// URL Slack gives (http is accepted only for a local test server).',
  ]);
  expect(run.visibleText).not.toContain(WEBHOOK_TOKEN);
});
