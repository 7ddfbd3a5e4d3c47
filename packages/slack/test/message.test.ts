import {
  LIMITS,
  STATUSES,
  buildMessage,
  parseDetails,
  payloadProblems,
  type Block,
  type DetailSection,
  type MessageInput,
  type RunContext,
  type Status,
} from '../src/index.js';

const run: RunContext = {
  serverUrl: 'https://github.com',
  repository: 'acme/shop',
  branch: 'main',
  sha: '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21',
  actor: 'octocat',
  workflow: 'Deploy',
  runId: '7001234567',
  runAttempt: '1',
};
const NOW = Date.parse('2026-05-04T10:04:05Z');

function input(overrides: Partial<MessageInput> = {}): MessageInput {
  return { status: 'succeeded', fields: [], details: [], mentions: [], ...overrides };
}

function details(value: unknown): DetailSection[] {
  const parsed = parseDetails(value);
  if (!('value' in parsed)) throw new Error(parsed.problem);
  return parsed.value;
}

const texts = (blocks: Block[]) =>
  blocks.flatMap((b) =>
    b.type === 'section'
      ? [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)]
      : b.type === 'context'
        ? b.elements.map((e) => e.text)
        : b.type === 'header'
          ? [b.text.text]
          : [],
  );

/** The ECS console's task-definition pages, as linked from an ARN in eu-west-1. */
const TD_PAGE = 'https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions';

const deployFailed = {
  result: 'rolled-back',
  'failure-reason': 'ECS deployment circuit breaker: tasks failed to start.',
  'task-definition-arns': JSON.stringify({
    api: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-api:13',
    worker: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-worker:8',
  }),
  'previous-task-definition-arns': JSON.stringify({
    api: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-api:12',
    worker: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-worker:7',
  }),
  changed: 'true',
};

describe('the header says status, environment and service', () => {
  const expected: Record<Status, string> = {
    started: ':rocket: Deployment started · production · api',
    succeeded: ':white_check_mark: Deployment succeeded · production · api',
    failed: ':x: Deployment failed · production · api',
    cancelled: ':no_entry_sign: Deployment cancelled · production · api',
    'rolling-back': ':rotating_light: Deployment failed, ECS is rolling back · production · api',
    'rolled-back': ':rewind: Deployment rolled back · production · api',
    superseded: ':fast_forward: Deployment superseded · production · api',
  };
  test.each(STATUSES.map((s) => [s]))('%s', (status) => {
    const message = buildMessage(input({ status, environment: 'production', service: 'api' }), run, NOW);
    const blocks = message.blocks as Block[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: expected[status], emoji: true } });
    expect(blocks[1]!.type).toBe('context');
    expect(message.text.startsWith(expected[status])).toBe(true);
    expect(payloadProblems(message)).toEqual([]);
  });

  test('a title replaces the generated headline but keeps the emoji', () => {
    const message = buildMessage(input({ status: 'failed', title: 'Checkout is down', environment: 'prod' }), run, NOW);
    expect((message.blocks as Block[])[0]).toMatchObject({ text: { text: ':x: Checkout is down' } });
  });
});

test('the context line links the repository, the commit (short SHA) and the run, and gives the duration', () => {
  const message = buildMessage(input({ startedAt: NOW - 245_000 }), run, NOW);
  const contextBlock = (message.blocks as Block[])[1]!;
  expect(contextBlock.type).toBe('context');
  const elements = contextBlock.type === 'context' ? contextBlock.elements.map((e) => e.text) : [];
  expect(elements).toEqual([
    '<https://github.com/acme/shop|acme/shop>',
    ':twisted_rightwards_arrows: `main`',
    ':label: <https://github.com/acme/shop/commit/4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21|4f6a0e1>',
    ':bust_in_silhouette: octocat',
    ':gear: <https://github.com/acme/shop/actions/runs/7001234567|Deploy #7001234567>',
    ':stopwatch: 4 min 05 s',
  ]);
});

test('a re-run links its own attempt', () => {
  const message = buildMessage(input(), { ...run, runAttempt: '2' }, NOW);
  expect(texts(message.blocks as Block[]).join('\n')).toContain('/actions/runs/7001234567/attempts/2|');
});

