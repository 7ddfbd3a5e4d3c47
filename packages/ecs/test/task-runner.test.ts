import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { CancelledError, MemoryLogger, UserError, type Clock } from '@ecs-ship/action-kit';
import {
  LogFollower,
  STOP_REASON_CANCELLED,
  STOP_REASON_TIMEOUT,
  runOneOffTask,
  stopTaskIfRunning,
  type OneOffTaskSpec,
} from '../src/task/index.js';

const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef';
const TD_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-migrate:4';
const STREAM = 'ecs/app/0123456789abcdef0123456789abcdef';

const ecs = mockClient(ECSClient);
const logs = mockClient(CloudWatchLogsClient);
const ecsClient = new ECSClient({ region: 'eu-west-1' });
const logsClient = new CloudWatchLogsClient({ region: 'eu-west-1' });
const clients = { ecs: ecsClient, logs: () => logsClient, region: 'eu-west-1' };

/** A clock whose sleeps pass at once (moving time forward), or hang until aborted when `hang` is set. */
function steppingClock(options: { onSleep?: (n: number) => void } = {}): Clock & { sleeps: number } {
  let now = 1_700_000_000_000;
  const clock = {
    sleeps: 0,
    now: () => now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      clock.sleeps += 1;
      options.onSleep?.(clock.sleeps);
      if (signal?.aborted) throw signal.reason;
      now += ms;
    },
  };
  return clock;
}

/** ECS answers throttling with this code; the SDK has no class for it. */
function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
}

function spec(overrides: Partial<OneOffTaskSpec> = {}): OneOffTaskSpec {
  return {
    cluster: 'prod',
    taskDefinition: { kind: 'reference', reference: 'shop-migrate' },
    environment: new Map(),
    capacityProviderStrategy: [],
    launchType: 'FARGATE',
    startedBy: 'github-run-1',
    timeoutMs: 60_000,
    pollIntervalMs: 1000,
    streamLogs: true,
    ...overrides,
  };
}

function taskIn(status: string, extra: Partial<Task> = {}): Task {
  return { taskArn: TASK_ARN, lastStatus: status, ...extra };
}

beforeEach(() => {
  ecs.reset();
  logs.reset();
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: TD_ARN,
      family: 'shop-migrate',
      revision: 4,
      containerDefinitions: [
        {
          name: 'app',
          image: 'repo/app:1',
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/shop', 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    },
    tags: [{ key: 'team', value: 'shop' }],
  });
  ecs.on(RunTaskCommand).resolves({ tasks: [taskIn('PROVISIONING')], failures: [] });
  ecs.on(StopTaskCommand).resolves({ task: taskIn('STOPPING') });
  logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
});

