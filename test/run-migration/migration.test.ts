// run-migration-task's bundle, run as the runner runs it, against the sandbox's ECS and CloudWatch Logs over HTTP.
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { CLUSTER, calls, migrate, migrationInputs, scenario } from './helpers.js';

// Each test runs the bundle against the sandbox; allow for a busy machine.
jest.setTimeout(90_000);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('migrations') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('migrations')));

const TASK_ARN = /^arn:aws:ecs:eu-west-1:123456789012:task\/shop-production\/[0-9a-f]{32}$/;

describe('a migration that succeeds', () => {
  test('registers a revision with the image, runs it with the overrides, streams its logs in order and passes', async () => {
    const run = await migrate(
      sandbox,
      migrationInputs({
        command: 'bundle exec rails "db:migrate"',
        environment: 'RAILS_ENV=production\nMIGRATION_LOCK_TIMEOUT=30s',
        'started-by': 'deploy-42',
        'environment-name': 'production',
      }),
    );
    expect([run.exitCode, run.errors]).toEqual([0, []]);

    const registered = calls(sandbox, 'RegisterTaskDefinition');
    expect(registered).toHaveLength(1);
    const body = registered[0]!.params as any;
    expect(body.family).toBe('shop-migrate');
    expect(body.containerDefinitions[0].image).toBe('shop/migrate:ok');
    expect(body).not.toHaveProperty('revision');
    expect(body).not.toHaveProperty('taskDefinitionArn');

    const runTask = calls(sandbox, 'RunTask')[0]!.params as any;
    expect(runTask).toMatchObject({
      cluster: CLUSTER,
      taskDefinition: expect.stringMatching(/task-definition\/shop-migrate:2$/),
      count: 1,
      startedBy: 'deploy-42',
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0123456789abcdef0'],
          securityGroups: ['sg-0123456789abcdef0'],
          assignPublicIp: 'DISABLED',
        },
      },
      overrides: {
        containerOverrides: [
          {
            name: 'app',
            command: ['bundle', 'exec', 'rails', 'db:migrate'],
            environment: [
              { name: 'RAILS_ENV', value: 'production' },
              { name: 'MIGRATION_LOCK_TIMEOUT', value: '30s' },
            ],
          },
        ],
      },
    });

    // The log lines, once each and in order, inside a group.
    const expected = [
      'Running migrations for shop',
      '== 20261101120000 AddOrdersIndex: migrating',
      '== 20261101120000 AddOrdersIndex: migrated (0.0123s)',
      '== 20261115093000 AddCustomerTier: migrating',
      '== 20261115093000 AddCustomerTier: migrated (0.0456s)',
      'Migrations complete',
    ];
    const printed = run.lines.filter((line) => expected.includes(line));
    expect(printed).toEqual(expected);
    const groupStart = run.lines.findIndex((line) => line.startsWith('::group::Logs of app'));
    const groupEnd = run.lines.indexOf('::endgroup::');
    expect(groupStart).toBeGreaterThanOrEqual(0);
    expect(run.lines.indexOf(expected[0]!)).toBeGreaterThan(groupStart);
    expect(run.lines.indexOf(expected.at(-1)!)).toBeLessThan(groupEnd);

    expect(run.outputs['task-arn']).toMatch(TASK_ARN);
    const taskId = run.outputs['task-arn']!.split('/').at(-1)!;
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.outputs['stop-code']).toBe('EssentialContainerExited');
    expect(run.outputs['snapshot-id']).toBeUndefined();
    expect(run.outputs['log-url']).toBe(
      `https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fshop-migrate/log-events/migrate$252Fapp$252F${taskId}`,
    );
    expect(Number(run.outputs['duration-seconds'])).toBeGreaterThanOrEqual(0);

    expect(run.summary).toContain('✅ Migration succeeded');
    expect(run.summary).toContain(`\`${taskId}\``);
    expect(run.summary).toContain('| Exit code | 0 |');
    expect(run.summary).toContain('| Environment | production |');
    expect(run.summary).toMatch(/\| Seen \| PROVISIONING 0 ms → .*RUNNING .* → STOPPED [\d.]+ (ms|s) \|/);
    expect(run.summary).toContain('<details><summary>Last 6 log lines</summary>');
    expect(run.summary).toContain('Migrations complete');

    // The post step has nothing left to do.
    expect(run.state['task-arn']).toBe(run.outputs['task-arn']);
    expect(run.state['task-stopped']).toBe('true');
    expect(calls(sandbox, 'StopTask')).toHaveLength(0);
  });

  test('without an image, or with the image it already has, the task definition runs as it is', async () => {
    for (const image of ['', 'shop/migrate:previous']) {
      sandbox.load(scenario('migrations'));
      const run = await migrate(sandbox, migrationInputs({ image }));
      expect([run.exitCode, run.errors]).toEqual([0, []]);
      expect(calls(sandbox, 'RegisterTaskDefinition')).toHaveLength(0);
      expect((calls(sandbox, 'RunTask')[0]!.params as any).taskDefinition).toMatch(/task-definition\/shop-migrate:1$/);
      expect(run.lines).toContain('Nothing to migrate');
    }
  });

  test('the release image runs the migration through the command override', async () => {
    const run = await migrate(
      sandbox,
      migrationInputs({ image: 'shop/app:v2', command: '["bundle", "exec", "rails", "db:migrate"]' }),
    );
    expect([run.exitCode, run.errors]).toEqual([0, []]);
    expect(run.lines).toContain('Migrated with the release image');
    expect(run.outputs['exit-code']).toBe('0');
  });

  test('a task that goes from PENDING straight to STOPPED is seen to finish', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:quick' }));
    expect([run.exitCode, run.errors]).toEqual([0, []]);
    expect(run.lines).not.toContainEqual(expect.stringMatching(/ is RUNNING$/));
    expect(run.lines).toContainEqual(expect.stringMatching(/^Task [0-9a-f]{32} is STOPPED$/));
    expect(run.lines).toContain('Schema is up to date');
    expect(run.outputs['exit-code']).toBe('0');
  });

  test('a log stream that appears late is followed once it exists', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:late-logs' }));
    expect([run.exitCode, run.errors, run.warnings]).toEqual([0, [], []]);
    const logs = calls(sandbox, 'GetLogEvents');
    expect(logs.some((c) => c.errorCode === 'ResourceNotFoundException')).toBe(true);
    const lines = ['first line after a slow start', 'second line', 'third line'];
    expect(run.lines.filter((line) => lines.includes(line))).toEqual(lines);
  });

  test('10,000 log lines across many pages, none lost or doubled', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:bulk' }), { timeoutMs: 90_000 });
    expect([run.exitCode, run.errors]).toEqual([0, []]);
    const generated = run.lines.filter((line) => line.startsWith('generated line '));
    expect(generated).toHaveLength(10_000);
    expect(generated).toEqual(Array.from({ length: 10_000 }, (_, i) => `generated line ${i + 1} of 10000`));
    const pages = calls(sandbox, 'GetLogEvents').filter((c) => c.status === 200);
    expect(new Set(pages.map((c) => (c.params as any).nextToken)).size).toBeGreaterThan(2);
    expect(run.summary).toContain('<details><summary>Last 50 log lines</summary>');
    expect(run.summary).toContain('generated line 9951 of 10000\n');
    expect(run.summary).toContain('generated line 10000 of 10000');
    expect(run.summary).not.toContain('generated line 9950 of 10000');
  });

  test('a log line shaped like a workflow command is fenced off with stop-commands', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:commands' }));
    expect(run.exitCode).toBe(0);
    const at = run.lines.indexOf('::error::not from the step');
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(run.lines[at - 1] ?? '')?.[1];
    expect(token).toBeDefined();
    // Commands resume right after the batch that held the line (which may hold other lines too).
    const resume = run.lines.indexOf(`::${token}::`);
    expect(resume).toBeGreaterThan(at);
    expect(run.lines.slice(at + 1, resume).every((line) => !line.startsWith('::'))).toBe(true);
  });

  test('a task definition given as a JSON file is registered with the image', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const workspace = mkdtempSync(join(tmpdir(), 'migration-workspace-'));
    writeFileSync(
      join(workspace, 'migrate-task.json'),
      JSON.stringify({
        family: 'shop-migrate-file',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: 'migrate',
            image: 'placeholder',
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': '/ecs/shop-migrate', 'awslogs-stream-prefix': 'file' },
            },
          },
        ],
      }),
    );
    const run = await migrate(sandbox, migrationInputs({ 'task-definition': 'migrate-task.json' }), { cwd: workspace });
    expect([run.exitCode, run.errors]).toEqual([0, []]);
    const body = calls(sandbox, 'RegisterTaskDefinition')[0]!.params as any;
    expect(body.family).toBe('shop-migrate-file');
    expect(body.containerDefinitions[0].image).toBe('shop/migrate:ok');
    expect(run.lines).toContain('Migrations complete');
  });

  test('throttling during the wait is absorbed by the SDK and the run still passes', async () => {
    sandbox.faults.inject(
      { kind: 'throttle', service: 'ecs', operation: 'DescribeTasks', count: 2 },
      { kind: 'throttle', service: 'logs', operation: 'GetLogEvents', count: 2 },
    );
    const run = await migrate(sandbox, migrationInputs());
    expect([run.exitCode, run.errors]).toEqual([0, []]);
    expect(calls(sandbox, 'DescribeTasks').filter((c) => c.errorCode === 'ThrottlingException')).toHaveLength(2);
    expect(run.lines.filter((line) => line === 'Migrations complete')).toHaveLength(1);
    expect(run.outputs['exit-code']).toBe('0');
  });
});

