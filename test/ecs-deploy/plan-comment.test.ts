/**
 * The plan where pull-request authors look, against the bundle and the sandbox: one comment per workflow, cluster and
 * services, edited in place by later runs (never a second one), a one-line comment when nothing would change, a notice
 * instead of a comment for a fork's read-only token, a failing step for a same-repository run without the permission,
 * no value of a variable or secret anywhere, and an annotation at the offending line of an invalid template.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction, type ActionRun } from '@ecs-ship/testing';
import { rememberSecret } from '@ecs-ship/testing/secrets';
import { explain, scenario } from './helpers.js';

// Each comment write is spaced a second from the last by the throttling plugin.
jest.setTimeout(90_000);

const WRITER = 'ghs_planWriter0000000000000000000000000';
const READER = 'ghs_planReader0000000000000000000000000';
const SECRET = 'postgres://shop:Tr0ub4dor-and-3@db.internal/shop';
const MARKER = /^<!-- ecs-ship:[^\n]* -->\n/;

function world(): Record<string, any> {
  return {
    ...scenario('shop'),
    github: {
      repository: 'acme/shop',
      tokens: [
        { token: WRITER },
        { token: READER, permissions: { contents: 'read', 'pull-requests': 'read', issues: 'read' } },
      ],
      pullRequests: [
        { number: 7, title: 'Faster checkout' },
        { number: 12, fork: true },
      ],
      comments: [{ issue: 7, body: 'Looks good to me', author: 'bob' }],
    },
  };
}

let sandbox: Sandbox;
let folder: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world() });
  folder = mkdtempSync(join(tmpdir(), 'plan-comment-'));
  rememberSecret('the database URL', SECRET);
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(world()));

/** A pull_request event as the runner writes it; `fork` puts the head in another repository. */
function event(number: number, fork = false): string {
  const path = join(folder, `event-${number}-${fork}.json`);
  const head = fork ? 'octo-fork/shop' : 'acme/shop';
  writeFileSync(
    path,
    JSON.stringify({
      action: 'synchronize',
      number,
      pull_request: {
        number,
        head: { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', ref: 'feature', repo: { full_name: head, fork } },
        base: { ref: 'main', repo: { full_name: 'acme/shop' } },
      },
      repository: { full_name: 'acme/shop' },
    }),
  );
  return path;
}

function plan(inputs: Record<string, string>, env: Record<string, string> = {}, cwd?: string): Promise<ActionRun> {
  return runAction('ecs-deploy-with-circuit-breaker', {
    inputs: { cluster: 'shop', services: 'web, idle', mode: 'plan', 'comment-on-pull-request': 'true', ...inputs },
    env: {
      ...sandbox.env(),
      GITHUB_TOKEN: WRITER,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event(7),
      GITHUB_WORKFLOW: 'Pull request checks',
      ...env,
    },
    cwd,
    timeoutMs: 60_000,
  });
}

const comments = (number: number) => sandbox.state('github').comments.filter((c) => c.issue === number);
const ours = (number: number) => comments(number).filter((c) => MARKER.test(c.body));
const githubCalls = () =>
  sandbox.recorder
    .calls()
    .filter((call) => call.service === 'github')
    .map((call) => `${call.operation} ${call.status}`);

test('two plan runs on one pull request leave one comment, whose body is the second plan', async () => {
  const first = await plan({ images: 'web=registry.example/web:2' });
  expect(explain(first)).toMatch(/^exit 0/);
  expect(ours(7)).toHaveLength(1);
  const id = ours(7)[0]!.id;
  expect(ours(7)[0]!.body).toContain('`registry.example/web:2`');

  sandbox.recorder.clear();
  const second = await plan({ images: 'web=registry.example/web:3' });
  expect(explain(second)).toMatch(/^exit 0/);
  expect(comments(7)).toHaveLength(2); // bob's and ours
  const [comment] = ours(7);
  expect(comment!.id).toBe(id);
  expect(comment!.body.replace(MARKER, '')).toBe(
    `${second.outputs.plan}\n<sub>Planned by [Pull request checks](https://github.com/acme/shop/actions/runs/7001234567) for commit \`a1b2c3d\`; updated on every run.</sub>\n`,
  );
  expect(comment!.body).toContain('`registry.example/web:3`');
  expect(comment!.body).not.toContain('registry.example/web:2');
  expect(githubCalls()).toEqual(['issues.listComments 200', 'issues.updateComment 200']);
  expect(second.lines.some((line) => line.startsWith('Updated the comment on #7 in place: '))).toBe(true);
});

test('jobs that plan different services of one cluster (a matrix) keep a comment each', async () => {
  const web = await plan({ services: 'web', images: 'web=registry.example/web:2' });
  const idle = await plan({ services: 'idle' });
  expect([explain(web), explain(idle)]).toEqual([expect.stringMatching(/^exit 0/), expect.stringMatching(/^exit 0/)]);
  expect(ours(7)).toHaveLength(2);
  expect(ours(7).map((c) => c.body.replace(MARKER, '').split('\n')[0])).toEqual([
    expect.stringMatching(/^## ECS deploy plan for `shop`: 1 of 1 service\(s\) would change/),
    expect.stringMatching(/^\*\*ECS deploy plan for `shop`\*\*: no change\. `idle` already run/),
  ]);
  // The same services named in another order are the same plan: its comment is updated.
  const again = await plan({ services: 'idle, web', images: 'web=registry.example/web:3' });
  const both = await plan({ services: 'web, idle', images: 'web=registry.example/web:4' });
  expect([explain(again), explain(both)]).toEqual([expect.stringMatching(/^exit 0/), expect.stringMatching(/^exit 0/)]);
  expect(ours(7)).toHaveLength(3);
  expect(ours(7)[2]!.body).toContain('`registry.example/web:4`');
});

test('when nothing would change, the comment says so in one line', async () => {
  const run = await plan({ services: 'web' });
  expect(explain(run)).toMatch(/^exit 0/);
  const body = ours(7)[0]!.body.replace(MARKER, '');
  expect(body.split('\n')).toHaveLength(1);
  expect(body).toMatch(/^\*\*ECS deploy plan for `shop`\*\*: no change\. `web` already run what this would deploy/);
  expect(run.summary).toMatch(/<details><summary>No change: web<\/summary>/);
});

test('a fork’s read-only token leaves no comment, a notice, and the plan in the job summary', async () => {
  const run = await plan(
    { images: 'web=registry.example/web:2', 'github-token': READER },
    { GITHUB_EVENT_PATH: event(12, true) },
  );
  expect(explain(run)).toMatch(/^exit 0/);
  expect(comments(12)).toEqual([]);
  expect(run.annotations).toContainEqual({
    level: 'notice',
    message: expect.stringMatching(/^Pull request #12 comes from a fork, and GitHub gives its runs a read-only token/),
    properties: { title: 'Plan comment skipped' },
  });
  expect(run.errors).toEqual([]);
  expect(run.summary).toContain('`registry.example/web:2`');
  expect(githubCalls()).toEqual(['issues.listComments 200', 'issues.createComment 403']);
});

test('a run of the repository’s own branch without pull-requests: write fails, naming the permission', async () => {
  const run = await plan({ images: 'web=registry.example/web:2', 'github-token': READER });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([
    expect.stringMatching(
      /^GitHub refused to comment on #7 in acme\/shop \(403: Resource not accessible by integration\)\. Give the job "permissions: pull-requests: write"/,
    ),
  ]);
  // The plan was written before the comment was tried.
  expect(run.outputs.result).toBe('planned');
  expect(run.summary).toContain('`registry.example/web:2`');
  expect(ours(7)).toEqual([]);
});

test('no value of a variable or a secret reaches the comment, the summary, the outputs or the log', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'plan-secrets-'));
  mkdirSync(join(workspace, '.aws'));
  const template = {
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image: 'registry.example/web:2',
        essential: true,
        portMappings: [{ containerPort: 8080 }],
        environment: [{ name: 'LOG_LEVEL', value: 'verbose-7f3a' }],
        secrets: [
          { name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key-AbCdEf' },
        ],
      },
      { name: 'log-router', image: 'registry.example/fluent-bit:3', essential: false },
    ],
  };
  writeFileSync(join(workspace, '.aws', 'web.json'), JSON.stringify(template, null, 2));
  const run = await plan(
    { services: 'web', 'task-definition': 'web=.aws/web.json', environment: `web:DATABASE_URL=${SECRET}` },
    {},
    workspace,
  );
  expect(explain(run)).toMatch(/^exit 0/);
  const body = ours(7)[0]!.body;
  expect(body).toContain('**Environment of `web` (values not shown)**: `LOG_LEVEL` changed; `DATABASE_URL` added');
  expect(body).toContain('**Secrets of `web` (values not shown)**: `API_KEY` added');
  for (const hidden of [SECRET, 'Tr0ub4dor', 'secret:api-key', 'verbose-7f3a']) {
    expect(body).not.toContain(hidden);
    expect(run.visibleText).not.toContain(hidden);
  }
});