describe('mentions call people only when something went wrong', () => {
  test.each([
    ['failed', true],
    ['rolled-back', true],
    ['succeeded', false],
    ['started', false],
    ['cancelled', false],
  ] as [Status, boolean][])('%s → %s', (status, called) => {
    const message = buildMessage(input({ status, mentions: ['<!subteam^S0614TZR7>', '<@U012AB3CD>'] }), run, NOW);
    const all = texts(message.blocks as Block[]).join('\n');
    expect(all.includes('<!subteam^S0614TZR7> <@U012AB3CD>')).toBe(called);
    // The notification text carries them too: that is what makes the phone ring.
    expect(message.text.includes('<@U012AB3CD>')).toBe(called);
  });
});

test('a failed deploy shows why it failed and what changed, revisions old and new', () => {
  const message = buildMessage(input({ status: 'rolled-back', details: details({ deploy: deployFailed }) }), run, NOW);
  const blocks = message.blocks as Block[];
  const reason = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Why it failed*'));
  expect(reason).toEqual({
    type: 'section',
    text: { type: 'mrkdwn', text: '*Why it failed*\n```ECS deployment circuit breaker: tasks failed to start.```' },
  });
  expect(blocks.some((b) => b.type === 'divider')).toBe(true);
  const changed = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*What changed*'));
  expect(changed?.type === 'section' && changed.text?.text).toBe(
    '*What changed* — rolled-back\n' +
      `• *api*: <${TD_PAGE}/shop-api/13/containers?region=eu-west-1|shop-api:13> (was <${TD_PAGE}/shop-api/12/containers?region=eu-west-1|shop-api:12>)\n` +
      `• *worker*: <${TD_PAGE}/shop-worker/8/containers?region=eu-west-1|shop-worker:8> (was <${TD_PAGE}/shop-worker/7/containers?region=eu-west-1|shop-worker:7>)`,
  );
  expect(message.text).toContain('ECS deployment circuit breaker: tasks failed to start.');
});

test('smoke results list each check with codes, attempts and latencies, and failed checks with their detail', () => {
  const smoke = {
    result: 'failed',
    'failed-checks': 'checkout',
    report: JSON.stringify({
      checks: [
        {
          name: 'health',
          passed: true,
          attempts: 2,
          statusCodes: [503, 200],
          latency: { p50: 12.4, p95: 30, max: 41 },
        },
        { name: 'checkout', passed: false, attempts: 5, statusCodes: [500], detail: 'expected 200, got 500' },
      ],
    }),
  };
  const message = buildMessage(input({ status: 'failed', details: details({ smoke }) }), run, NOW);
  const all = texts(message.blocks as Block[]);
  expect(all).toContain(
    [
      '*What was checked* — failed',
      ':white_check_mark: `health` — HTTP 503, 200 · 2 attempts · p50 12 ms · p95 30 ms · max 41 ms',
      ':x: `checkout` — HTTP 500 · 5 attempts\n      ↳ expected 200, got 500',
    ].join('\n'),
  );
  expect(all).toContain('*Why it failed*\n```Smoke check checkout failed: expected 200, got 500```');
});

