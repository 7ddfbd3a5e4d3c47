// The snapshot before the migration: taken first, waited for, and never skipped.
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { calls, migrate, migrationInputs, operations, scenario } from './helpers.js';

// Each test runs the bundle against the sandbox; allow for a busy machine.
jest.setTimeout(90_000);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('migrations') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('migrations')));

test('an instance snapshot is available before the migration runs', async () => {
  const run = await migrate(
    sandbox,
    migrationInputs({
      'snapshot-db-instance': 'shop-db',
      'snapshot-id': 'pre-migration-{env}-run-{run}',
      'environment-name': 'Production',
    }),
  );
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(run.outputs['snapshot-id']).toBe('pre-migration-production-run-7001234567');
  expect(run.outputs['snapshot-arn']).toMatch(
    /^arn:aws:rds:[a-z0-9-]+:\d{12}:snapshot:pre-migration-production-run-7001234567$/,
  );

  const create = calls(sandbox, 'CreateDBSnapshot');
  expect(create).toHaveLength(1);
  expect(create[0]!.params).toMatchObject({
    DBInstanceIdentifier: 'shop-db',
    DBSnapshotIdentifier: 'pre-migration-production-run-7001234567',
  });
  // Snapshot first, waited until available, and only then the migration.
  const order = operations(sandbox);
  expect(order.indexOf('CreateDBSnapshot')).toBe(0);
  expect(order.indexOf('DescribeDBSnapshots')).toBeLessThan(order.indexOf('RegisterTaskDefinition'));
  const runTaskAt = calls(sandbox, 'RunTask')[0]!.seq;
  const lastDescribe = calls(sandbox, 'DescribeDBSnapshots').at(-1)!;
  expect(lastDescribe.seq).toBeLessThan(runTaskAt);
  expect(run.lines).toContainEqual(
    expect.stringMatching(/^Snapshot pre-migration-production-run-7001234567 is available after /),
  );
  const state = sandbox.state('rds');
  const snapshot = state.snapshot('instance', 'eu-west-1', 'pre-migration-production-run-7001234567')!;
  expect(state.status(snapshot)).toBe('available');

  expect(run.summary).toContain('`pre-migration-production-run-7001234567`');
});

test('the default snapshot id names the date, time and commit', async () => {
  const run = await migrate(sandbox, migrationInputs({ 'snapshot-db-cluster': 'shop-aurora' }));
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(run.outputs['snapshot-id']).toMatch(
    new RegExp(`^pre-migration-\\d{8}-\\d{6}-${sandbox.env().GITHUB_SHA!.slice(0, 7)}$`),
  );
  expect(calls(sandbox, 'CreateDBClusterSnapshot')[0]!.params).toMatchObject({
    DBClusterIdentifier: 'shop-aurora',
    DBClusterSnapshotIdentifier: run.outputs['snapshot-id'],
  });
  expect(calls(sandbox, 'CreateDBSnapshot')).toHaveLength(0);
});

test('a failed snapshot fails the step and the migration is not run', async () => {
  const run = await migrate(
    sandbox,
    migrationInputs({ 'snapshot-db-instance': 'broken-db', 'snapshot-id': 'before-migration' }),
  );
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([
    'Snapshot before-migration of DB instance broken-db ended in status "failed"; the migration was not run.',
  ]);
  expect(calls(sandbox, 'RunTask')).toHaveLength(0);
  expect(calls(sandbox, 'RegisterTaskDefinition')).toHaveLength(0);
  expect(run.outputs['task-arn']).toBeUndefined();
});

test('a snapshot that takes too long fails the step and the migration is not run', async () => {
  const run = await migrate(
    sandbox,
    migrationInputs({
      'snapshot-db-instance': 'huge-db',
      'snapshot-id': 'before-migration',
      'snapshot-timeout-minutes': '2s',
    }),
  );
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(
    /^Snapshot before-migration of DB instance huge-db was still "creating" after .*; the migration was not run\. Raise "snapshot-timeout-minutes"/,
  );
  expect(calls(sandbox, 'RunTask')).toHaveLength(0);
});

test('an RDS error (unknown instance) fails the step with its code and runs nothing', async () => {
  const run = await migrate(
    sandbox,
    migrationInputs({ 'snapshot-db-instance': 'no-such-db', 'snapshot-id': 'before' }),
  );
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toBe(
    'Could not create snapshot before of DB instance no-such-db: DBInstanceNotFoundFault: DBInstance no-such-db not found.',
  );
  expect(calls(sandbox, 'RunTask')).toHaveLength(0);
});

test("a snapshot of that name taken before this run is an error, not adopted as this run's", async () => {
  const inputs = migrationInputs({ 'snapshot-db-instance': 'shop-db', 'snapshot-id': 'before-release-42' });
  const first = await migrate(sandbox, inputs);
  expect([first.exitCode, first.errors]).toEqual([0, []]);
  const tasksBefore = calls(sandbox, 'RunTask').length;

  const second = await migrate(sandbox, inputs);
  expect(second.exitCode).toBe(1);
  expect(second.errors[0]).toMatch(
    /^Could not create snapshot before-release-42 of DB instance shop-db: DBSnapshotAlreadyExists\w*: /,
  );
  expect(calls(sandbox, 'RunTask')).toHaveLength(tasksBefore);
});