describe('runOneOffTask', () => {
  it('waits from PENDING straight to STOPPED and passes on exit code 0', async () => {
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [taskIn('PENDING')] })
      .resolves({
        tasks: [
          taskIn('STOPPED', {
            stopCode: 'EssentialContainerExited',
            containers: [{ name: 'app', exitCode: 0 }],
            createdAt: new Date(1000),
            stoppedAt: new Date(4000),
          }),
        ],
      });
    const logger = new MemoryLogger();
    const started: string[] = [];
    const result = await runOneOffTask(clients, spec(), {
      logger,
      clock: steppingClock(),
      onTaskStarted: (arn) => started.push(arn),
    });
    expect(result).toMatchObject({
      taskArn: TASK_ARN,
      exitCode: 0,
      stopCode: 'EssentialContainerExited',
      lastStatus: 'STOPPED',
      durationMs: 3000,
      timedOut: false,
      outcome: { passed: true },
    });
    expect(result.logUrl).toContain('log-events/ecs$252Fapp$252F0123456789abcdef0123456789abcdef');
    expect(result.timeline).toEqual([
      { status: 'PROVISIONING', afterMs: 0 },
      { status: 'PENDING', afterMs: 1000 },
      { status: 'STOPPED', afterMs: 2000 },
    ]);
    expect(started).toEqual([TASK_ARN]);
    expect(logger.lines).toContain('Task 0123456789abcdef0123456789abcdef is PENDING');
    expect(logger.lines).toContain('Task 0123456789abcdef0123456789abcdef is STOPPED');
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
    expect(ecs.commandCalls(RunTaskCommand)[0]!.args[0].input.taskDefinition).toBe(TD_ARN);
    expect(ecs.commandCalls(RunTaskCommand)[0]!.args[0].input.clientToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('registers a revision with the image before running it', async () => {
    ecs.on(RegisterTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TD_ARN.replace(':4', ':5'),
        family: 'shop-migrate',
        revision: 5,
        containerDefinitions: [{ name: 'app', image: 'repo/app:2' }],
      },
    });
    ecs
      .on(DescribeTasksCommand)
      .resolves({ tasks: [taskIn('STOPPED', { containers: [{ name: 'app', exitCode: 0 }] })] });
    await runOneOffTask(clients, spec({ image: 'repo/app:2' }), { logger: new MemoryLogger(), clock: steppingClock() });
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input;
    expect(registered.containerDefinitions![0]!.image).toBe('repo/app:2');
    expect(registered.tags).toEqual([{ key: 'team', value: 'shop' }]);
    expect(ecs.commandCalls(RunTaskCommand)[0]!.args[0].input.taskDefinition).toBe(TD_ARN.replace(':4', ':5'));
  });

  it('registers nothing when the task definition already runs the image', async () => {
    ecs
      .on(DescribeTasksCommand)
      .resolves({ tasks: [taskIn('STOPPED', { containers: [{ name: 'app', exitCode: 0 }] })] });
    const logger = new MemoryLogger();
    await runOneOffTask(clients, spec({ image: 'repo/app:1' }), { logger, clock: steppingClock() });
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(RunTaskCommand)[0]!.args[0].input.taskDefinition).toBe(TD_ARN);
    expect(logger.lines).toContain('Using task definition shop-migrate:4 (already runs repo/app:1)');
  });

  it('fails with the exit code and keeps the last log lines', async () => {
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({
        events: [{ message: 'migrating' }, { message: 'relation "x" exists\n' }],
        nextForwardToken: 'f/2',
      })
      .resolves({ events: [], nextForwardToken: 'f/2' });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [taskIn('STOPPED', { stopCode: 'EssentialContainerExited', containers: [{ name: 'app', exitCode: 3 }] })],
    });
    const result = await runOneOffTask(clients, spec(), { logger: new MemoryLogger(), clock: steppingClock() });
    expect(result.outcome.passed).toBe(false);
    expect(result.exitCode).toBe(3);
    expect(result.outcome.summary).toMatch(/exited with code 3/);
    expect(result.lastLines).toEqual(['migrating', 'relation "x" exists']);
  });

  it('keeps reading the log after STOPPED while the last lines still arrive', async () => {
    ecs
      .on(DescribeTasksCommand)
      .resolves({ tasks: [taskIn('STOPPED', { containers: [{ name: 'app', exitCode: 0 }] })] });
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({ events: [], nextForwardToken: 'f/0' }) // half-interval tick
      .resolvesOnce({ events: [{ message: 'one' }], nextForwardToken: 'f/1' }) // tick with DescribeTasks: STOPPED
      .resolvesOnce({ events: [], nextForwardToken: 'f/1' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/1' }) // first read after STOPPED
      .resolvesOnce({ events: [{ message: 'two' }], nextForwardToken: 'f/2' }) // after a pause: late lines
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' })
      .resolves({ events: [], nextForwardToken: 'f/2' });
    const logger = new MemoryLogger();
    const result = await runOneOffTask(clients, spec(), { logger, clock: steppingClock() });
    expect(result.lastLines).toEqual(['one', 'two']);
    expect(logger.lines.filter((l) => l === 'one' || l === 'two')).toEqual(['one', 'two']);
    expect(logger.lines.indexOf('two')).toBeLessThan(logger.lines.indexOf('<'));
  });

  it('fails with the reason when RunTask reports failures', async () => {
    ecs
      .on(RunTaskCommand)
      .resolves({ tasks: [], failures: [{ arn: 'arn:container-instance', reason: 'RESOURCE:MEMORY' }] });
    const error = await runOneOffTask(clients, spec(), { logger: new MemoryLogger(), clock: steppingClock() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'ECS did not start the migration task: RESOURCE:MEMORY (arn:container-instance)',
    );
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });

  it('stops the task with a reason when the timeout passes', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [taskIn('RUNNING')] });
    const stopped: string[] = [];
    const result = await runOneOffTask(clients, spec({ timeoutMs: 3500 }), {
      logger: new MemoryLogger(),
      clock: steppingClock(),
      onTaskStopped: (arn) => stopped.push(arn),
    });
    expect(result.timedOut).toBe(true);
    expect(result.outcome.passed).toBe(false);
    expect(result.outcome.summary).toMatch(/did not finish within 3\.5 s.*timeout-minutes/);
    expect(ecs.commandCalls(StopTaskCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'prod', task: TASK_ARN, reason: STOP_REASON_TIMEOUT },
    ]);
    expect(stopped).toEqual([TASK_ARN]);
  });

  it('stops the task with a reason when cancelled, then reports the cancellation', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [taskIn('RUNNING')] });
    const controller = new AbortController();
    const clock = steppingClock({
      onSleep: (n) => n === 3 && controller.abort(new CancelledError('The job was cancelled (SIGTERM).')),
    });
    const error = await runOneOffTask(clients, spec(), {
      logger: new MemoryLogger(),
      clock,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(ecs.commandCalls(StopTaskCommand).map((c) => c.args[0].input.reason)).toEqual([STOP_REASON_CANCELLED]);
  });

  it('keeps waiting through throttling of DescribeTasks', async () => {
    ecs
      .on(DescribeTasksCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ tasks: [taskIn('STOPPED', { containers: [{ name: 'app', exitCode: 0 }] })] });
    const logger = new MemoryLogger();
    const result = await runOneOffTask(clients, spec(), { logger, clock: steppingClock() });
    expect(result.outcome.passed).toBe(true);
    expect(logger.lines.filter((l) => l.startsWith('warning: DescribeTasks failed'))).toHaveLength(1);
  });

  it('refuses a container the task definition does not have before running anything', async () => {
    await expect(
      runOneOffTask(clients, spec({ container: 'web' }), { logger: new MemoryLogger(), clock: steppingClock() }),
    ).rejects.toThrow('has no container "web"');
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
  });
});

