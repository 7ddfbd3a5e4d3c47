// Bad input is refused with one line naming the input and the fix, and nothing is called at all: not even a read.
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { inputErrors } from '@ecs-ship/testing/input-check';
import { migrate, migrationInputs, scenario } from './helpers.js';

// Each test runs the bundle against the sandbox; allow for a busy machine.
jest.setTimeout(90_000);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('migrations') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('migrations')));

const cases: [string, Record<string, string>, string][] = [
  ['cluster missing', { cluster: '' }, 'Input "cluster": it is required but was not given.'],
  [
    'cluster with a space',
    { cluster: 'shop production' },
    'Input "cluster": "shop production" is not a cluster name or ARN: it contains a space,',
  ],
  [
    'task definition that is neither',
    { 'task-definition': 'shop migrate!' },
    'Input "task-definition": "shop migrate!" is neither a task definition nor a .json file.',
  ],
  [
    'task definition file that does not exist',
    { 'task-definition': 'deploy/missing.json' },
    'Input "task-definition": the file "deploy/missing.json" cannot be read: it does not exist.',
  ],
  [
    'image that is no reference',
    { image: 'Shop/Migrate:latest tag' },
    'Input "image": "Shop/Migrate:latest tag" is not an image reference.',
  ],
  [
    'container name with a slash',
    { container: 'app/web' },
    'Input "container": "app/web" is not a container name: it contains a slash,',
  ],
  [
    'command array with a number',
    { command: '["npm", 1]' },
    'Input "command": the JSON array holds something other than strings.',
  ],
  ['command with an open quote', { command: 'rails "db:migrate' }, 'Input "command": a quote is not closed.'],
  [
    'environment line without =',
    { environment: 'RAILS_ENV production' },
    'Input "environment": line "RAILS_ENV production" is not key=value.',
  ],
  [
    'environment name with a hyphen',
    { environment: 'LOCK-TIMEOUT=5' },
    'Input "environment": "LOCK-TIMEOUT" is not an environment variable name',
  ],
  [
    'launch type and capacity providers together',
    { 'capacity-provider-strategy': 'FARGATE_SPOT:1' },
    'Input "capacity-provider-strategy": it cannot be combined with "launch-type".',
  ],
  [
    'capacity provider line with a bad weight',
    { 'launch-type': '', 'capacity-provider-strategy': 'FARGATE_SPOT:heavy' },
    'Input "capacity-provider-strategy": line "FARGATE_SPOT:heavy" is not provider',
  ],
  ['subnet that is no subnet id', { subnets: 'subnet-xyz' }, 'Input "subnets": "subnet-xyz" is not a subnet ID.'],
  [
    'security groups without subnets',
    { subnets: '' },
    'Input "security-groups": they only apply to awsvpc networking, and no "subnets" are given.',
  ],
  [
    'platform version on EC2',
    { 'launch-type': 'EC2', 'platform-version': '1.4.0' },
    'Input "platform-version": it only applies to Fargate, not to launch type EC2.',
  ],
  [
    'started-by longer than RunTask takes',
    { 'started-by': 'a'.repeat(37) },
    `Input "started-by": "${'a'.repeat(37)}" is not up to 36 letters`,
  ],
  [
    'started-by with spaces',
    { 'started-by': 'deploy 42' },
    'Input "started-by": "deploy 42" is not up to 36 letters, digits, hyphens, underscores and slashes.',
  ],
  ['timeout that is no duration', { 'timeout-minutes': 'soon' }, 'Input "timeout-minutes": "soon" is not a duration.'],
  [
    'poll interval of zero',
    { 'poll-interval-seconds': '0' },
    'Input "poll-interval-seconds": 0 seconds is below the minimum 0.1 seconds.',
  ],
  ['stream-logs that is no boolean', { 'stream-logs': 'yes' }, 'Input "stream-logs": "yes" is not a boolean.'],
  [
    'snapshot of an instance and a cluster',
    { 'snapshot-db-instance': 'shop-db', 'snapshot-db-cluster': 'shop-aurora' },
    'Input "snapshot-db-cluster": it cannot be combined with "snapshot-db-instance".',
  ],
  [
    'snapshot instance id with two hyphens',
    { 'snapshot-db-instance': 'shop--db' },
    'Input "snapshot-db-instance": "shop--db" is not a DB instance identifier.',
  ],
  [
    'snapshot id with two hyphens',
    { 'snapshot-db-instance': 'shop-db', 'snapshot-id': 'pre--migration' },
    'Input "snapshot-id": "pre--migration" is not a snapshot identifier.',
  ],
  [
    'snapshot id starting with a digit',
    { 'snapshot-db-instance': 'shop-db', 'snapshot-id': '{date}-pre' },
    'is not a snapshot identifier. Use 1-255 letters',
  ],
  [
    'snapshot id with an unknown placeholder',
    { 'snapshot-db-instance': 'shop-db', 'snapshot-id': 'pre-{branch}' },
    'Input "snapshot-id": {branch} is not a placeholder',
  ],
  [
    'snapshot id with {env} but no environment name',
    { 'snapshot-db-instance': 'shop-db', 'snapshot-id': 'pre-{env}' },
    'Input "snapshot-id": {env} has no value in this run. Set "environment-name", or remove {env}.',
  ],
  [
    'snapshot id without anything to snapshot',
    { 'snapshot-id': 'pre-migration' },
    'Input "snapshot-id": it is set but there is nothing to snapshot.',
  ],
  [
    'snapshot timeout that is no duration',
    { 'snapshot-db-instance': 'shop-db', 'snapshot-timeout-minutes': 'an hour' },
    'Input "snapshot-timeout-minutes": "an hour" is not a duration.',
  ],
];

// Each row goes through the action's own input check, in this process; the next test spawns the action to prove
// that its entry runs that check first, reports every problem on its own line, sets no output and calls nothing.
test.each(cases)('%s is refused by the input check', (_, inputs, message) => {
  const errors = inputErrors('run-migration-task', {
    inputs: migrationInputs({ 'snapshot-db-instance': '', ...inputs }),
    env: sandbox.env(),
  });
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(message);
  expect(errors[0]).not.toContain('\n');
});

test('every problem is reported together, each on its own line', async () => {
  const run = await migrate(
    sandbox,
    migrationInputs({ cluster: '', image: 'Not An Image', 'timeout-minutes': 'soon', 'stream-logs': 'maybe' }),
  );
  expect(run.exitCode).toBe(1);
  expect(run.errors.map((e) => /^Input "([^"]+)"/.exec(e)?.[1])).toEqual([
    'cluster',
    'image',
    'timeout-minutes',
    'stream-logs',
  ]);
  for (const line of run.errors) expect(line).not.toContain('\n');
  expect(run.outputs).toEqual({});
  expect(sandbox.recorder.calls()).toEqual([]);
});

test('a missing region is refused before any call', async () => {
  const run = await migrate(sandbox, migrationInputs(), {
    env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined },
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(/^No AWS region: AWS_REGION is not set/);
  expect(sandbox.recorder.calls()).toEqual([]);
});
