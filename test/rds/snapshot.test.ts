// rds-snapshot, mode create: the bundle run as the runner runs it, against the sandbox, under its documented IAM policy.
import { DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { REGION, operations, rdsClient, rdsWorld, runRds } from './helpers.js';
import { inputErrors } from '@ecs-ship/testing/input-check';

const world = rdsWorld();

test('a snapshot on its own: taken, waited for until available, tagged as the suite’s, reported', async () => {
  const run = await runRds(world.sandbox, 'rds-snapshot', {
    'db-instance': 'shop-production',
    'snapshot-id': 'pre-release-{env}-{sha7}-{run}',
    'environment-name': 'Production',
    'poll-interval-seconds': '0.1',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  const sha = world.sandbox.env().GITHUB_SHA!;
  const id = `pre-release-production-${sha.slice(0, 7)}-7001234567`;
  expect(run.outputs).toMatchObject({
    'snapshot-id': id,
    'snapshot-arn': `arn:aws:rds:${REGION}:123456789012:snapshot:${id}`,
    'duration-seconds': expect.stringMatching(/^\d+$/),
  });
  expect(run.lines).toContainEqual(
    expect.stringMatching(new RegExp(`^Waiting for snapshot ${id} to be available: creating`)),
  );
  expect(run.lines).toContainEqual(expect.stringMatching(new RegExp(`^Snapshot ${id} is available after `)));
  expect(operations(world.sandbox)).toEqual(['CreateDBSnapshot', 'DescribeDBSnapshots']);

  const { DBSnapshots } = await rdsClient(world.sandbox).send(
    new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }),
  );
  expect(DBSnapshots?.[0]?.Status).toBe('available');
  expect(Object.fromEntries((DBSnapshots?.[0]?.TagList ?? []).map((t) => [t.Key, t.Value]))).toMatchObject({
    'ecs-ship:created-by': 'rds-snapshot',
    'ecs-ship:environment': 'Production',
    'ecs-ship:repository': 'acme/shop',
    'ecs-ship:run-id': '7001234567',
    'ecs-ship:sha': sha,
    'ecs-ship:request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  expect(run.summary).toContain('✅ Snapshot available');
  expect(run.summary).toContain(`\`${id}\``);
});

test('an Aurora cluster snapshot, with the default identifier', async () => {
  const run = await runRds(world.sandbox, 'rds-snapshot', {
    'db-cluster': 'shop-aurora',
    'poll-interval-seconds': '0.1',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(run.outputs['snapshot-id']).toMatch(
    new RegExp(`^pre-release-\\d{8}-\\d{6}-${world.sandbox.env().GITHUB_SHA!.slice(0, 7)}$`),
  );
  expect(operations(world.sandbox)).toEqual(['CreateDBClusterSnapshot', 'DescribeDBClusterSnapshots']);
});

test('a lost answer: RDS took the snapshot, the answer was lost; the step recognises its own and makes one snapshot', async () => {
  world.sandbox.faults.inject({
    kind: 'error',
    service: 'rds',
    operation: 'CreateDBSnapshot',
    status: 503,
    count: 1,
    after: true,
  });
  const run = await runRds(world.sandbox, 'rds-snapshot', {
    'db-instance': 'shop-production',
    'snapshot-id': 'lost-answer',
    'poll-interval-seconds': '0.1',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(run.lines).toContain(
    'The answer to the first request was lost; snapshot lost-answer is the one that request started.',
  );
  expect(world.sandbox.recorder.calls({ operation: 'CreateDBSnapshot' }).map((c) => c.status)).toEqual([503, 400]);
  expect(
    world.sandbox
      .state('rds')
      .list('instance', REGION)
      .filter((s) => s.identifier === 'lost-answer'),
  ).toHaveLength(1);
});

test('a failed snapshot and a snapshot that outlasts the timeout fail the step, saying so', async () => {
  const failed = await runRds(world.sandbox, 'rds-snapshot', {
    'db-instance': 'flaky-db',
    'snapshot-id': 'doomed',
    'poll-interval-seconds': '0.1',
  });
  expect(failed.exitCode).toBe(1);
  expect(failed.errors).toEqual([
    'Snapshot doomed of DB instance flaky-db ended in status "failed"; nothing else was done.',
  ]);

  const started = Date.now();
  const late = await runRds(world.sandbox, 'rds-snapshot', {
    'db-instance': 'huge-db',
    'snapshot-id': 'slow',
    'timeout-minutes': '2s',
    'poll-interval-seconds': '0.5',
  });
  expect(late.exitCode).toBe(1);
  expect(late.errors[0]).toMatch(
    /^Snapshot slow of DB instance huge-db was still "creating" after 2\.\d s; nothing else was done\. Raise "timeout-minutes" if RDS needs longer\.$/,
  );
  // It never sleeps past the timeout: the step ends within the timeout plus start-up, not a poll interval later.
  expect(Date.now() - started).toBeLessThan(2000 + 5000);
});

const BAD_INPUTS: [Record<string, string>, string, RegExp][] = [
  [
    { 'db-instance': 'shop-production', 'poll-interval-seconds': '90', 'timeout-minutes': '1' },
    'poll-interval-seconds',
    /is longer than "timeout-minutes"/,
  ],
  [
    { 'db-instance': 'shop-production', 'db-cluster': 'shop-aurora' },
    'db-cluster',
    /cannot be combined with "db-instance"/,
  ],
  [{}, 'db-instance', /neither "db-instance" nor "db-cluster" is set/],
  [{ 'db-instance': 'shop-production', 'snapshot-id': 'x--y' }, 'snapshot-id', /is not a snapshot identifier/],
  [{ 'db-instance': 'shop-production', 'keep-newest': '3' }, 'keep-newest', /applies to mode prune, not create/],
  [{ 'db-instance': 'shop-production', mode: 'prune' }, 'delete-older-than-days', /needs a rule/],
  [{ 'db-instance': 'shop-production', mode: 'prune', 'snapshot-id': 'x' }, 'snapshot-id', /applies to mode create/],
];

// Each row goes through the action's own input check in this process, the check its entry makes first; the first
// row also runs the action as the runner does, to prove that the refusal exits 1 and calls nothing.
test.each(BAD_INPUTS)('bad input is refused by name by the input check: %j', (inputs, name, problem) => {
  const errors = inputErrors('rds-snapshot', { inputs, env: world.sandbox.env() });
  expect(errors.find((e) => e.startsWith(`Input "${name}"`))).toMatch(problem);
});

test.each(BAD_INPUTS.slice(0, 1))('bad input is refused by name before any call: %j', async (inputs, name, problem) => {
  const run = await runRds(world.sandbox, 'rds-snapshot', inputs);
  expect(run.exitCode).toBe(1);
  expect(run.errors.find((e) => e.startsWith(`Input "${name}"`))).toMatch(problem);
  expect(world.sandbox.recorder.calls()).toEqual([]);
});