describe('LogFollower', () => {
  const location = { group: '/ecs/shop', stream: STREAM };

  it('tolerates a stream that does not exist yet, then follows tokens without losing or doubling a line', async () => {
    logs
      .on(GetLogEventsCommand)
      .rejectsOnce(
        new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} }),
      )
      .resolvesOnce({ events: [{ message: 'a' }, { message: 'b' }], nextForwardToken: 'f/1' })
      .resolvesOnce({ events: [{ message: 'c' }], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [{ message: 'd' }], nextForwardToken: 'f/3' })
      .resolves({ events: [], nextForwardToken: 'f/3' });
    const logger = new MemoryLogger();
    const follower = new LogFollower(logsClient, location, logger);
    expect(await follower.poll()).toBe(0);
    expect(await follower.poll()).toBe(3);
    expect(await follower.poll()).toBe(0);
    expect(await follower.poll()).toBe(1);
    expect(logger.lines).toEqual(['a', 'b', 'c', 'd']);
    const tokens = logs.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input.nextToken);
    expect(tokens).toEqual([undefined, undefined, 'f/1', 'f/2', 'f/2', 'f/2', 'f/3']);
    expect(logs.commandCalls(GetLogEventsCommand).every((c) => c.args[0].input.startFromHead === true)).toBe(true);
  });

  it('keeps only the last lines and prints nothing when asked not to', async () => {
    const events = Array.from({ length: 120 }, (_, i) => ({ message: `line ${i + 1}` }));
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({ events, nextForwardToken: 'f/1' })
      .resolves({ nextForwardToken: 'f/1' });
    const logger = new MemoryLogger();
    const follower = new LogFollower(logsClient, location, logger, { print: false });
    await follower.poll();
    expect(follower.count).toBe(120);
    expect(follower.lastLines()).toHaveLength(50);
    expect(follower.lastLines()[0]).toBe('line 71');
    expect(logger.lines).toEqual([]);
  });

  it('keeps workflow commands in container output from taking effect', async () => {
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({ events: [{ message: '::add-mask::oops' }], nextForwardToken: 'f/1' })
      .resolves({ nextForwardToken: 'f/1' });
    const logger = new MemoryLogger();
    await new LogFollower(logsClient, location, logger).poll();
    expect(logger.lines).toHaveLength(3);
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(logger.lines[0]!)?.[1];
    expect(token).toBeDefined();
    expect(logger.lines[1]).toBe('::add-mask::oops');
    expect(logger.lines[2]).toBe(`::${token}::`);
  });
});

describe('stopTaskIfRunning', () => {
  it('stops a task that is still running', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [taskIn('RUNNING', { desiredStatus: 'RUNNING' })] });
    expect(await stopTaskIfRunning(ecsClient, 'prod', TASK_ARN, 'why')).toBe('stopped');
    expect(ecs.commandCalls(StopTaskCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      task: TASK_ARN,
      reason: 'why',
    });
  });
  it('leaves a stopped task alone', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [taskIn('STOPPED', { desiredStatus: 'STOPPED' })] });
    expect(await stopTaskIfRunning(ecsClient, 'prod', TASK_ARN, 'why')).toBe('already-stopped');
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });
});
