// How the inputs become the run's settings (the refusals are covered, end to end, in bad-inputs.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader } from '@ecs-ship/action-kit';
import { readSettings } from '../../actions/run-migration-task/src/settings.js';

const ENV = {
  GITHUB_RUN_ID: '7001',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_SHA: 'abcdef0123456789',
  GITHUB_REPOSITORY: 'acme/shop',
};

function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = ENV) {
  const reader = new InputReader((name) => inputs[name] ?? '');
  const settings = readSettings(reader, env);
  return { settings, errors: reader.errors.map((e) => e.message), names: reader.names };
}

test('a minimal run: the task definition as it is, defaults everywhere', () => {
  const { settings, errors } = read({ cluster: 'prod', 'task-definition': 'shop-migrate:7' });
  expect(errors).toEqual([]);
  expect(settings.snapshot).toBeUndefined();
  expect(settings.task).toEqual({
    cluster: 'prod',
    taskDefinition: { kind: 'reference', reference: 'shop-migrate:7' },
    container: undefined,
    image: undefined,
    command: undefined,
    environment: new Map(),
    launchType: undefined,
    capacityProviderStrategy: [],
    network: undefined,
    platformVersion: undefined,
    startedBy: 'github-run-7001-2',
    timeoutMs: 30 * 60_000,
    pollIntervalMs: 5000,
    streamLogs: true,
  });
});

test('every input is read, even when the first ones are bad', () => {
  const { names, errors } = read({ cluster: 'bad cluster', 'task-definition': '' });
  expect(errors).toHaveLength(2);
  expect(names).toEqual(
    expect.arrayContaining([
      'snapshot-timeout-minutes',
      'environment-name',
      'stream-logs',
      'progress-interval-seconds',
      'capacity-provider-strategy',
    ]),
  );
  expect(names).toHaveLength(22);
});

test('network, capacity providers, overrides and durations', () => {
  const { settings, errors } = read({
    cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
    'task-definition': 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-migrate:3',
    command: '["npm", "run", "migrate"]',
    environment: 'A=1\nB=x=y',
    'capacity-provider-strategy': 'FARGATE_SPOT:3:1\nFARGATE:1',
    subnets: 'subnet-0123456789abcdef0, subnet-01234567',
    'security-groups': 'sg-0123456789abcdef0',
    'assign-public-ip': 'true',
    'platform-version': '1.4.0',
    'timeout-minutes': '1h30m',
    'poll-interval-seconds': '500ms',
    'stream-logs': 'FALSE',
  });
  expect(errors).toEqual([]);
  expect(settings.task).toMatchObject({
    command: ['npm', 'run', 'migrate'],
    environment: new Map([
      ['A', '1'],
      ['B', 'x=y'],
    ]),
    capacityProviderStrategy: [
      { capacityProvider: 'FARGATE_SPOT', weight: 3, base: 1 },
      { capacityProvider: 'FARGATE', weight: 1 },
    ],
    network: {
      subnets: ['subnet-0123456789abcdef0', 'subnet-01234567'],
      securityGroups: ['sg-0123456789abcdef0'],
      assignPublicIp: true,
    },
    platformVersion: '1.4.0',
    timeoutMs: 90 * 60_000,
    pollIntervalMs: 500,
    streamLogs: false,
  });
});

test('a snapshot request with the rendered id and tags that say where it came from', () => {
  const { settings, errors } = read({
    cluster: 'prod',
    'task-definition': 'shop-migrate',
    'snapshot-db-cluster': 'shop-aurora',
    'snapshot-id': '{env}-before-{sha7}-{run}',
    'environment-name': 'EU Production',
    'snapshot-timeout-minutes': '15',
  });
  expect(errors).toEqual([]);
  expect(settings.snapshot).toEqual({
    source: { kind: 'cluster', identifier: 'shop-aurora' },
    snapshotId: 'eu-production-before-abcdef0-7001',
    timeoutMs: 15 * 60_000,
    pollIntervalMs: 5000,
    tags: {
      'ecs-ship:created-by': 'run-migration-task',
      'ecs-ship:repository': 'acme/shop',
      'ecs-ship:run-id': '7001',
      'ecs-ship:sha': 'abcdef0123456789',
      'ecs-ship:environment': 'EU Production',
    },
  });
});

test('a task definition file, read from the workspace', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'settings-'));
  const definition = { family: 'shop-migrate', containerDefinitions: [{ name: 'app', image: 'x' }] };
  writeFileSync(join(workspace, 'td.json'), JSON.stringify({ taskDefinition: definition, tags: [] }));
  writeFileSync(join(workspace, 'not-td.json'), JSON.stringify({ name: 'x' }));
  const ok = read({ cluster: 'prod', 'task-definition': 'td.json' }, { ...ENV, GITHUB_WORKSPACE: workspace });
  expect(ok.errors).toEqual([]);
  expect(ok.settings.task.taskDefinition).toEqual({
    kind: 'file',
    path: 'td.json',
    definition: { taskDefinition: definition, tags: [] },
  });
  const bad = read({ cluster: 'prod', 'task-definition': 'not-td.json' }, { ...ENV, GITHUB_WORKSPACE: workspace });
  expect(bad.errors).toEqual([
    'Input "task-definition": the file "not-td.json" has no "family" and no "containerDefinitions". Give a task definition as RegisterTaskDefinition takes it, or as `aws ecs describe-task-definition` prints it.',
  ]);
});
