// Never leave a task behind: timeout, cancellation (SIGTERM, SIGINT) and the post step's safety net.
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction } from '@ecs-ship/testing';
import { calls, migrate, migrationInputs, scenario, startMigration } from './helpers.js';

// Each test runs the bundle against the sandbox; allow for a busy machine.
jest.setTimeout(90_000);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('migrations') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('migrations')));

/** The sandbox's view of the one task the run started. */
async function describeTask(
  taskArn: string,
): Promise<{ lastStatus: string; desiredStatus: string; stoppedReason?: string }> {
  const { ECSClient, DescribeTasksCommand } = await import('@aws-sdk/client-ecs');
  const env = sandbox.env();
  const ecs = new ECSClient({
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'shop-production', tasks: [taskArn] }));
  return tasks![0] as never;
}

test('a migration that outlives its timeout is stopped with a reason and fails the step', async () => {
  const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:forever', 'timeout-minutes': '3s' }));
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(
    /^The migration did not finish within 3\.0 s \(stopped after 3\.\d s\); task [0-9a-f]{32} was stopped\. Raise "timeout-minutes"/,
  );
  expect(run.errors[0]).toContain('Last log lines: "Waiting for the advisory lock"');
  const stops = calls(sandbox, 'StopTask');
  expect(stops).toHaveLength(1);
  expect(stops[0]!.params).toEqual({
    cluster: 'shop-production',
    task: run.outputs['task-arn'],
    reason: 'Stopped by run-migration-task: the migration did not finish within its timeout',
  });
  expect(run.state['task-stopped']).toBe('true');
  expect((await describeTask(run.outputs['task-arn']!)).desiredStatus).toBe('STOPPED');
  expect(run.summary).toContain('❌ Migration failed');
});

test.each(['SIGTERM', 'SIGINT'] as const)('%s mid-run stops the task before the step exits', async (signal) => {
  // A long poll interval: only the signal, not a poll, can explain a prompt stop.
  const running = startMigration(
    sandbox,
    migrationInputs({ image: 'shop/migrate:forever', 'poll-interval-seconds': '60' }),
  );
  const started = await running.waitForLine(/^Started task [0-9a-f]{32} /);
  const taskId = /^Started task ([0-9a-f]{32})/.exec(started)![1]!;
  // Mid-run: the container is running in ECS (the step, polling once a minute, has not looked yet).
  await sandbox.waitFor(async () => (await describeTask(taskId)).lastStatus === 'RUNNING', {
    description: 'task RUNNING',
  });
  running.kill(signal);
  const run = await running.result;
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([`The job was cancelled (${signal}).`]);
  const stops = calls(sandbox, 'StopTask');
  expect(stops).toHaveLength(1);
  expect(stops[0]!.params).toMatchObject({
    reason: 'Stopped by run-migration-task: the GitHub Actions job was cancelled',
  });
  const taskArn = run.outputs['task-arn']!;
  expect((stops[0]!.params as { task: string }).task).toBe(taskArn);
  expect((await describeTask(taskArn)).desiredStatus).toBe('STOPPED');
  // The post step sees the task was dealt with.
  expect(run.state['task-stopped']).toBe('true');
  const post = await runAction('run-migration-task', { step: 'post', state: run.state, env: sandbox.env() });
  expect(post.exitCode).toBe(0);
  expect(post.lines).toContain('No migration task left to stop.');
  expect(calls(sandbox, 'StopTask')).toHaveLength(1);
});

test('the post step stops a task that the main step left running when it died', async () => {
  const running = startMigration(
    sandbox,
    migrationInputs({ image: 'shop/migrate:forever', 'poll-interval-seconds': '60' }),
  );
  await running.waitForLine(/^Task [0-9a-f]{32} is PROVISIONING$/);
  // Killed outright: no chance to stop anything.
  running.kill('SIGKILL');
  const main = await running.result;
  expect(calls(sandbox, 'StopTask')).toHaveLength(0);
  expect(main.state['task-arn']).toMatch(/:task\/shop-production\/[0-9a-f]{32}$/);
  expect(main.state['task-stopped']).toBeUndefined();

  const post = await runAction('run-migration-task', { step: 'post', state: main.state, env: sandbox.env() });
  expect(post.exitCode).toBe(0);
  expect(post.warnings).toEqual([
    `Stopped migration task ${main.state['task-arn']}, which was still running after the main step ended.`,
  ]);
  const stops = calls(sandbox, 'StopTask');
  expect(stops).toHaveLength(1);
  expect(stops[0]!.params).toEqual({
    cluster: 'shop-production',
    task: main.state['task-arn'],
    reason: 'Stopped by run-migration-task (post step): the main step ended before the migration finished',
  });
  expect((await describeTask(main.state['task-arn']!)).desiredStatus).toBe('STOPPED');
});

test('the post step leaves an already stopped task alone', async () => {
  const run = await migrate(sandbox, migrationInputs());
  expect(run.exitCode).toBe(0);
  const post = await runAction('run-migration-task', {
    step: 'post',
    state: { 'task-arn': run.outputs['task-arn']!, cluster: 'shop-production' },
    env: sandbox.env(),
  });
  expect(post.exitCode).toBe(0);
  expect(post.lines).toContain(`Migration task ${run.outputs['task-arn']} has already stopped.`);
  expect(calls(sandbox, 'StopTask')).toHaveLength(0);
});

test('the post step does nothing when no task was started', async () => {
  const post = await runAction('run-migration-task', { step: 'post', env: sandbox.env() });
  expect(post.exitCode).toBe(0);
  expect(post.lines).toContain('No migration task left to stop.');
  expect(sandbox.recorder.calls()).toEqual([]);
});

test('cancelled while the snapshot is being taken, the step exits and starts no task', async () => {
  const running = startMigration(
    sandbox,
    migrationInputs({
      'snapshot-db-instance': 'huge-db',
      'snapshot-id': 'before-migration',
      'poll-interval-seconds': '60',
    }),
  );
  await running.waitForLine(/^Waiting for snapshot before-migration to be available: creating/);
  running.kill('SIGINT');
  const run = await running.result;
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual(['The job was cancelled (SIGINT).']);
  expect(calls(sandbox, 'CreateDBSnapshot')).toHaveLength(1);
  expect(calls(sandbox, 'RunTask')).toHaveLength(0);
  expect(run.state['task-arn']).toBeUndefined();
});