test('a plan longer than a comment may be is cut, with a link to the run’s job summary', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'plan-long-'));
  const variables = Array.from({ length: 2500 }, (_, i) => ({ name: `FEATURE_FLAG_NUMBER_${i}`, value: 'on' }));
  const containers = Array.from({ length: 2 }, (_, i) => ({
    name: i === 0 ? 'web' : 'log-router',
    image: i === 0 ? 'registry.example/web:2' : 'registry.example/fluent-bit:3',
    essential: i === 0,
    environment: variables,
  }));
  writeFileSync(join(workspace, 'web.json'), JSON.stringify({ family: 'web', containerDefinitions: containers }));
  const run = await plan({ services: 'web', 'task-definition': 'web=web.json' }, {}, workspace);
  expect(explain(run)).toMatch(/^exit 0/);
  expect(run.outputs.plan!.length).toBeGreaterThan(100_000);
  const body = ours(7)[0]!.body;
  expect(body.length).toBeLessThanOrEqual(65_536);
  expect(body).toContain('| `web` image | `registry.example/web:1` | `registry.example/web:2` |');
  expect(body).toMatch(
    /_The plan is cut here to fit GitHub's limit of 65,536 characters: the whole plan is in the job summary of \[the workflow run\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/7001234567\)\._$/,
  );
});

