/**
 * Nothing a user typed is executed. Build arguments and labels, migration commands and environment values, deploy
 * environment values, smoke-check URLs and headers, Slack text and tag messages carry shell syntax (`$(...)`,
 * backticks, `;`, `|`, newlines) whose every part would create a canary file if a shell ever ran it. Test doubles
 * record what each action passed on (the `docker` double's argv, the sandbox's RunTask and RegisterTaskDefinition
 * calls, a local server's request, the Slack post, the GitHub tag object): it must be the text as typed, and no
 * canary may exist afterwards.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { json, startServer, type TestServer } from '@ecs-ship/testing/servers';
import { DockerDouble } from '@ecs-ship/testing/docker-double';
import { DEFAULT_SHA, runAction } from '@ecs-ship/testing';

const RUN = randomBytes(6).toString('hex');
const canaryDir = mkdtempSync(join(tmpdir(), `injection-${RUN}-`));
const canary = (kind: string) => join(canaryDir, `${kind}-created`);
const CANARIES = ['dollar', 'backtick', 'semicolon', 'pipe', 'newline'].map(canary);

/** One line of shell syntax: each part would create its own canary if a shell ran it. */
const LINE = `$(touch ${canary('dollar')}) \`touch ${canary('backtick')}\` ; touch ${canary('semicolon')} | touch ${canary('pipe')}`;
/** The same with a newline (for inputs whose values may span lines). */
const MULTILINE = `${LINE}\ntouch ${canary('newline')}`;

function expectNoCanary(): void {
  expect(CANARIES.filter((file) => existsSync(file))).toEqual([]);
}

const MIGRATE_IMAGE = 'shop/migrate:injection';
const scenario = {
  region: 'eu-west-1',
  timeScale: 0.05,
  ecr: { registry: 'http://127.0.0.1:1', repositories: [{ name: 'shop/build' }] },
  ecs: {
    clusters: ['shop'],
    timings: { provisioning: 0.2, activating: 0.2, deactivating: 0.2, stopping: 0.2, deprovisioning: 0.2 },
    images: {
      [MIGRATE_IMAGE]: { startDelay: 1, duration: 1, exitCode: 0, logLines: [LINE] },
      'registry.example/web:2': { behaviour: 'healthy', startDelay: 1, healthyAfter: 1 },
    },
    taskDefinitions: [
      {
        family: 'shop-migrate',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: 'app',
            image: MIGRATE_IMAGE,
            essential: true,
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/shop-migrate',
                'awslogs-region': 'eu-west-1',
                'awslogs-stream-prefix': 'migrate',
              },
            },
          },
        ],
      },
      {
        family: 'web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'web', image: 'registry.example/web:1', essential: true }],
      },
    ],
    services: [{ cluster: 'shop', serviceName: 'web', taskDefinition: 'web', desiredCount: 1 }],
  },
  logs: { groups: [{ name: '/ecs/shop-migrate' }] },
  slack: { webhooks: [{ name: 'deploys' }] },
};

let sandbox: Sandbox;
let target: TestServer;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  target = await startServer((_, res) => json(res, 200, { ok: true }));
});
afterAll(async () => {
  await Promise.all([sandbox.stop(), target.close()]);
});
afterEach(expectNoCanary);

/** The parameters of the one call the sandbox recorded for an operation. */
function onlyCall(operation: string): Record<string, any> {
  const calls = sandbox.recorder.calls({ operation });
  expect(calls).toHaveLength(1);
  return calls[0]!.params as Record<string, any>;
}

test('the payload would create every canary if a shell ran it (the canaries prove something)', async () => {
  const { spawnSync } = await import('node:child_process');
  const probeDir = mkdtempSync(join(tmpdir(), 'injection-probe-'));
  const probeLine = MULTILINE.replaceAll(canaryDir, probeDir);
  // Through a shell, on purpose, in a separate folder: this is what the actions must never do.
  spawnSync('/bin/sh', ['-c', `echo ${probeLine}`], { stdio: 'ignore' });
  const created = ['dollar', 'backtick', 'semicolon', 'pipe', 'newline'].filter((kind) =>
    existsSync(join(probeDir, `${kind}-created`)),
  );
  expect(created).toEqual(['dollar', 'backtick', 'semicolon', 'pipe', 'newline']);
});