describe('a migration that fails', () => {
  test('with stream-logs false the lines are not streamed, but a failure still shows the last of them', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:exit3', 'stream-logs': 'false' }));
    expect(run.exitCode).toBe(1);
    expect(run.lines).not.toContainEqual(expect.stringMatching(/^::group::/));
    const shown = run.lines.indexOf('Last log lines of the task:');
    expect(shown).toBeGreaterThan(run.lines.findIndex((line) => / is STOPPED$/.test(line)));
    expect(run.lines.slice(shown + 1, shown + 3)).toEqual([
      '== 20261120080000 RenameSku: migrating',
      'ERROR: relation "skus" already exists',
    ]);
    expect(run.summary).toContain('ERROR: relation "skus" already exists');
  });

  test('exit code 3 fails the step and says 3, with the last log lines', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:exit3' }));
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^The migration failed: container app exited with code 3 \(EssentialContainerExited/);
    expect(run.errors[0]).toContain(
      'Last log lines: "== 20261120080000 RenameSku: migrating" / "ERROR: relation "skus" already exists"',
    );
    expect(run.outputs['exit-code']).toBe('3');
    expect(run.outputs['stop-code']).toBe('EssentialContainerExited');
    expect(run.summary).toContain('❌ Migration failed');
    expect(run.summary).toContain('| Exit code | 3 |');
    expect(run.summary).toContain('ERROR: relation "skus" already exists');
  });

  test('TaskFailedToStart fails with ECS reasons', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: 'shop/migrate:pull-fails' }));
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /^The migration task failed to start \(TaskFailedToStart: CannotPullContainerError: pull image manifest/,
    );
    expect(run.outputs['stop-code']).toBe('TaskFailedToStart');
    expect(run.outputs['exit-code']).toBe('');
    expect(run.summary).toContain('| Exit code | none |');
  });

  test('a container name the task definition lacks fails before anything changes', async () => {
    const run = await migrate(sandbox, migrationInputs({ container: 'web' }));
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'Input "container": task definition shop-migrate:1 has no container "web". Use one of: app.',
    ]);
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });

  test('an unknown task definition fails before anything changes', async () => {
    const run = await migrate(sandbox, migrationInputs({ 'task-definition': 'no-such-family' }));
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^Input "task-definition": cannot read task definition no-such-family: /);
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });
});

describe('placement failure', () => {
  beforeEach(() => sandbox.load(scenario('no-capacity')));

  test('a non-empty failures[] fails the step with the reason and waits for nothing', async () => {
    const run = await migrate(sandbox, migrationInputs({ image: '' }));
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^ECS did not start the migration task: RESOURCE:MEMORY/);
    expect(calls(sandbox, 'RunTask')).toHaveLength(1);
    expect(calls(sandbox, 'DescribeTasks')).toHaveLength(0);
    expect(run.outputs['task-arn']).toBeUndefined();
  });
});