test('a create whose answer was lost leaves one comment', async () => {
  sandbox.faults.inject({ kind: 'error', service: 'github', operation: 'issues.createComment', after: true, count: 1 });
  const run = await plan({ images: 'web=registry.example/web:2' });
  expect(explain(run)).toMatch(/^exit 0/);
  expect(ours(7)).toHaveLength(1);
  expect(run.lines.some((line) => /was lost \(5\d\d\), but it took effect: not sending it again/.test(line))).toBe(
    true,
  );
});

test('on an event without a pull request, a notice and no call to GitHub', async () => {
  const run = await plan({ images: 'web=registry.example/web:2' }, { GITHUB_EVENT_NAME: 'push' });
  expect(explain(run)).toMatch(/^exit 0/);
  expect(run.annotations).toContainEqual({
    level: 'notice',
    message: 'This run was started by a push event, not by a pull request, so the plan is in the job summary only.',
    properties: { title: 'No pull request to comment on' },
  });
  expect(githubCalls()).toEqual([]);
});

test.each([
  [
    { mode: 'deploy' },
    {},
    /^Input "comment-on-pull-request": it applies to "mode: plan", to a preview \("create-from"\) and to "mode: delete" \(here mode is deploy\)\./,
  ],
  [
    { 'github-token': '' },
    { GITHUB_TOKEN: '' },
    /^Input "github-token": it is empty while "comment-on-pull-request" is true\./,
  ],
])('%o is refused before any call', async (inputs, env, message) => {
  const run = await plan(inputs, env);
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([expect.stringMatching(message)]);
  expect(sandbox.recorder.calls()).toEqual([]);
});

describe('an invalid template', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'plan-annotations-'));
  mkdirSync(join(workspace, '.aws'));
  const lines = [
    '{',
    '  "family": "web",',
    '  "cpu": 256,',
    '  "containerDefinitions": [',
    '    {',
    '      "name": "web",',
    '      "image": "registry.example/web:2",',
    '      "memoryReservaton": 128',
    '    }',
    '  ]',
    '}',
  ];
  writeFileSync(join(workspace, '.aws', 'web.json'), lines.join('\n'));
  writeFileSync(
    join(workspace, '.aws', 'lean.json'),
    JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'x' }] }, null, 2),
  );

  test('gets an error annotation at each offending line, before any call', async () => {
    const run = await plan({ services: 'web', 'task-definition': 'web=.aws/web.json' }, {}, workspace);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(
          /^Input "task-definition": the file "\.aws\/web\.json", line 3: cpu is a number \(256\), not a string\./,
        ),
        properties: { file: '.aws/web.json', line: '3', col: '10' },
      },
      {
        level: 'error',
        message: expect.stringMatching(
          /^Input "task-definition": the file "\.aws\/web\.json", line 8: "memoryReservaton" in containerDefinitions\[0\] is not a key RegisterTaskDefinition takes \(did you mean "memoryReservation"\?\)\./,
        ),
        properties: { file: '.aws/web.json', line: '8', col: '7' },
      },
    ]);
    expect(sandbox.recorder.calls()).toEqual([]);
  });

  test('naming a container in images that it lacks is placed at its containerDefinitions', async () => {
    const run = await plan(
      { services: 'web', 'task-definition': 'web=.aws/lean.json', images: 'sidecar=registry.example/proxy:2' },
      {},
      workspace,
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([
      {
        level: 'error',
        message:
          'Input "task-definition": the file ".aws/lean.json", line 3: container "sidecar" (in images) is not in task definition "web"; it has "web". Name a container the template defines, or add that container to the template.',
        properties: { file: '.aws/lean.json', line: '3', col: '3' },
      },
    ]);
    expect(sandbox.recorder.calls()).toEqual([]);
  });
});