test('build-push-ecr: build arguments and labels reach buildx as single literal arguments', async () => {
  const docker = new DockerDouble();
  const workspace = mkdtempSync(join(tmpdir(), 'injection-build-'));
  mkdirSync(join(workspace, 'app'));
  writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM scratch\n');
  const run = await runAction('build-push-ecr', {
    inputs: {
      repository: 'shop/build',
      tags: 'v1',
      context: 'app',
      'build-args': `NOTE=${LINE}`,
      labels: `note=${LINE}`,
    },
    cwd: workspace,
    env: {
      ...sandbox.env(),
      GITHUB_SHA: DEFAULT_SHA,
      ...docker.env({ DOCKER_DOUBLE_DIGEST: `sha256:${'c'.repeat(64)}` }),
    },
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const build = docker.calls().find((call) => call.args[1] === 'build')!;
  const after = (flag: string) => build.args.filter((_, i) => build.args[i - 1] === flag);
  expect(after('--build-arg')).toEqual([`NOTE=${LINE}`]);
  expect(after('--label')).toContain(`note=${LINE}`);
  sandbox.load(scenario);
});

test('run-migration-task: the command (JSON array or words) and environment values reach RunTask as typed', async () => {
  const words = ['node', 'migrate.js', `$(touch ${canary('dollar')})`, LINE, MULTILINE];
  const run = await runAction('run-migration-task', {
    inputs: {
      cluster: 'shop',
      'task-definition': 'shop-migrate',
      command: JSON.stringify(words),
      environment: `NOTE=${LINE}\nOTHER=a|b;c`,
      'launch-type': 'FARGATE',
      subnets: 'subnet-0a1b2c3d',
      'security-groups': 'sg-0a1b2c3d',
      'poll-interval-seconds': '0.2',
      'timeout-minutes': '2',
    },
    env: sandbox.env(),
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const override = onlyCall('RunTask').overrides.containerOverrides[0];
  expect(override.command).toEqual(words);
  expect(override.environment).toEqual(
    expect.arrayContaining([
      { name: 'NOTE', value: LINE },
      { name: 'OTHER', value: 'a|b;c' },
    ]),
  );
  // The container's own log line, shell syntax and all, is printed as text.
  expect(run.lines.some((line) => line.includes(LINE))).toBe(true);
  sandbox.load(scenario);

  // A command given as one string is split into words without a shell: the syntax stays in the words.
  const split = await runAction('run-migration-task', {
    inputs: {
      cluster: 'shop',
      'task-definition': 'shop-migrate',
      command: `echo $(touch ${canary('dollar')}) ; touch ${canary('semicolon')} | touch ${canary('pipe')}`,
      'launch-type': 'FARGATE',
      subnets: 'subnet-0a1b2c3d',
      'poll-interval-seconds': '0.2',
      'timeout-minutes': '2',
    },
    env: sandbox.env(),
  });
  expect(split.errors).toEqual([]);
  expect(onlyCall('RunTask').overrides.containerOverrides[0].command).toEqual([
    'echo',
    '$(touch',
    `${canary('dollar')})`,
    ';',
    'touch',
    canary('semicolon'),
    '|',
    'touch',
    canary('pipe'),
  ]);
  sandbox.load(scenario);
});

test('ecs-deploy-with-circuit-breaker: environment values land in the task definition as typed', async () => {
  const run = await runAction('ecs-deploy-with-circuit-breaker', {
    inputs: {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/web:2',
      environment: `web:NOTE=${LINE}\nweb:OTHER=x;y|z`,
      wait: 'false',
    },
    env: sandbox.env(),
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const registered = onlyCall('RegisterTaskDefinition').containerDefinitions[0];
  expect(registered.environment).toEqual(
    expect.arrayContaining([
      { name: 'NOTE', value: LINE },
      { name: 'OTHER', value: 'x;y|z' },
    ]),
  );
  sandbox.load(scenario);
});

test('smoke-test: the check URL and a header value are sent as typed, to the server named', async () => {
  const path = `/inject?q=$(touch ${canary('dollar')})&b=\`touch ${canary('backtick')}\`;touch ${canary('semicolon')}|x`;
  const checks = [
    `- name: injected`,
    `  url: ${JSON.stringify(`${target.url}${path}`)}`,
    `  headers: { X-Note: ${JSON.stringify(LINE)} }`,
  ].join('\n');
  const run = await runAction('smoke-test', {
    inputs: { checks, 'wait-for-healthy-seconds': '0' },
    env: sandbox.env(),
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(target.requests).toHaveLength(1);
  const request = target.requests[0]!;
  // The URL is percent-encoded on the wire where HTTP requires it; decoded, it is the text typed.
  expect(decodeURIComponent(request.url)).toBe(path);
  expect(request.headers['x-note']).toBe(LINE);
});

test('notify-slack: text and fields with shell syntax are posted as text', async () => {
  const run = await runAction('notify-slack', {
    inputs: {
      'webhook-url': sandbox.env().SLACK_WEBHOOK_URL!,
      status: 'succeeded',
      text: MULTILINE,
      fields: `Note=${LINE}`,
    },
    env: sandbox.env(),
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const [posted] = sandbox.state('slack').delivered();
  expect(JSON.stringify(posted)).toContain(JSON.stringify(MULTILINE).slice(1, -1));
  expect(JSON.stringify(posted)).toContain(JSON.stringify(LINE).slice(1, -1));
  sandbox.load(scenario);
});

test('tag-release: the tag message and release name reach GitHub as typed', async () => {
  const github = sandbox.state('github');
  const sha = github.commits.at(-1)!.sha;
  const run = await runAction('tag-release', {
    inputs: { sha, tag: 'v9.9.9', message: MULTILINE, 'create-release': 'true', 'release-name': LINE },
    env: sandbox.env(),
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const state = sandbox.state('github');
  expect([...state.tagObjects.values()].map((tag) => tag.message)).toEqual([MULTILINE]);
  expect(state.releases.map((release) => release.name)).toEqual([LINE]);
  sandbox.load(scenario);
});