test('image, migration and release outputs each get a section', () => {
  const message = buildMessage(
    input({
      details: details({
        image: {
          image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop',
          'image-ref': `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:${'a'.repeat(64)}`,
          tags: 'v1.4.0,4f6a0e1',
          pushed: 'false',
        },
        migrate: {
          'exit-code': '0',
          'snapshot-id': 'pre-migrate-4f6a0e1',
          'snapshot-arn': 'arn:aws:rds:eu-west-1:123456789012:snapshot:pre-migrate-4f6a0e1',
          'task-arn': 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef',
          'log-url': 'https://console.aws.amazon.com/cloudwatch/logs',
        },
        tag: {
          tag: 'v1.4.0',
          'release-url': 'https://github.com/acme/shop/releases/tag/v1.4.0',
          'deployment-id': '42',
        },
        extra: { note: 'hello' },
      }),
    }),
    run,
    NOW,
  );
  const all = texts(message.blocks as Block[]);
  expect(all).toContainEqual(
    expect.stringMatching(
      /^\*Image\*\n• <https:\/\/eu-west-1\.console\.aws\.amazon\.com\/ecr\/repositories\/private\/123456789012\/shop\/_\/image\/sha256:a{64}\/details\?region=eu-west-1\|shop@sha256:a{12}…>\n• tags `v1\.4\.0`, `4f6a0e1`\n• reused/,
    ),
  );
  expect(all).toContainEqual(
    expect.stringMatching(
      /^\*Migration\* — exit code 0\n• snapshot <https:\/\/eu-west-1\.console\.aws\.amazon\.com\/rds\/home\?region=eu-west-1#db-snapshot:id=pre-migrate-4f6a0e1\|pre-migrate-4f6a0e1> taken first\n• <https:\/\/console.aws.amazon.com\/cloudwatch\/logs\|task logs> \(<https:\/\/eu-west-1\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/prod\/tasks\/0123456789abcdef0123456789abcdef\/configuration\?region=eu-west-1\|0123456789abcdef0123456789abcdef>\)$/,
    ),
  );
  expect(all).toContain(
    '*Release*\n• tag <https://github.com/acme/shop/releases/tag/v1.4.0|v1.4.0>\n• GitHub deployment `42`',
  );
  expect(all).toContain('*Extra*\n• note: `hello`');
  expect(all.some((t) => t.startsWith('*Why it failed*'))).toBe(false);
});

test('fields come two per row, ten per section', () => {
  const fields = Array.from({ length: 23 }, (_, i): [string, string] => [`Field ${i}`, `value ${i}`]);
  const message = buildMessage(input({ fields }), run, NOW);
  const sections = (message.blocks as Block[]).filter((b) => b.type === 'section' && b.fields);
  expect(sections.map((s) => (s.type === 'section' ? s.fields!.length : 0))).toEqual([10, 10, 3]);
  expect(sections[0]?.type === 'section' && sections[0].fields?.[0]).toEqual({
    type: 'mrkdwn',
    text: '*Field 0*\nvalue 0',
  });
});

test('user text is escaped where it is not mrkdwn of the workflow: labels, branch, actor', () => {
  const message = buildMessage(input({ fields: [['<b>&', 'x']] }), { ...run, actor: 'a<b>' }, NOW);
  const all = texts(message.blocks as Block[]).join('\n');
  expect(all).toContain('*&lt;b&gt;&amp;*');
  expect(all).toContain(':bust_in_silhouette: a&lt;b&gt;');
});

