import { IncomingWebhook } from '@slack/webhook';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';

const scenario = {
  slack: {
    webhooks: [
      { name: 'deploys' },
      { name: 'archived', state: 'channel_is_archived' },
      { name: 'gone', state: 'no_service' },
      { name: 'busy', rateLimitNext: 2, retryAfterSeconds: 3 },
      { name: 'flaky', serverErrorNext: 1, serverErrorStatus: 503 },
    ],
  },
};

let sandbox: Sandbox;
const slack = () => sandbox.state('slack');
const hook = (name: string) => new IncomingWebhook(slack().url(name));

/** What Slack answered: the status and body @slack/webhook reports. */
async function answer(name: string, message: Parameters<IncomingWebhook['send']>[0]) {
  return hook(name)
    .send(message)
    .then(
      (result) => ({ status: 200, body: result.text, retryAfter: undefined as string | undefined }),
      (error: { statusCode?: number; body?: string }) => ({
        status: error.statusCode,
        body: error.body,
        retryAfter: undefined,
      }),
    );
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario));

describe('Slack incoming webhooks through @slack/webhook', () => {
  it('accepts a message (200 "ok") and keeps it for tests', async () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Deployed web' } },
      section('*web* is live'),
      { type: 'divider' },
    ];
    expect(await answer('deploys', { text: 'Deployed web', blocks })).toEqual({
      status: 200,
      body: 'ok',
      retryAfter: undefined,
    });
    expect(slack().delivered('deploys')).toEqual([{ text: 'Deployed web', blocks }]);
    expect(slack().delivered('busy')).toEqual([]);
  });

  it.each([
    ['51 blocks', { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }],
    ['section text over 3000', { text: 'x', blocks: [section('a'.repeat(3001))] }],
    [
      'header over 150',
      { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
    ],
    ['header in mrkdwn', { text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: '*h*' } }] }],
    [
      '11 fields',
      {
        text: 'x',
        blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      },
    ],
    [
      'field over 2000',
      { text: 'x', blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }] },
    ],
    [
      '11 context elements',
      {
        text: 'x',
        blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      },
    ],
    ['unknown block type', { text: 'x', blocks: [{ type: 'banner' }] }],
  ])('refuses %s with 400 invalid_blocks', async (_name, message) => {
    expect(await answer('deploys', message as never)).toMatchObject({ status: 400, body: 'invalid_blocks' });
    expect(slack().delivered()).toEqual([]);
  });

  it('accepts messages exactly at the limits', async () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
      section('s'.repeat(3000)),
      { type: 'section', fields: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2000) })) },
      { type: 'context', elements: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'c' })) },
      ...Array.from({ length: 46 }, () => ({ type: 'divider' })),
    ];
    expect(blocks).toHaveLength(50);
    expect(await answer('deploys', { text: 'x', blocks })).toMatchObject({ status: 200, body: 'ok' });
  });

  it('refuses a message with nothing to show (missing_text_or_fallback_or_attachments) and a body that is not JSON (invalid_payload)', async () => {
    expect(await answer('deploys', {})).toMatchObject({ status: 400, body: 'missing_text_or_fallback_or_attachments' });
    expect(await answer('deploys', { text: '  ' })).toMatchObject({
      status: 400,
      body: 'missing_text_or_fallback_or_attachments',
    });
    const raw = await fetch(slack().url('deploys'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text": ',
    });
    expect([raw.status, await raw.text()]).toEqual([400, 'invalid_payload']);
  });

  it('answers archived and removed webhooks with 410 and 404, and unknown URLs with 404 no_service', async () => {
    expect(await answer('archived', 'hello')).toMatchObject({ status: 410, body: 'channel_is_archived' });
    expect(await answer('gone', 'hello')).toMatchObject({ status: 404, body: 'no_service' });
    const unknown = await fetch(`${sandbox.url}/slack/services/T000/B000/nothing`, {
      method: 'POST',
      body: '{"text":"x"}',
    });
    expect([unknown.status, await unknown.text()]).toEqual([404, 'no_service']);
  });

  it('rate limits the next N posts with 429 and Retry-After, then accepts', async () => {
    const first = await fetch(slack().url('busy'), { method: 'POST', body: '{"text":"1"}' });
    expect([first.status, first.headers.get('retry-after'), await first.text()]).toEqual([429, '3', 'rate_limited']);
    expect(await answer('busy', 'two')).toMatchObject({ status: 429 });
    expect(await answer('busy', 'three')).toMatchObject({ status: 200 });
    expect(slack().delivered('busy')).toEqual([{ text: 'three' }]);
  });

  it('answers 5xx on demand, which @slack/webhook can retry', async () => {
    const retrying = new IncomingWebhook(slack().url('flaky'), {
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    });
    await expect(retrying.send('after a blip')).resolves.toEqual({ text: 'ok' });
    expect(
      slack()
        .posts.filter((p) => p.webhook === 'flaky')
        .map((p) => p.status),
    ).toEqual([503, 200]);
  });

  it('enforces a minimum interval between accepted posts when asked to (about one a second in real Slack)', async () => {
    slack().configure('deploys', { minIntervalSeconds: 3600 });
    expect(await answer('deploys', 'first')).toMatchObject({ status: 200 });
    expect(await answer('deploys', 'too soon')).toMatchObject({ status: 429, body: 'rate_limited' });
    expect(slack().delivered('deploys')).toEqual([{ text: 'first' }]);
  });

  it('answers a throttle fault the way Slack does', async () => {
    sandbox.faults.inject({ kind: 'throttle', service: 'slack', operation: 'post', count: 1 });
    const response = await fetch(slack().url('deploys'), { method: 'POST', body: '{"text":"x"}' });
    expect([response.status, response.headers.get('retry-after'), await response.text()]).toEqual([
      429,
      '1',
      'rate_limited',
    ]);
    expect(slack().posts).toEqual([]);
  });

  it('can be reconfigured at run time', async () => {
    slack().configure('deploys', { state: 'channel_not_found' });
    expect(await answer('deploys', 'x')).toMatchObject({ status: 404, body: 'channel_not_found' });
    slack().configure('deploys', { state: 'ok', rateLimitNext: 1 });
    expect(await answer('deploys', 'x')).toMatchObject({ status: 429 });
  });

  it('keeps the webhook URL out of the recorder and exports one variable per webhook', async () => {
    await answer('deploys', 'secret-free');
    const calls = sandbox.recorder.calls({ service: 'slack' });
    expect(calls).toEqual([
      expect.objectContaining({
        operation: 'post',
        status: 200,
        mutating: true,
        params: { webhookName: 'deploys', payload: { text: 'secret-free' } },
      }),
    ]);
    const path = new URL(slack().url('deploys')).pathname;
    expect(JSON.stringify(sandbox.recorder.calls())).not.toContain(path.split('/').at(-1));
    expect(sandbox.env()).toMatchObject({
      SLACK_WEBHOOK_URL: slack().url('deploys'),
      SLACK_WEBHOOK_URL_DEPLOYS: slack().url('deploys'),
      SLACK_WEBHOOK_URL_ARCHIVED: slack().url('archived'),
    });
    expect(slack().url('deploys')).toMatch(/\/slack\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+$/);
  });
});