describe('oversized input is fitted to every Block Kit limit, visibly', () => {
  const huge = (n: number) => 'x'.repeat(n);
  const services = Object.fromEntries(
    Array.from({ length: 400 }, (_, i) => [
      `service-${i}`,
      `arn:aws:ecs:eu-west-1:123456789012:task-definition/service-${i}:1`,
    ]),
  );
  const message = buildMessage(
    input({
      status: 'failed',
      environment: huge(200),
      service: huge(200),
      text: huge(5000),
      fields: Array.from({ length: 600 }, (_, i): [string, string] => [`F${i}`, huge(2500)]),
      details: details({
        deploy: { result: 'failed', 'failure-reason': huge(4000), 'task-definition-arns': JSON.stringify(services) },
      }),
      mentions: ['<!here>'],
    }),
    { ...run, branch: huge(4000) },
    NOW,
  );
  const blocks = message.blocks as Block[];

  test('Slack would accept it', () => {
    expect(payloadProblems(message)).toEqual([]);
    expect(blocks.length).toBe(LIMITS.blocks);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  });
  test('every cut says so', () => {
    const header = blocks[0]!;
    expect(header.type === 'header' && header.text.text.endsWith('… (truncated)')).toBe(true);
    expect(header.type === 'header' && header.text.text.length).toBe(LIMITS.headerText);
    const all = texts(blocks);
    expect(all.find((t) => t.startsWith('<!here>'))).toMatch(/… \(truncated\)$/);
    expect(all.find((t) => t.startsWith('*Why it failed*'))).toMatch(/```\n?… \(truncated\)$/);
    expect(all.find((t) => t.startsWith('*F0*'))).toHaveLength(LIMITS.fieldText);
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: expect.stringMatching(/^_\(truncated\): \d+ more blocks not shown_$/) }],
    });
    expect(message.text).toMatch(/… \(truncated\) — <!here>$/);
  });
  test('a long list keeps whole lines and counts the ones left out', () => {
    const small = buildMessage(
      input({
        details: details({ deploy: { result: 'succeeded', 'task-definition-arns': JSON.stringify(services) } }),
      }),
      run,
      NOW,
    );
    const changed = texts(small.blocks as Block[]).find((t) => t.startsWith('*What changed*'))!;
    expect(changed.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(changed).toMatch(/\n• \*service-\d+\*: <[^|>]+\|service-\d+:1>\n_\(truncated\): \d+ more lines not shown_$/);
    const shown = changed.split('\n').length - 2;
    expect(changed).toContain(`${400 - shown} more lines`);
  });
});

test('steps that were skipped (toJSON of no outputs is {}) leave no empty section behind', () => {
  const message = buildMessage(
    input({ status: 'failed', details: details({ deploy: deployFailed, smoke: {}, release: {} }) }),
    run,
    NOW,
  );
  const headings = (message.blocks as Block[])
    .filter((b) => b.type === 'section')
    .map((b) => (b.type === 'section' ? b.text?.text.split('\n')[0] : ''));
  expect(headings).toEqual(['*Why it failed*', '*What changed* — rolled-back']);
});

test("the smoke-test action's own outputs (report with counts by status code and latencyMs) render fully", () => {
  const smokeOutputs = {
    result: 'failed',
    report: JSON.stringify({
      result: 'failed',
      expectedVersion: '4f6a0e1',
      versionsSeen: ['4f6a0e1', '3e2d1c0'],
      durationMs: 5300,
      checks: [
        {
          name: 'home',
          url: 'https://shop.example.com/',
          method: 'GET',
          result: 'passed',
          attempts: 3,
          statusCodes: { '200': 5, '503': 2 },
          latencyMs: { p50: 21.2, p95: 48.9, max: 60.1, count: 7 },
          durationMs: 900,
        },
        {
          name: 'version',
          url: 'https://shop.example.com/version',
          method: 'GET',
          result: 'failed',
          attempts: 10,
          statusCodes: { '200': 10 },
          failure: 'version 3e2d1c0 is served, expected 4f6a0e1',
          durationMs: 4000,
        },
      ],
    }),
    'failed-checks': '["version"]',
    'failed-count': '1',
    'version-seen': '4f6a0e1,3e2d1c0',
  };
  const message = buildMessage(input({ status: 'failed', details: details({ smoke: smokeOutputs }) }), run, NOW);
  const all = texts(message.blocks as Block[]);
  expect(all).toContain(
    [
      '*What was checked* — failed',
      ':white_check_mark: `home` — HTTP 200×5, 503×2 · 3 attempts · p50 21 ms · p95 49 ms · max 60 ms',
      ':x: `version` — HTTP 200×10 · 10 attempts\n      ↳ version 3e2d1c0 is served, expected 4f6a0e1',
      '• version seen: `4f6a0e1`, `3e2d1c0` (expected `4f6a0e1`)',
    ].join('\n'),
  );
  expect(all).toContain(
    '*Why it failed*\n```Smoke check version failed: version 3e2d1c0 is served, expected 4f6a0e1```',
  );
});

test('a text that repeats the failure reason is not shown twice', () => {
  const message = buildMessage(
    input({ status: 'failed', text: deployFailed['failure-reason'], details: details({ deploy: deployFailed }) }),
    run,
    NOW,
  );
  const all = texts(message.blocks as Block[]).join('\n');
  expect(all.split('tasks failed to start').length - 1).toBe(1);
  expect(message.text).toBe(
    ':x: Deployment failed (acme/shop 4f6a0e1) — ECS deployment circuit breaker: tasks failed to start.',
  );
});
